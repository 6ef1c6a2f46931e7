#include "server.h"

#include "convert.h"
#include "listen_address.h"
#include "signals_blocked.h"
#include "status.h"

#include <memory>
#include <stdexcept>
#include <string>
#include <thread>

namespace tfnapi {

Napi::Function Server::Init(Napi::Env env) {
  return DefineClass(env, "Server",
                     {InstanceMethod<&Server::Start>("start"), InstanceMethod<&Server::Stop>("stop"),
                      InstanceMethod<&Server::Join>("join"), InstanceAccessor<&Server::Target>("target"),
                      InstanceAccessor<&Server::Redirected>("redirectedBinds")});
}

Server::Server(const Napi::CallbackInfo& info) : Napi::ObjectWrap<Server>(info) {
  Napi::Env env = info.Env();
  if (!IsUint8Array(info[0])) throw Napi::TypeError::New(env, "Server takes a serialized ServerDef (Uint8Array)");
  std::string_view def = BytesOf(info[0].As<Napi::TypedArray>());
  StatusPtr status = NewStatus();
  if (info.Length() > 1 && !IsNullish(info[1])) {
    if (!info[1].IsString() || !info[2].IsNumber()) {
      throw Napi::TypeError::New(env, "the listen address must be a string and its port a number");
    }
    try {
      ListenAddressGuard guard(info[1].As<Napi::String>().Utf8Value(), info[2].As<Napi::Number>().Int32Value());
      SignalsBlocked blocked;  // the server's threads inherit the mask
      server_ = TF_NewServer(def.data(), def.size(), status.get());
      redirected_ = guard.redirected();
    } catch (const std::runtime_error& e) {
      throw Napi::Error::New(env, e.what());
    }
  } else {
    SignalsBlocked blocked;
    server_ = TF_NewServer(def.data(), def.size(), status.get());
  }
  ThrowIfNotOk(env, status.get());
}

// A started gRPC server cannot be shut down (TF's GrpcServer::Stop is Unimplemented) and deleting it
// would free what its service threads still use: like Python, a started server is leaked. One that
// never started is deleted.
Server::~Server() {
  if (server_ != nullptr && !started_) TF_DeleteServer(server_);
}

TF_Server* Server::Get(Napi::Env env) const {
  if (server_ == nullptr) ThrowCode(env, TF_FAILED_PRECONDITION, "The server was stopped");
  return server_;
}

Napi::Value Server::Start(const Napi::CallbackInfo& info) {
  StatusPtr status = NewStatus();
  SignalsBlocked blocked;
  TF_ServerStart(Get(info.Env()), status.get());
  ThrowIfNotOk(info.Env(), status.get());
  started_ = true;
  return info.Env().Undefined();
}

// An unstarted server is deleted (its port freed); a started one is asked to stop, which TF refuses.
Napi::Value Server::Stop(const Napi::CallbackInfo& info) {
  TF_Server* server = Get(info.Env());
  if (!started_) {
    TF_DeleteServer(server);
    server_ = nullptr;
    return info.Env().Undefined();
  }
  StatusPtr status = NewStatus();
  TF_ServerStop(server, status.get());
  ThrowIfNotOk(info.Env(), status.get());
  return info.Env().Undefined();
}

Napi::Value Server::Join(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  auto deferred = std::make_shared<Napi::Promise::Deferred>(env);
  // The thread-safe function keeps the event loop alive while the server serves, as Python's join blocks.
  auto done = Napi::ThreadSafeFunction::New(env, Napi::Function::New(env, [](const Napi::CallbackInfo&) {}),
                                            "tf_napi.server.join", 0, 1);
  TF_Server* server = Get(env);
  std::thread([server, done, deferred]() mutable {
    auto status = std::make_shared<StatusPtr>(NewStatus());
    TF_ServerJoin(server, status->get());
    done.BlockingCall([deferred, status](Napi::Env env, Napi::Function) {
      TF_Status* s = status->get();
      if (TF_GetCode(s) == TF_OK) {
        deferred->Resolve(env.Undefined());
      } else {
        deferred->Reject(MakeError(env, TF_GetCode(s), TF_Message(s)));
      }
    });
    done.Release();
  }).detach();
  return deferred->Promise();
}

Napi::Value Server::Target(const Napi::CallbackInfo& info) {
  return Napi::String::New(info.Env(), TF_ServerTarget(Get(info.Env())));
}

Napi::Value Server::Redirected(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), redirected_);
}

}  // namespace tfnapi
