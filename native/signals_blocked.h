// Holds off signal delivery to this thread while TF runs kernels on it.
#pragma once

#include <pthread.h>
#include <signal.h>

namespace tfnapi {

// A signal that reaches Node's main thread while TF runs kernels inline on it (a tf.function step,
// an eager op) corrupted the heap: V8's profiler (SIGPROF under --cpu-prof), SIGUSR2/SIGCHLD/SIGWINCH
// handled by libuv. Blocked for the call, a signal waits and is delivered when the call returns
// (libuv's and V8's handlers only record it). Python's main thread does not show the fault.
class SignalsBlocked {
 public:
  SignalsBlocked() {
    sigset_t all;
    sigfillset(&all);
    pthread_sigmask(SIG_BLOCK, &all, &previous_);
  }
  ~SignalsBlocked() { pthread_sigmask(SIG_SETMASK, &previous_, nullptr); }
  SignalsBlocked(const SignalsBlocked&) = delete;
  SignalsBlocked& operator=(const SignalsBlocked&) = delete;

 private:
  sigset_t previous_;
};

}  // namespace tfnapi
