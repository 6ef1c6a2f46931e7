// Shared pieces of the addon: per-environment data and TF_Status -> typed JS error.
#pragma once

#include <napi.h>
#include <tensorflow/c/c_api.h>
#include <tensorflow/c/eager/c_api.h>

#include <cstdint>
#include <memory>
#include <string>

namespace tfnapi {

// Per-environment state: constructors for wrapping native objects and the JS error factory.
struct AddonData {
  ~AddonData();
  TFE_Context* eagerContext = nullptr;
  std::string eagerConfig;  // serialized ConfigProto for the context, set before its first use
  Napi::FunctionReference tensorConstructor;
  Napi::FunctionReference operationConstructor;
  Napi::FunctionReference graphConstructor;
  Napi::FunctionReference sessionConstructor;
  Napi::FunctionReference tensorHandleConstructor;
  Napi::FunctionReference errorFactory;  // (code, message) => Error subclass, set by lib/errors.ts
};

inline AddonData& Instance(Napi::Env env) { return *env.GetInstanceData<AddonData>(); }

Napi::Value MakeError(Napi::Env env, int code, const std::string& message);

// Throws a JS exception built by the error factory and returns true when status is not OK.
bool ThrowIfNotOk(Napi::Env env, TF_Status* status);

[[noreturn]] void ThrowCode(Napi::Env env, int code, const std::string& message);

struct StatusDeleter {
  void operator()(TF_Status* s) const { TF_DeleteStatus(s); }
};
using StatusPtr = std::unique_ptr<TF_Status, StatusDeleter>;
inline StatusPtr NewStatus() { return StatusPtr(TF_NewStatus()); }

struct BufferDeleter {
  void operator()(TF_Buffer* b) const { TF_DeleteBuffer(b); }
};
using BufferPtr = std::unique_ptr<TF_Buffer, BufferDeleter>;

Napi::Buffer<uint8_t> CopyToBuffer(Napi::Env env, const TF_Buffer* buffer);

// [{name, type, memoryBytes}] for a device list; takes ownership of (and deletes) `list`.
Napi::Array DeviceListToArray(Napi::Env env, TF_DeviceList* list);

// Reads an integer argument that must be a whole number within [lo, hi].
int64_t ToInt64(Napi::Env env, const Napi::Value& value, const char* what, int64_t lo, int64_t hi);

}  // namespace tfnapi
