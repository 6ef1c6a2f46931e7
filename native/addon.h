// Per-environment state of the addon: the wrapped classes' constructors, the eager context, the error factory.
#pragma once

#include <napi.h>
#include <tensorflow/c/eager/c_api.h>

#include <memory>
#include <string>

namespace tfnapi {

class EnvRuns;

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
  std::unique_ptr<EnvRuns> runs;         // async runs in flight, cancelled when the environment ends
};

inline AddonData& Instance(Napi::Env env) { return *env.GetInstanceData<AddonData>(); }

// Stores a class's constructor in `slot`, so FromValue can tell its instances from look-alikes.
inline Napi::Function KeepConstructor(Napi::FunctionReference& slot, Napi::Function ctor) {
  slot = Napi::Persistent(ctor);
  return ctor;
}

// The native object behind `value` when `ctor` made it; null for anything else.
template <typename T>
T* UnwrapIf(const Napi::Value& value, const Napi::FunctionReference& ctor) {
  if (!value.IsObject() || !value.As<Napi::Object>().InstanceOf(ctor.Value())) return nullptr;
  return T::Unwrap(value.As<Napi::Object>());
}

}  // namespace tfnapi
