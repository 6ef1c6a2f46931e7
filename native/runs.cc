#include "runs.h"

#include "addon.h"
#include "signals_blocked.h"
#include "status.h"

#include <dlfcn.h>

#include <algorithm>
#include <chrono>
#include <deque>
#include <exception>
#include <functional>
#include <system_error>
#include <thread>

namespace tfnapi {

namespace {

// An idle pool thread ends after this long without work.
constexpr auto kIdleExit = std::chrono::seconds(30);

// The threads that block in TF_SessionRun. One per concurrent run (a run may wait on another, as a
// dequeue waits on an enqueue, so a fixed-size pool could deadlock); idle threads are reused.
class Pool {
 public:
  // Process-wide and never destroyed: detached threads may still be inside it at exit.
  static Pool& Get() {
    static Pool* pool = [] {
      // The threads run this library's code: keep it mapped even if a worker that loaded it
      // ends and Node dlcloses it.
      Dl_info info;
      if (dladdr(reinterpret_cast<void*>(&Pool::Get), &info) != 0 && info.dli_fname != nullptr) {
        dlopen(info.dli_fname, RTLD_LAZY | RTLD_NOLOAD | RTLD_NODELETE);
      }
      return new Pool();
    }();
    return *pool;
  }

  // False if no thread could be started to run `task` (nothing is queued then).
  bool Submit(std::function<void()> task) {
    std::unique_lock<std::mutex> lock(mutex_);
    tasks_.push_back(std::move(task));
    if (idle_ >= tasks_.size()) {
      wake_.notify_one();
      return true;
    }
    try {
      std::thread([this] { Loop(); }).detach();
      ++threads_;
    } catch (const std::system_error&) {
      // Out of threads: a busy thread takes it when it is done; with none, nobody would.
      if (threads_ == 0) {
        tasks_.pop_back();
        return false;
      }
    }
    return true;
  }

 private:
  void Loop() {
    // Runs execute kernels here: signals are left to the main thread, which blocks them only per call.
    SignalsBlocked blocked;
    std::unique_lock<std::mutex> lock(mutex_);
    for (;;) {
      ++idle_;
      bool hasWork = wake_.wait_for(lock, kIdleExit, [this] { return !tasks_.empty(); });
      --idle_;
      if (!hasWork) {
        --threads_;
        return;
      }
      std::function<void()> task = std::move(tasks_.front());
      tasks_.pop_front();
      lock.unlock();
      task();
      lock.lock();
    }
  }

  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::function<void()>> tasks_;
  size_t idle_ = 0;
  size_t threads_ = 0;
};

}  // namespace

std::unique_ptr<EnvRuns> EnvRuns::Start(Napi::Env env) {
  std::unique_ptr<EnvRuns> runs(new EnvRuns());
  napi_value name = Napi::String::New(env, "tf-napi:run");
  napi_status status = napi_create_threadsafe_function(env, nullptr, nullptr, name, 0, 1, nullptr, nullptr, runs.get(),
                                                       &EnvRuns::CallJs, &runs->tsfn_);
  NAPI_THROW_IF_FAILED(env, status, nullptr);
  // Idle, the channel does not keep the event loop alive; Submit refs it while runs are pending.
  napi_unref_threadsafe_function(env, runs->tsfn_);
  // Added after the channel: hooks run last-added first, so this one still has it.
  status = napi_add_env_cleanup_hook(env, &EnvRuns::Cleanup, runs.get());
  NAPI_THROW_IF_FAILED(env, status, nullptr);
  return runs;
}

Napi::Promise EnvRuns::Submit(Napi::Env env, std::unique_ptr<PoolRun> run) {
  napi_value promise;
  napi_status status = napi_create_promise(env, &run->deferred_, &promise);
  if (status != napi_ok) run->Finish();
  NAPI_THROW_IF_FAILED(env, status, Napi::Promise());
  PoolRun* raw = run.release();
  {
    std::lock_guard<std::mutex> lock(mutex_);
    running_.push_back(raw);
  }
  if (pending_++ == 0) napi_ref_threadsafe_function(env, tsfn_);
  if (!Pool::Get().Submit([this, raw] { Execute(raw); })) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      running_.erase(std::find(running_.begin(), running_.end(), raw));
    }
    if (--pending_ == 0) napi_unref_threadsafe_function(env, tsfn_);
    raw->Finish();
    napi_reject_deferred(env, raw->deferred_, MakeError(env, TF_RESOURCE_EXHAUSTED, "No thread could be started for the run"));
    delete raw;
  }
  return Napi::Promise(env, promise);
}

// Pool thread.
void EnvRuns::Execute(PoolRun* run) {
  run->Execute();
  std::lock_guard<std::mutex> lock(mutex_);
  running_.erase(std::find(running_.begin(), running_.end(), run));
  finished_.push_back(run);
  // Under the lock: the cleanup hook releases the channel only once running_ is empty.
  if (!closing_) napi_call_threadsafe_function(tsfn_, nullptr, napi_tsfn_nonblocking);
  if (running_.empty()) idle_.notify_all();
}

std::vector<PoolRun*> EnvRuns::TakeFinished() {
  std::lock_guard<std::mutex> lock(mutex_);
  return std::move(finished_);
}

// JS thread; env is null when the channel is finalized with calls still queued (teardown: the
// cleanup hook has already dropped their runs).
void EnvRuns::CallJs(napi_env env, napi_value /*callback*/, void* context, void* /*data*/) {
  if (env == nullptr) return;
  auto* self = static_cast<EnvRuns*>(context);
  for (PoolRun* run : self->TakeFinished()) {
    self->Deliver(env, run);
    delete run;
    if (--self->pending_ == 0) napi_unref_threadsafe_function(env, self->tsfn_);
  }
}

void EnvRuns::Deliver(napi_env env, PoolRun* run) {
  run->Finish();
  napi_handle_scope scope;
  if (napi_open_handle_scope(env, &scope) != napi_ok) return;
  // A failed resolve or reject means the environment can no longer run JS (it is being torn
  // down): nobody is left to see the outcome, so it is dropped.
  try {
    bool ok = false;
    Napi::Value value = run->Outcome(Napi::Env(env), &ok);
    if (ok) {
      napi_resolve_deferred(env, run->deferred_, value);
    } else {
      napi_reject_deferred(env, run->deferred_, value);
    }
  } catch (const Napi::Error& error) {
    // Making the outcome failed (the environment stopping, or out of memory): reject with that.
    napi_reject_deferred(env, run->deferred_, error.Value());
  } catch (const std::exception& error) {
    napi_value message, value;
    if (napi_create_string_utf8(env, error.what(), NAPI_AUTO_LENGTH, &message) == napi_ok &&
        napi_create_error(env, nullptr, message, &value) == napi_ok) {
      napi_reject_deferred(env, run->deferred_, value);
    }
  }
  napi_close_handle_scope(env, scope);
}

void EnvRuns::CancelAll() {
  std::vector<TF_Session*> sessions;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    for (PoolRun* run : running_) {
      if (std::find(sessions.begin(), sessions.end(), run->session()) == sessions.end()) {
        sessions.push_back(run->session());
      }
    }
  }
  // A session with a run in flight is not deleted before that run is settled, on the JS thread,
  // which is the caller's.
  TF_Status* status = TF_NewStatus();
  for (TF_Session* session : sessions) TF_CloseSession(session, status);
  TF_DeleteStatus(status);
}

void EnvRuns::WaitIdle() {
  std::unique_lock<std::mutex> lock(mutex_);
  idle_.wait(lock, [this] { return running_.empty(); });
}

Napi::Value CancelRuns(const Napi::CallbackInfo& info) {
  EnvRuns& runs = *Instance(info.Env()).runs;
  runs.CancelAll();
  runs.WaitIdle();
  return info.Env().Undefined();
}

// The environment is being torn down (worker.terminate(), process.exit() in a worker, or the
// main thread's normal end): JS can no longer run. Cancel what is in flight, wait for it to
// return from TF (the feed tensors and sessions it uses are freed by finalizers that run after
// this hook), and release what it holds without settling anything.
void EnvRuns::Cleanup(void* arg) {
  auto* self = static_cast<EnvRuns*>(arg);
  {
    std::lock_guard<std::mutex> lock(self->mutex_);
    self->closing_ = true;
  }
  self->CancelAll();
  self->WaitIdle();
  for (PoolRun* run : self->TakeFinished()) {
    run->Finish();
    delete run;
  }
  self->pending_ = 0;
  napi_release_threadsafe_function(self->tsfn_, napi_tsfn_abort);
}

}  // namespace tfnapi
