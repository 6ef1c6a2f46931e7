// Asynchronous runs: a pool thread calls TF, the environment's JS thread settles the promise, and
// runs still in flight are cancelled (their sessions closed) when the environment is torn down
// (worker.terminate(), process.exit() in a worker), or at process exit by lib/raw/session.ts.
//
// Not Napi::AsyncWorker: Node waits for the libuv pool's requests before it runs any cleanup hook,
// and joins the pool's threads on process.exit(), so a run blocked in TF (a queue that is never
// fed) hung both, and one that ended after its environment was gone threw into it and aborted.
#pragma once

#include <napi.h>
#include <tensorflow/c/c_api.h>

#include <condition_variable>
#include <memory>
#include <mutex>
#include <vector>

namespace tfnapi {

// One run: executed on a pool thread, settled on the JS thread (or dropped at teardown).
class PoolRun {
 public:
  explicit PoolRun(TF_Session* session) : session_(session) {}
  virtual ~PoolRun() = default;
  // The session whose closing cancels this run (alive until Finish has run).
  TF_Session* session() const { return session_; }
  // On a pool thread: the blocking TF call. Touches no JS value.
  virtual void Execute() = 0;
  // On the JS thread, exactly once, before the outcome or instead of it: native bookkeeping only
  // (unpin feeds, end the session's run), so it also runs while the environment is torn down.
  virtual void Finish() = 0;
  // On the JS thread: the value to resolve with (*ok = true) or the error to reject with.
  virtual Napi::Value Outcome(Napi::Env env, bool* ok) = 0;

 private:
  friend class EnvRuns;
  TF_Session* session_;
  napi_deferred deferred_ = nullptr;
};

// The runs of one environment (one per AddonData).
class EnvRuns {
 public:
  // Made by the module's Init: the delivery channel and the environment's cleanup hook.
  static std::unique_ptr<EnvRuns> Start(Napi::Env env);

  // Hands `run` to a pool thread; the promise settles with its outcome.
  Napi::Promise Submit(Napi::Env env, std::unique_ptr<PoolRun> run);

 private:
  EnvRuns() = default;
  static void CallJs(napi_env env, napi_value callback, void* context, void* data);
  static void Cleanup(void* arg);
  friend Napi::Value CancelRuns(const Napi::CallbackInfo& info);
  void Execute(PoolRun* run);
  void Deliver(napi_env env, PoolRun* run);
  // Closes the session of every run in flight: each returns from TF with CancelledError as soon as
  // TF notices (a blocked op at once; a running kernel ends first).
  void CancelAll();
  // Waits until no run is in TF.
  void WaitIdle();
  std::vector<PoolRun*> TakeFinished();

  napi_threadsafe_function tsfn_ = nullptr;
  std::mutex mutex_;
  std::condition_variable idle_;
  std::vector<PoolRun*> running_;   // handed to the pool and not yet returned from TF
  std::vector<PoolRun*> finished_;  // returned from TF and not yet settled
  bool closing_ = false;             // torn down: completions are no longer delivered
  size_t pending_ = 0;  // JS thread only: submitted and not settled; while > 0 the loop stays alive
};

// cancelRuns(): closes the sessions of this environment's runs in flight and waits until every one
// has returned from TF. For process exit ('exit' listener): nothing may still be running in TF
// while the process tears down, and a run blocked on a queue would otherwise never return.
Napi::Value CancelRuns(const Napi::CallbackInfo& info);

}  // namespace tfnapi
