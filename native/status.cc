#include "status.h"

#include "addon.h"

namespace tfnapi {

Napi::Value MakeError(Napi::Env env, int code, const std::string& message) {
  AddonData& data = Instance(env);
  if (!data.errorFactory.IsEmpty()) {
    return data.errorFactory.Call({Napi::Number::New(env, code), Napi::String::New(env, message)});
  }
  Napi::Error error = Napi::Error::New(env, message);
  error.Set("code", Napi::Number::New(env, code));
  return error.Value();
}

void ThrowCode(Napi::Env env, int code, const std::string& message) {
  throw Napi::Error(env, MakeError(env, code, message));
}

bool ThrowIfNotOk(Napi::Env env, TF_Status* status) {
  if (TF_GetCode(status) == TF_OK) return false;
  ThrowCode(env, TF_GetCode(status), TF_Message(status));
}

}  // namespace tfnapi
