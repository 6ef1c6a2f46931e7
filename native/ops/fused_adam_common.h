// What the CPU and GPU kernels of TfNapiFusedApplyAdam share: the attrs, the input layout, and
// gathering the variables under their locks (TF's rules for dense resource updates: every
// updated variable locked exclusively, all locks taken in mutex address order, a buffer that a
// read still shares copied before it is written).
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "tensorflow/core/framework/op_kernel.h"
#include "tensorflow/core/framework/resource_mgr.h"
#include "tensorflow/core/framework/resource_var.h"
#include "tensorflow/core/framework/tensor.h"
#include "tensorflow/core/lib/core/refcount.h"
#include "tsl/platform/mutex.h"

namespace tfnapi_ops {

using ::tensorflow::OpKernelConstruction;
using ::tensorflow::OpKernelContext;
using ::tensorflow::Tensor;
using ::tensorflow::Var;

constexpr const char* kOpName = "TfNapiFusedApplyAdam";

// The op's attrs, checked once when the kernel is made.
struct Attrs {
  int n = 0;  // variables
  int k = 0;  // vhat slots: n with amsgrad, else 0
  float beta1 = 0.9f, beta2 = 0.999f, epsilon = 1e-7f, weight_decay = 0.0f;
  bool amsgrad = false;

  absl::Status Read(OpKernelConstruction* c) {
    TF_RETURN_IF_ERROR(c->GetAttr("N", &n));
    TF_RETURN_IF_ERROR(c->GetAttr("K", &k));
    TF_RETURN_IF_ERROR(c->GetAttr("beta1", &beta1));
    TF_RETURN_IF_ERROR(c->GetAttr("beta2", &beta2));
    TF_RETURN_IF_ERROR(c->GetAttr("epsilon", &epsilon));
    TF_RETURN_IF_ERROR(c->GetAttr("weight_decay", &weight_decay));
    TF_RETURN_IF_ERROR(c->GetAttr("amsgrad", &amsgrad));
    return Check(n, k, beta1, beta2, epsilon, weight_decay, amsgrad);
  }

  // Shared with the op's shape function, so that bad attrs fail when the node is added.
  static absl::Status Check(int n, int k, float beta1, float beta2, float epsilon, float weight_decay,
                            bool amsgrad) {
    if (k != (amsgrad ? n : 0)) {
      return absl::InvalidArgumentError(std::string(kOpName) + ": with amsgrad=" + (amsgrad ? "true" : "false") +
                                        " it takes " + (amsgrad ? "one vhat per variable" : "no vhat") + " (N=" +
                                        std::to_string(n) + ", got K=" + std::to_string(k) + " vhat inputs)");
    }
    if (!(beta1 >= 0.0f && beta1 < 1.0f) || !(beta2 >= 0.0f && beta2 < 1.0f)) {
      return absl::InvalidArgumentError(std::string(kOpName) + ": beta1 and beta2 must be in [0, 1), got " +
                                        std::to_string(beta1) + " and " + std::to_string(beta2));
    }
    if (!(epsilon >= 0.0f) || !std::isfinite(epsilon) || !(weight_decay >= 0.0f) || !std::isfinite(weight_decay)) {
      return absl::InvalidArgumentError(std::string(kOpName) +
                                        ": epsilon and weight_decay must be finite and non-negative");
    }
    return absl::OkStatus();
  }

  // Flat input indices: var[N], grad[N], m[N], v[N], vhat[K], lr, iterations.
  int var(int i) const { return i; }
  int grad(int i) const { return n + i; }
  int m(int i) const { return 2 * n + i; }
  int v(int i) const { return 3 * n + i; }
  int vhat(int i) const { return 4 * n + i; }
  int lr() const { return 4 * n + k; }
  int iterations() const { return 4 * n + k + 1; }
};

// One variable's buffers for this step.
struct Slot {
  float* p;
  const float* g;
  float* m;
  float* v;
  float* vh;  // null without amsgrad
  int64_t n;
};

inline std::string InputName(const Attrs& a, int input) {
  const int n = a.n;
  if (input < n) return "var[" + std::to_string(input) + "]";
  if (input < 2 * n) return "grad[" + std::to_string(input - n) + "]";
  if (input < 3 * n) return "m[" + std::to_string(input - 2 * n) + "]";
  if (input < 4 * n) return "v[" + std::to_string(input - 3 * n) + "]";
  if (input < 4 * n + a.k) return "vhat[" + std::to_string(input - 4 * n) + "]";
  return input == a.lr() ? "lr" : "iterations";
}

// The variables of one step, looked up and locked; the locks are released (before the Vars are
// unreferenced) when this goes away.
class LockedVariables {
 public:
  ~LockedVariables() {
    exclusive_.clear();
    shared_.clear();
  }

  // Looks up every resource input, refuses a variable that appears twice (updating it twice in
  // one pass would read half-written values), then locks: the updated variables exclusively, lr
  // and iterations shared, all in mutex address order (TF's order, so no deadlock with its ops).
  absl::Status Acquire(OpKernelContext* ctx, const Attrs& a) {
    const int updated = 4 * a.n + a.k;  // var, m, v, vhat inputs (grads are skipped below)
    const int total = updated + 2;
    vars_.resize(total);
    std::vector<std::pair<tsl::mutex*, int>> order;
    order.reserve(total - a.n);
    for (int input = 0; input < total; ++input) {
      if (input >= a.n && input < 2 * a.n) continue;  // gradients are plain tensors
      Var* var = nullptr;
      const absl::Status s = tensorflow::LookupResource(ctx, tensorflow::HandleFromInput(ctx, input), &var);
      if (!s.ok()) {
        return absl::Status(s.code(), std::string(kOpName) + ": " + InputName(a, input) + ": " + std::string(s.message()));
      }
      vars_[input].reset(var);
      order.emplace_back(var->mu(), input);
    }
    std::sort(order.begin(), order.end());
    for (size_t i = 1; i < order.size(); ++i) {
      if (order[i].first == order[i - 1].first) {
        return absl::InvalidArgumentError(std::string(kOpName) + ": " + InputName(a, order[i - 1].second) + " and " +
                                          InputName(a, order[i].second) + " are the same variable");
      }
    }
    exclusive_.reserve(order.size());
    shared_.reserve(2);
    for (const auto& [mu, input] : order) {
      if (input < updated) exclusive_.emplace_back(*mu);
      else shared_.emplace_back(*mu);
    }
    return absl::OkStatus();
  }

  Var* var(int input) const { return vars_[input].get(); }

 private:
  std::vector<tensorflow::core::RefCountPtr<Var>> vars_;
  std::vector<tsl::mutex_lock> exclusive_;
  std::vector<tsl::tf_shared_lock> shared_;
};

// The initialized tensor of an updated variable, with dtype and shape checked against the grad.
inline absl::Status CheckedVariable(const Attrs& a, Var* var, int input, const Tensor& grad, int i) {
  const Tensor& t = *var->tensor();
  if (!t.IsInitialized()) {
    return absl::FailedPreconditionError(std::string(kOpName) + ": " + InputName(a, input) +
                                         " is an uninitialized variable");
  }
  if (t.dtype() != tensorflow::DT_FLOAT) {
    return absl::InvalidArgumentError(std::string(kOpName) + ": " + InputName(a, input) + " holds " +
                                      tensorflow::DataTypeString(t.dtype()) + ", but T is float");
  }
  if (!t.shape().IsSameSize(grad.shape())) {
    return absl::InvalidArgumentError(std::string(kOpName) + ": " + InputName(a, input) + " has shape " +
                                      t.shape().DebugString() + " but grad[" + std::to_string(i) + "] has shape " +
                                      grad.shape().DebugString());
  }
  return absl::OkStatus();
}

// A scalar resource variable (lr: float, iterations: int64), checked.
inline absl::Status CheckedScalar(const Attrs& a, Var* var, int input, tensorflow::DataType dtype, const Tensor** out) {
  const Tensor& t = *var->tensor();
  if (!t.IsInitialized()) {
    return absl::FailedPreconditionError(std::string(kOpName) + ": " + InputName(a, input) +
                                         " is an uninitialized variable");
  }
  if (t.dtype() != dtype || t.NumElements() != 1 || t.dims() != 0) {
    return absl::InvalidArgumentError(std::string(kOpName) + ": " + InputName(a, input) +
                                      " must be a scalar variable of dtype " + tensorflow::DataTypeString(dtype) + ", got " +
                                      tensorflow::DataTypeString(t.dtype()) + " " + t.shape().DebugString());
  }
  *out = &t;
  return absl::OkStatus();
}

}  // namespace tfnapi_ops
