// Eager execution (TFE): TensorHandle owns one TFE_TensorHandle; ops run at once on the context.
#pragma once

#include <napi.h>
#include <tensorflow/c/eager/c_api.h>

#include <atomic>
#include <cstdint>

namespace tfnapi {

class TensorHandle : public Napi::ObjectWrap<TensorHandle> {
 public:
  static Napi::Function Init(Napi::Env env);
  static Napi::Object Wrap(Napi::Env env, TFE_TensorHandle* handle);
  static TensorHandle* FromValue(Napi::Env env, const Napi::Value& value, const char* what);
  static int64_t LiveCount() { return live_.load(); }

  explicit TensorHandle(const Napi::CallbackInfo& info);
  ~TensorHandle() override;
  TFE_TensorHandle* Get(Napi::Env env) const;

 private:
  Napi::Value DType(const Napi::CallbackInfo& info);
  Napi::Value Shape(const Napi::CallbackInfo& info);
  Napi::Value Device(const Napi::CallbackInfo& info);
  Napi::Value IsDisposed(const Napi::CallbackInfo& info);
  Napi::Value Resolve(const Napi::CallbackInfo& info);
  Napi::Value Dispose(const Napi::CallbackInfo& info);
  void Release();

  TFE_TensorHandle* handle_ = nullptr;
  static std::atomic<int64_t> live_;
};

// The context every eager op of this environment runs on; made on first use.
TFE_Context* EagerContext(Napi::Env env);

Napi::Value EagerConfigure(const Napi::CallbackInfo& info);
Napi::Value EagerExecute(const Napi::CallbackInfo& info);
Napi::Value EagerListDevices(const Napi::CallbackInfo& info);
Napi::Value LiveHandleCount(const Napi::CallbackInfo& info);

}  // namespace tfnapi
