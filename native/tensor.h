// Tensor: owns one TF_Tensor. dispose() frees it now; the finalizer is the backstop.
#pragma once

#include <napi.h>
#include <tensorflow/c/c_api.h>

#include <atomic>
#include <cstdint>

namespace tfnapi {

class Tensor : public Napi::ObjectWrap<Tensor> {
 public:
  static Napi::Function Init(Napi::Env env);
  // Wraps a TF_Tensor produced by TF (takes ownership).
  static Napi::Object Wrap(Napi::Env env, TF_Tensor* tensor);
  static Tensor* FromValue(Napi::Env env, const Napi::Value& value, const char* what);
  static int64_t LiveCount() { return live_.load(); }

  explicit Tensor(const Napi::CallbackInfo& info);
  ~Tensor() override;

  // The TF_Tensor, or a FailedPrecondition error if disposed.
  TF_Tensor* Get(Napi::Env env) const;
  // A run in flight keeps the TF_Tensor alive even if dispose() is called meanwhile.
  void Pin() { ++pins_; }
  void Unpin();

 private:
  Napi::Value DType(const Napi::CallbackInfo& info);
  Napi::Value Shape(const Napi::CallbackInfo& info);
  Napi::Value ByteLength(const Napi::CallbackInfo& info);
  Napi::Value IsDisposed(const Napi::CallbackInfo& info);
  Napi::Value Data(const Napi::CallbackInfo& info);
  Napi::Value Dispose(const Napi::CallbackInfo& info);
  void Release();

  TF_Tensor* tensor_ = nullptr;
  bool disposed_ = false;
  int pins_ = 0;
  static std::atomic<int64_t> live_;
};

}  // namespace tfnapi
