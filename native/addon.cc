// Module entry: the classes and free functions of the native surface, and the per-environment state's end.
#include "addon.h"

#include "convert.h"
#include "eager.h"
#include "graph.h"
#include "runs.h"
#include "server.h"
#include "session.h"
#include "tensor.h"

namespace tfnapi {

AddonData::~AddonData() {
  if (eagerContext != nullptr) TFE_DeleteContext(eagerContext);
}

namespace {

Napi::Value Version(const Napi::CallbackInfo& info) { return Napi::String::New(info.Env(), TF_Version()); }

// The registry of every op this libtensorflow knows, as a serialized OpList.
Napi::Value OpList(const Napi::CallbackInfo& info) {
  BufferPtr buffer(TF_GetAllOpList());
  return CopyToBuffer(info.Env(), buffer.get());
}

Napi::Value SetErrorFactory(const Napi::CallbackInfo& info) {
  if (!info[0].IsFunction()) throw Napi::TypeError::New(info.Env(), "setErrorFactory takes a function");
  Instance(info.Env()).errorFactory = Napi::Persistent(info[0].As<Napi::Function>());
  return info.Env().Undefined();
}

Napi::Value LiveTensorCount(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), static_cast<double>(Tensor::LiveCount()));
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  env.SetInstanceData(new AddonData());
  Instance(env).runs = EnvRuns::Start(env);
  exports.Set("Tensor", Tensor::Init(env));
  exports.Set("Graph", Graph::Init(env));
  exports.Set("Operation", Operation::Init(env));
  exports.Set("Session", Session::Init(env));
  exports.Set("Callable", Callable::Init(env));
  exports.Set("Server", Server::Init(env));
  exports.Set("TensorHandle", TensorHandle::Init(env));
  exports.Set("eagerConfigure", Napi::Function::New<EagerConfigure>(env, "eagerConfigure"));
  exports.Set("eagerExecute", Napi::Function::New<EagerExecute>(env, "eagerExecute"));
  exports.Set("eagerListDevices", Napi::Function::New<EagerListDevices>(env, "eagerListDevices"));
  exports.Set("liveHandleCount", Napi::Function::New<LiveHandleCount>(env, "liveHandleCount"));
  exports.Set("version", Napi::Function::New<Version>(env, "version"));
  exports.Set("opList", Napi::Function::New<OpList>(env, "opList"));
  exports.Set("setErrorFactory", Napi::Function::New<SetErrorFactory>(env, "setErrorFactory"));
  exports.Set("liveTensorCount", Napi::Function::New<LiveTensorCount>(env, "liveTensorCount"));
  exports.Set("sessionRunCount", Napi::Function::New<SessionRunCount>(env, "sessionRunCount"));
  exports.Set("cancelRuns", Napi::Function::New<CancelRuns>(env, "cancelRuns"));
  return exports;
}

}  // namespace
}  // namespace tfnapi

static Napi::Object InitAddon(Napi::Env env, Napi::Object exports) { return tfnapi::Init(env, exports); }

NODE_API_MODULE(tf_napi, InitAddon)
