// tf_napi_op_loader.node: the C API's custom-op loading, 1:1, for lib/op_library.ts (which holds
// the policy: what to load, when, and what a failure means). A module of its own so that the op
// library stays plain TF (no Node-API) and the main addon's sources stay untouched.
//   loadLibrary(path) -> {opList: Buffer} (serialized OpList of the ops it registered) or
//                        {code, message} (a TF_Code and TF's message) when TF refuses it
//   registeredKernels(opName) -> Buffer (serialized KernelList), or {code, message}
#include <napi.h>
#include <tensorflow/c/c_api.h>

#include <string>

namespace {

Napi::Value Failure(Napi::Env env, TF_Status* status) {
  Napi::Object result = Napi::Object::New(env);
  result.Set("code", Napi::Number::New(env, TF_GetCode(status)));
  result.Set("message", Napi::String::New(env, TF_Message(status)));
  TF_DeleteStatus(status);
  return result;
}

Napi::Value CopyBuffer(Napi::Env env, const TF_Buffer* buffer) {
  return Napi::Buffer<uint8_t>::Copy(env, static_cast<const uint8_t*>(buffer->data), buffer->length);
}

std::string StringArgument(const Napi::CallbackInfo& info, const char* what) {
  if (info.Length() < 1 || !info[0].IsString()) {
    throw Napi::TypeError::New(info.Env(), std::string(what) + " takes a string");
  }
  return info[0].As<Napi::String>().Utf8Value();
}

// TF_LoadLibrary registers the library's ops and kernels (its static registrations run under a
// watcher that turns a clash into a status rather than an abort). TF cannot unregister ops, so the
// library stays loaded for the life of the process; only the handle is freed (that does not unload).
Napi::Value LoadLibrary(const Napi::CallbackInfo& info) {
  const std::string path = StringArgument(info, "loadLibrary");
  TF_Status* status = TF_NewStatus();
  TF_Library* library = TF_LoadLibrary(path.c_str(), status);
  if (TF_GetCode(status) != TF_OK || library == nullptr) return Failure(info.Env(), status);
  TF_DeleteStatus(status);
  const TF_Buffer ops = TF_GetOpList(library);
  Napi::Object result = Napi::Object::New(info.Env());
  result.Set("opList", CopyBuffer(info.Env(), &ops));
  TF_DeleteLibraryHandle(library);
  return result;
}

Napi::Value RegisteredKernels(const Napi::CallbackInfo& info) {
  const std::string name = StringArgument(info, "registeredKernels");
  TF_Status* status = TF_NewStatus();
  TF_Buffer* kernels = TF_GetRegisteredKernelsForOp(name.c_str(), status);
  if (TF_GetCode(status) != TF_OK || kernels == nullptr) {
    if (kernels != nullptr) TF_DeleteBuffer(kernels);
    return Failure(info.Env(), status);
  }
  TF_DeleteStatus(status);
  Napi::Value result = CopyBuffer(info.Env(), kernels);
  TF_DeleteBuffer(kernels);
  return result;
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("loadLibrary", Napi::Function::New<LoadLibrary>(env, "loadLibrary"));
  exports.Set("registeredKernels", Napi::Function::New<RegisteredKernels>(env, "registeredKernels"));
  return exports;
}

}  // namespace

NODE_API_MODULE(tf_napi_op_loader, Init)
