// Holds off signal delivery to this thread while TF runs kernels on it.
#pragma once

#include <pthread.h>
#include <signal.h>
#include <time.h>

namespace tfnapi {

// A signal handled while TF runs kernels on a thread (a tf.function step or an eager op on Node's
// main thread, TF's own threads) corrupted the heap: V8's profiler (SIGPROF under --cpu-prof), a
// SIGUSR2 stream handled by libuv. Blocked for the call, a signal waits and is delivered when the
// call returns (libuv's and V8's handlers only record it). Not blocked: the signals a fault raises
// (their handlers must run at once), and SIGINT/SIGTERM/SIGHUP/SIGQUIT while no handler is
// installed for them (no handler runs, the process ends at once, as a blocked sync run would not).
class SignalsBlocked {
 public:
  SignalsBlocked() { pthread_sigmask(SIG_BLOCK, &Set(), &previous_); }
  ~SignalsBlocked() { pthread_sigmask(SIG_SETMASK, &previous_, nullptr); }
  SignalsBlocked(const SignalsBlocked&) = delete;
  SignalsBlocked& operator=(const SignalsBlocked&) = delete;

 private:
  // The set to block, per thread, read again at most every 100 ms (a handler installed since
  // then, by process.on('SIGINT') say, is then blocked too).
  static const sigset_t& Set() {
    static thread_local sigset_t set;
    static thread_local bool known = false;
    static thread_local timespec read;
    timespec now;
    clock_gettime(CLOCK_MONOTONIC_COARSE, &now);
    if (!known || (now.tv_sec - read.tv_sec) * 1000 + (now.tv_nsec - read.tv_nsec) / 1000000 >= 100) {
      known = true;
      read = now;
      sigfillset(&set);
      for (int fault : {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGTRAP, SIGABRT, SIGSYS}) sigdelset(&set, fault);
      for (int end : {SIGINT, SIGTERM, SIGHUP, SIGQUIT}) {
        struct sigaction action;
        if (sigaction(end, nullptr, &action) == 0 && !(action.sa_flags & SA_SIGINFO) && action.sa_handler == SIG_DFL) {
          sigdelset(&set, end);
        }
      }
    }
    return set;
  }

  sigset_t previous_;
};

}  // namespace tfnapi
