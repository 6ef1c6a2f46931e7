// An in-process TensorFlow gRPC server (TF_NewServer): master and worker services of one cluster task.
#pragma once

#include <napi.h>
#include <tensorflow/c/c_api.h>

namespace tfnapi {

class Server : public Napi::ObjectWrap<Server> {
 public:
  static Napi::Function Init(Napi::Env env);
  // (serverDef: serialized ServerDef, listenAddress?: IP literal to bind instead of TF's wildcard, port?)
  explicit Server(const Napi::CallbackInfo& info);
  ~Server() override;

 private:
  Napi::Value Start(const Napi::CallbackInfo& info);
  Napi::Value Stop(const Napi::CallbackInfo& info);
  // TF_ServerJoin on a thread of its own: resolves when the server stops (a started gRPC server never does).
  Napi::Value Join(const Napi::CallbackInfo& info);
  Napi::Value Target(const Napi::CallbackInfo& info);
  Napi::Value Redirected(const Napi::CallbackInfo& info);

  TF_Server* Get(Napi::Env env) const;
  TF_Server* server_ = nullptr;
  bool started_ = false;
  int redirected_ = 0;
};

}  // namespace tfnapi
