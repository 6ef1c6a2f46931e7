#include "session.h"

#include "addon.h"
#include "graph.h"
#include "runs.h"
#include "signals_blocked.h"
#include "status.h"
#include "tensor.h"

#include <atomic>
#include <string>

namespace tfnapi {

namespace {

const char kClosedMessage[] = "Attempted to use a closed Session.";

// Every TF_SessionRun this process made: lets tests and benchmarks prove one run per step.
std::atomic<int64_t> runCount{0};

// Checks the feed tensors against the signature; returns their JS objects.
Napi::Array ReadFeedTensors(Napi::Env env, const RunSignature& signature, const Napi::Value& value) {
  if (!value.IsArray()) throw Napi::TypeError::New(env, "run takes an array of feed tensors");
  Napi::Array tensors = value.As<Napi::Array>();
  if (tensors.Length() != signature.feeds.size()) {
    throw Napi::RangeError::New(env, "run expects " + std::to_string(signature.feeds.size()) + " feed tensors, got " +
                                         std::to_string(tensors.Length()));
  }
  return tensors;
}

void DeleteTensors(std::vector<TF_Tensor*>& tensors) {
  for (TF_Tensor*& t : tensors) {
    if (t != nullptr) TF_DeleteTensor(t);
    t = nullptr;
  }
}

Napi::Array WrapOutputs(Napi::Env env, std::vector<TF_Tensor*>& outputs) {
  Napi::Array out = Napi::Array::New(env, outputs.size());
  for (size_t i = 0; i < outputs.size(); ++i) {
    out.Set(i, Tensor::Wrap(env, outputs[i]));
    outputs[i] = nullptr;
  }
  return out;
}

class SessionRun : public PoolRun {
 public:
  // Every argument is validated by the caller: nothing here throws.
  SessionRun(Napi::Env env, Session* session, TF_Session* tfSession, Napi::Object sessionObject,
             std::shared_ptr<const RunSignature> signature, Napi::Array feeds, std::vector<Tensor*> tensors)
      : PoolRun(tfSession),
        session_(session),
        sessionRef_(Napi::Persistent(sessionObject)),
        signature_(std::move(signature)),
        outputs_(signature_->fetches.size(), nullptr),
        pinned_(std::move(tensors)),
        status_(NewStatus()) {
    // Keep the feeds (and the session) alive and undisposed until the run ends.
    for (uint32_t i = 0; i < feeds.Length(); ++i) {
      inputs_.push_back(pinned_[i]->Get(env));
      pinned_[i]->Pin();
      tensorRefs_.push_back(Napi::Persistent(feeds.Get(i).As<Napi::Object>()));
    }
    session_->BeginRun();
  }

  ~SessionRun() override { DeleteTensors(outputs_); }

  void Execute() override {
    ++runCount;
    TF_SessionRun(session(), signature_->runOptions.get(), signature_->feeds.data(), inputs_.data(),
                  static_cast<int>(inputs_.size()), signature_->fetches.data(), outputs_.data(),
                  static_cast<int>(outputs_.size()), signature_->targets.data(),
                  static_cast<int>(signature_->targets.size()), nullptr, status_.get());
  }

  void Finish() override {
    for (Tensor* t : pinned_) t->Unpin();
    pinned_.clear();
    tensorRefs_.clear();
    session_->EndRun();
  }

  Napi::Value Outcome(Napi::Env env, bool* ok) override {
    *ok = TF_GetCode(status_.get()) == TF_OK;
    if (!*ok) return MakeError(env, TF_GetCode(status_.get()), TF_Message(status_.get()));
    return WrapOutputs(env, outputs_);
  }

 private:
  Session* session_;
  Napi::ObjectReference sessionRef_;
  std::shared_ptr<const RunSignature> signature_;
  std::vector<TF_Tensor*> inputs_;
  std::vector<TF_Tensor*> outputs_;
  std::vector<Tensor*> pinned_;
  std::vector<Napi::ObjectReference> tensorRefs_;
  StatusPtr status_;
};

}  // namespace

Napi::Value SessionRunCount(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), static_cast<double>(runCount.load()));
}

std::shared_ptr<const RunSignature> ReadSignature(Napi::Env env, TF_Graph* graph, const Napi::Value& feeds,
                                                  const Napi::Value& fetches, const Napi::Value& targets,
                                                  const Napi::Value& runOptions) {
  auto signature = std::make_shared<RunSignature>();
  if (!IsNullish(runOptions)) {
    if (!IsUint8Array(runOptions)) {
      throw Napi::TypeError::New(env, "run options must be a serialized RunOptions (Uint8Array)");
    }
    std::string_view bytes = BytesOf(runOptions.As<Napi::TypedArray>());
    signature->runOptions.reset(TF_NewBufferFromString(bytes.data(), bytes.size()));
  }
  signature->feeds = ReadOutputs(env, feeds, graph, "feed");
  signature->fetches = ReadOutputs(env, fetches, graph, "fetch");
  if (!targets.IsArray()) throw Napi::TypeError::New(env, "targets must be an array of operations");
  Napi::Array targetArray = targets.As<Napi::Array>();
  for (uint32_t i = 0; i < targetArray.Length(); ++i) {
    signature->targets.push_back(Operation::FromValue(env, targetArray.Get(i), graph)->op());
  }
  return signature;
}

Napi::Value RunSync(Napi::Env env, Session* session, const RunSignature& signature, const Napi::Value& tensors,
                    std::vector<TF_Tensor*>& inputs, std::vector<TF_Tensor*>& outputs) {
  TF_Session* tfSession = session->Get(env);
  Napi::Array feeds = ReadFeedTensors(env, signature, tensors);
  for (uint32_t i = 0; i < feeds.Length(); ++i) inputs[i] = Tensor::FromValue(env, feeds.Get(i), "feed")->Get(env);
  StatusPtr status = NewStatus();
  ++runCount;
  {
    SignalsBlocked blocked;
    TF_SessionRun(tfSession, signature.runOptions.get(), signature.feeds.data(), inputs.data(), static_cast<int>(inputs.size()),
                  signature.fetches.data(), outputs.data(), static_cast<int>(outputs.size()), signature.targets.data(),
                  static_cast<int>(signature.targets.size()), nullptr, status.get());
  }
  if (TF_GetCode(status.get()) != TF_OK) {
    DeleteTensors(outputs);
    ThrowIfNotOk(env, status.get());
  }
  return WrapOutputs(env, outputs);
}

Napi::Value RunOnPool(Napi::Env env, Session* session, Napi::Object sessionObject,
                      std::shared_ptr<const RunSignature> signature, const Napi::Value& tensors) {
  TF_Session* tfSession = session->Get(env);
  Napi::Array feeds = ReadFeedTensors(env, *signature, tensors);
  std::vector<Tensor*> wrappers(feeds.Length());
  for (uint32_t i = 0; i < feeds.Length(); ++i) {
    wrappers[i] = Tensor::FromValue(env, feeds.Get(i), "feed");
    wrappers[i]->Get(env);
  }
  auto run = std::make_unique<SessionRun>(env, session, tfSession, sessionObject, std::move(signature), feeds,
                                          std::move(wrappers));
  return Instance(env).runs->Submit(env, std::move(run));
}

// ---- Session ---------------------------------------------------------------------------------

Napi::Function Session::Init(Napi::Env env) {
  Napi::Function ctor = DefineClass(env, "Session",
                                    {
                                        InstanceMethod<&Session::Run>("run"),
                                        InstanceMethod<&Session::RunAsync>("runAsync"),
                                        InstanceMethod<&Session::ListDevices>("listDevices"),
                                        InstanceMethod<&Session::Close>("close"),
                                        InstanceAccessor<&Session::IsClosed>("closed"),
                                        InstanceAccessor<&Session::MetaGraphDef>("metaGraphDef"),
                                    });
  return KeepConstructor(Instance(env).sessionConstructor, ctor);
}

Session* Session::FromValue(Napi::Env env, const Napi::Value& value) {
  if (Session* session = UnwrapIf<Session>(value, Instance(env).sessionConstructor)) return session;
  throw Napi::TypeError::New(env, "expected a native Session");
}

// new Session(graph, configProto?: Uint8Array, savedModelDir?: string, tags?: string[])
Session::Session(const Napi::CallbackInfo& info) : Napi::ObjectWrap<Session>(info) {
  Napi::Env env = info.Env();
  Graph* graph = Graph::FromValue(env, info[0]);
  TF_SessionOptions* options = TF_NewSessionOptions();
  StatusPtr status = NewStatus();
  if (info.Length() > 1 && !IsNullish(info[1])) {
    if (!IsUint8Array(info[1])) {
      TF_DeleteSessionOptions(options);
      throw Napi::TypeError::New(env, "session config must be a serialized ConfigProto (Uint8Array)");
    }
    std::string_view config = BytesOf(info[1].As<Napi::TypedArray>());
    TF_SetConfig(options, config.data(), config.size(), status.get());
  }
  // A distributed session's master, e.g. a server's "grpc://host:port" target.
  if (info.Length() > 4 && !IsNullish(info[4])) {
    if (!info[4].IsString()) {
      TF_DeleteSessionOptions(options);
      throw Napi::TypeError::New(env, "the session target must be a string");
    }
    TF_SetTarget(options, info[4].As<Napi::String>().Utf8Value().c_str());
  }
  if (TF_GetCode(status.get()) == TF_OK) {
    if (info.Length() > 2 && !IsNullish(info[2])) {
      // A SavedModel: TF imports its graph into `graph` (which must be empty) and restores its variables.
      if (!info[2].IsString()) {
        TF_DeleteSessionOptions(options);
        throw Napi::TypeError::New(env, "the SavedModel directory must be a string");
      }
      std::string exportDir = info[2].As<Napi::String>().Utf8Value();
      std::vector<std::string> tags;
      Napi::Array tagArray = info.Length() > 3 ? ReadArray(env, info[3], "tags") : Napi::Array::New(env);
      for (uint32_t i = 0; i < tagArray.Length(); i++) {
        Napi::Value tag = tagArray.Get(i);
        if (!tag.IsString()) {
          TF_DeleteSessionOptions(options);
          throw Napi::TypeError::New(env, "SavedModel tags must be strings");
        }
        tags.push_back(tag.As<Napi::String>().Utf8Value());
      }
      std::vector<const char*> tagPointers;
      for (const std::string& tag : tags) tagPointers.push_back(tag.c_str());
      BufferPtr metaGraph(TF_NewBuffer());
      SignalsBlocked blocked;  // runs the restore; the session's threads inherit the mask
      session_ = TF_LoadSessionFromSavedModel(options, nullptr, exportDir.c_str(), tagPointers.data(),
                                              static_cast<int>(tagPointers.size()), graph->graph(),
                                              metaGraph.get(), status.get());
      if (TF_GetCode(status.get()) == TF_OK) {
        metaGraphDef_.assign(static_cast<const char*>(metaGraph->data), metaGraph->length);
      }
    } else {
      SignalsBlocked blocked;  // the session's threads inherit the mask
      session_ = TF_NewSession(graph->graph(), options, status.get());
    }
  }
  TF_DeleteSessionOptions(options);
  ThrowIfNotOk(env, status.get());
  graph_ = graph->graph();
  graphRef_ = Napi::Persistent(info[0].As<Napi::Object>());
}

Session::~Session() { Destroy(); }

void Session::Destroy() {
  if (session_ == nullptr) return;
  StatusPtr status = NewStatus();
  TF_CloseSession(session_, status.get());
  TF_DeleteSession(session_, status.get());
  session_ = nullptr;
}

TF_Session* Session::Get(Napi::Env env) const {
  if (closed_) ThrowCode(env, TF_FAILED_PRECONDITION, kClosedMessage);
  return session_;
}

void Session::EndRun() {
  if (--inflight_ == 0 && closed_) Destroy();
}

// run(feeds, feedTensors, fetches, targets, runOptions?) -> Tensor[]
Napi::Value Session::Run(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Get(env);
  auto signature = ReadSignature(env, graph_, info[0], info[2], info[3], info[4]);
  std::vector<TF_Tensor*> inputs(signature->feeds.size());
  std::vector<TF_Tensor*> outputs(signature->fetches.size(), nullptr);
  return RunSync(env, this, *signature, info[1], inputs, outputs);
}

// runAsync(feeds, feedTensors, fetches, targets, runOptions?) -> Promise<Tensor[]>
Napi::Value Session::RunAsync(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Get(env);
  auto signature = ReadSignature(env, graph_, info[0], info[2], info[3], info[4]);
  return RunOnPool(env, this, Value(), std::move(signature), info[1]);
}

Napi::Value Session::ListDevices(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  StatusPtr status = NewStatus();
  TF_DeviceList* list = TF_SessionListDevices(Get(env), status.get());
  ThrowIfNotOk(env, status.get());
  return DeviceListToArray(env, list);
}

// Closing cancels runs still in flight (they reject with CancelledError); the TF_Session itself is
// deleted when the last one has returned.
Napi::Value Session::Close(const Napi::CallbackInfo& info) {
  if (!closed_ && session_ != nullptr) {
    StatusPtr status = NewStatus();
    TF_CloseSession(session_, status.get());
  }
  closed_ = true;
  if (inflight_ == 0) Destroy();
  return info.Env().Undefined();
}

Napi::Value Session::IsClosed(const Napi::CallbackInfo& info) { return Napi::Boolean::New(info.Env(), closed_); }

// The serialized MetaGraphDef of a session loaded from a SavedModel; undefined otherwise.
Napi::Value Session::MetaGraphDef(const Napi::CallbackInfo& info) {
  if (metaGraphDef_.empty()) return info.Env().Undefined();
  return Napi::Buffer<uint8_t>::Copy(info.Env(), reinterpret_cast<const uint8_t*>(metaGraphDef_.data()), metaGraphDef_.size());
}

// ---- Callable --------------------------------------------------------------------------------

Napi::Function Callable::Init(Napi::Env env) {
  return DefineClass(env, "Callable",
                     {
                         InstanceMethod<&Callable::Run>("run"),
                         InstanceMethod<&Callable::RunAsync>("runAsync"),
                     });
}

// new Callable(session, feeds, fetches, targets, runOptions?): everything resolved once, here.
Callable::Callable(const Napi::CallbackInfo& info) : Napi::ObjectWrap<Callable>(info) {
  Napi::Env env = info.Env();
  session_ = Session::FromValue(env, info[0]);
  session_->Get(env);
  signature_ = ReadSignature(env, session_->graph(), info[1], info[2], info[3], info[4]);
  sessionRef_ = Napi::Persistent(info[0].As<Napi::Object>());
  inputs_.resize(signature_->feeds.size());
  outputs_.assign(signature_->fetches.size(), nullptr);
}

Napi::Value Callable::Run(const Napi::CallbackInfo& info) {
  return RunSync(info.Env(), session_, *signature_, info[0], inputs_, outputs_);
}

Napi::Value Callable::RunAsync(const Napi::CallbackInfo& info) {
  return RunOnPool(info.Env(), session_, sessionRef_.Value(), signature_, info[0]);
}

}  // namespace tfnapi
