// Session over a Graph; Callable is a run with feeds, fetches and targets resolved once.
#pragma once

#include "convert.h"

#include <napi.h>
#include <tensorflow/c/c_api.h>

#include <memory>
#include <string>
#include <vector>

namespace tfnapi {

// What one run feeds, fetches and runs as targets.
struct RunSignature {
  std::vector<TF_Output> feeds;
  std::vector<TF_Output> fetches;
  std::vector<TF_Operation*> targets;
  BufferPtr runOptions;  // serialized RunOptions, or null
};

// Reads (feeds, fetches, targets) arrays of graph outputs / operations and optional RunOptions bytes.
std::shared_ptr<const RunSignature> ReadSignature(Napi::Env env, TF_Graph* graph, const Napi::Value& feeds,
                                                  const Napi::Value& fetches, const Napi::Value& targets,
                                                  const Napi::Value& runOptions);

class Session : public Napi::ObjectWrap<Session> {
 public:
  static Napi::Function Init(Napi::Env env);
  static Session* FromValue(Napi::Env env, const Napi::Value& value);
  explicit Session(const Napi::CallbackInfo& info);
  ~Session() override;

  TF_Graph* graph() const { return graph_; }
  // Throws FailedPrecondition when closed; returns the live TF_Session.
  TF_Session* Get(Napi::Env env) const;
  void BeginRun() { ++inflight_; }
  void EndRun();

 private:
  Napi::Value Run(const Napi::CallbackInfo& info);
  Napi::Value RunAsync(const Napi::CallbackInfo& info);
  Napi::Value ListDevices(const Napi::CallbackInfo& info);
  Napi::Value Close(const Napi::CallbackInfo& info);
  Napi::Value IsClosed(const Napi::CallbackInfo& info);
  Napi::Value MetaGraphDef(const Napi::CallbackInfo& info);
  void Destroy();

  TF_Session* session_ = nullptr;
  TF_Graph* graph_ = nullptr;
  Napi::ObjectReference graphRef_;
  bool closed_ = false;
  int inflight_ = 0;
  std::string metaGraphDef_;
};

class Callable : public Napi::ObjectWrap<Callable> {
 public:
  static Napi::Function Init(Napi::Env env);
  explicit Callable(const Napi::CallbackInfo& info);

 private:
  Napi::Value Run(const Napi::CallbackInfo& info);
  Napi::Value RunAsync(const Napi::CallbackInfo& info);

  Session* session_ = nullptr;
  Napi::ObjectReference sessionRef_;
  std::shared_ptr<const RunSignature> signature_;
  // Reused by every synchronous run, so a step allocates nothing but its output tensors.
  std::vector<TF_Tensor*> inputs_;
  std::vector<TF_Tensor*> outputs_;
};

// How many session runs this process has made.
Napi::Value SessionRunCount(const Napi::CallbackInfo& info);
// Synchronous run; `inputs` and `outputs` are sized by the caller.
Napi::Value RunSync(Napi::Env env, Session* session, const RunSignature& signature, const Napi::Value& tensors,
                    std::vector<TF_Tensor*>& inputs, std::vector<TF_Tensor*>& outputs);
// Asynchronous run on a pool thread (runs.h); resolves to the fetched tensors.
Napi::Value RunOnPool(Napi::Env env, Session* session, Napi::Object sessionObject,
                      std::shared_ptr<const RunSignature> signature, const Napi::Value& tensors);

}  // namespace tfnapi
