// TfNapiFusedApplyAdam: one op that applies Adam (AdamW, AMSGrad) to every variable of a step,
// reading the learning rate and the step count from their resource variables. Its CPU kernel
// runs one pass over all variables; the numbers equal TF's ResourceApplyAdam /
// ResourceApplyAdamWithAmsgrad as tf-napi's Keras Adam calls them (native/kernels/adam_element.h).
// Built by CMake into tf_napi_ops.so (target tf_napi_ops), loaded with TF_LoadLibrary by
// lib/op_library.ts. Compile with TF's flags (C++17, _GLIBCXX_USE_CXX11_ABI=1,
// EIGEN_MAX_ALIGN_BYTES=64) and -ffp-contract=off.
#define EIGEN_USE_THREADS

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "../kernels/adam_element.h"
#include "fused_adam_common.h"
#include "tensorflow/core/framework/op.h"
#include "tensorflow/core/framework/op_kernel.h"
#include "tensorflow/core/framework/shape_inference.h"
#include "tensorflow/core/kernels/training_op_helpers.h"

namespace tfnapi_ops {
namespace {

using ::tensorflow::shape_inference::InferenceContext;
using ::tensorflow::shape_inference::ShapeHandle;
using CPUDevice = Eigen::ThreadPoolDevice;

// Graph-time checks: the attrs, each grad's shape against its variables' (when the handles carry
// shapes), and lr / iterations scalars of the right dtype (when known).
absl::Status ShapeFn(InferenceContext* c) {
  int n = 0, k = 0;
  float beta1 = 0, beta2 = 0, epsilon = 0, wd = 0;
  bool amsgrad = false;
  TF_RETURN_IF_ERROR(c->GetAttr("N", &n));
  TF_RETURN_IF_ERROR(c->GetAttr("K", &k));
  TF_RETURN_IF_ERROR(c->GetAttr("beta1", &beta1));
  TF_RETURN_IF_ERROR(c->GetAttr("beta2", &beta2));
  TF_RETURN_IF_ERROR(c->GetAttr("epsilon", &epsilon));
  TF_RETURN_IF_ERROR(c->GetAttr("weight_decay", &wd));
  TF_RETURN_IF_ERROR(c->GetAttr("amsgrad", &amsgrad));
  TF_RETURN_IF_ERROR(Attrs::Check(n, k, beta1, beta2, epsilon, wd, amsgrad));
  Attrs a;
  a.n = n;
  a.k = k;
  for (int i = 0; i < n; ++i) {
    ShapeHandle grad = c->input(a.grad(i));
    for (int input : {a.var(i), a.m(i), a.v(i)}) {
      const auto* handle = c->input_handle_shapes_and_types(input);
      if (handle == nullptr || handle->empty()) continue;
      if ((*handle)[0].dtype != tensorflow::DT_FLOAT) {
        return absl::InvalidArgumentError(std::string(kOpName) + ": " + InputName(a, input) + " is a " +
                                          tensorflow::DataTypeString((*handle)[0].dtype) + " variable, but T is float");
      }
      ShapeHandle merged;
      const absl::Status s = c->Merge(grad, (*handle)[0].shape, &merged);
      if (!s.ok()) {
        return absl::InvalidArgumentError(std::string(kOpName) + ": grad[" + std::to_string(i) + "] and " +
                                          InputName(a, input) + " differ in shape: " + std::string(s.message()));
      }
    }
  }
  for (auto [input, dtype] : {std::pair<int, tensorflow::DataType>(a.lr(), tensorflow::DT_FLOAT),
                              std::pair<int, tensorflow::DataType>(a.iterations(), tensorflow::DT_INT64)}) {
    const auto* handle = c->input_handle_shapes_and_types(input);
    if (handle == nullptr || handle->empty()) continue;
    ShapeHandle scalar;
    if ((*handle)[0].dtype != dtype || !c->WithRank((*handle)[0].shape, 0, &scalar).ok()) {
      return absl::InvalidArgumentError(std::string(kOpName) + ": " + InputName(a, input) +
                                        " must be a scalar variable of dtype " + tensorflow::DataTypeString(dtype));
    }
  }
  return absl::OkStatus();
}

}  // namespace
}  // namespace tfnapi_ops

REGISTER_OP("TfNapiFusedApplyAdam")
    .Input("var: N * resource")
    .Input("grad: N * T")
    .Input("m: N * resource")
    .Input("v: N * resource")
    .Input("vhat: K * resource")
    .Input("lr: resource")
    .Input("iterations: resource")
    .Attr("N: int >= 1")
    .Attr("K: int >= 0")
    .Attr("T: {float}")
    .Attr("beta1: float = 0.9")
    .Attr("beta2: float = 0.999")
    .Attr("epsilon: float = 1e-7")
    .Attr("weight_decay: float = 0")
    .Attr("amsgrad: bool = false")
    .SetIsStateful()
    .SetShapeFn(tfnapi_ops::ShapeFn)
    .Doc(R"doc(
Adam (AdamW with weight_decay > 0, AMSGrad with amsgrad) on N variables in one op, as N
ResourceApplyAdam (ResourceApplyAdamWithAmsgrad) would, preceded by Keras' decoupled weight decay
var -= var * weight_decay * lr. The step is t = iterations + 1 (iterations is read, not written);
beta^t = pow(beta, float(t)).

var: the variables. grad: their gradients. m, v: the first and second moment slots.
vhat: the AMSGrad maxima (K = N with amsgrad, else K = 0).
lr: float32 scalar variable. iterations: int64 scalar variable (steps done so far).
)doc");

namespace tfnapi_ops {
namespace {

// Elements (all variables together) below which the pass stays on the calling thread. Measured on
// the 2-core reference VM (bench/fused_adam_threshold.ts, bench/PROFILE.md): handing a shard to
// the intra-op pool costs ~30 µs there (a futex wake-up), more than the second core saves below
// ~2M elements (one thread updates ~6 elements/ns while the data sits in cache, ~2 from DRAM);
// from 2M up the split ranges from a wash (the other core busy) to ~1.8x (the other core free).
// TF_NAPI_FUSED_ADAM_PARALLEL_MIN overrides it (elements; 0 always splits when there is a pool).
constexpr int64_t kDefaultParallelMin = int64_t{1} << 21;
// Shards are multiples of one cache line of floats, so no two threads write the same line.
constexpr int64_t kShardAlign = 16;

int64_t ParallelMinFromEnv() {
  const char* text = std::getenv("TF_NAPI_FUSED_ADAM_PARALLEL_MIN");
  if (text == nullptr || *text == '\0') return kDefaultParallelMin;
  char* end = nullptr;
  const long long value = std::strtoll(text, &end, 10);
  return end != text && *end == '\0' && value >= 0 ? value : kDefaultParallelMin;
}

// Built for AVX-512, AVX2 and the baseline; the loader picks one for the CPU (ifunc). The ops are
// IEEE roundings at any width and nothing is contracted (-ffp-contract=off), so all three give the
// same bits.
template <bool AMS, bool DECAY>
__attribute__((target_clones("avx512f", "avx2", "default")))
void ApplyRange(const Slot& t, int64_t begin, int64_t end, const fused_adam::Scalars& s) {
  float* __restrict__ p = t.p;
  const float* __restrict__ g = t.g;
  float* __restrict__ m = t.m;
  float* __restrict__ v = t.v;
  float* __restrict__ vh = t.vh;
  for (int64_t i = begin; i < end; ++i) {
    float pi = p[i], mi = m[i], vi = v[i], hi = AMS ? vh[i] : 0.0f;
    fused_adam::adam_element<AMS>(pi, g[i], mi, vi, hi, s, DECAY);
    p[i] = pi;
    m[i] = mi;
    v[i] = vi;
    if (AMS) vh[i] = hi;
  }
}

using RangeFn = void (*)(const Slot&, int64_t, int64_t, const fused_adam::Scalars&);

RangeFn PickRange(bool amsgrad, bool decay) {
  if (amsgrad) return decay ? ApplyRange<true, true> : ApplyRange<true, false>;
  return decay ? ApplyRange<false, true> : ApplyRange<false, false>;
}

class FusedApplyAdamCpu : public tensorflow::OpKernel {
 public:
  explicit FusedApplyAdamCpu(OpKernelConstruction* c) : OpKernel(c), parallel_min_(ParallelMinFromEnv()) {
    OP_REQUIRES_OK(c, attrs_.Read(c));
  }

  void Compute(OpKernelContext* ctx) override {
    const Attrs& a = attrs_;
    if (ctx->num_inputs() != 4 * a.n + a.k + 2) {
      ctx->CtxFailure(absl::InvalidArgumentError(std::string(kOpName) + ": wrong number of inputs"));
      return;
    }
    LockedVariables locked;
    OP_REQUIRES_OK(ctx, locked.Acquire(ctx, a));

    const Tensor* lr_tensor = nullptr;
    const Tensor* it_tensor = nullptr;
    OP_REQUIRES_OK(ctx, CheckedScalar(a, locked.var(a.lr()), a.lr(), tensorflow::DT_FLOAT, &lr_tensor));
    OP_REQUIRES_OK(ctx, CheckedScalar(a, locked.var(a.iterations()), a.iterations(), tensorflow::DT_INT64, &it_tensor));
    const float lr = lr_tensor->scalar<float>()();
    const int64_t iterations = it_tensor->scalar<int64_t>()();

    std::vector<Slot> slots(a.n);
    int64_t total = 0;
    for (int i = 0; i < a.n; ++i) {
      const Tensor& grad = ctx->input(a.grad(i));
      float* buffers[4] = {nullptr, nullptr, nullptr, nullptr};
      const int inputs[4] = {a.var(i), a.m(i), a.v(i), a.amsgrad ? a.vhat(i) : -1};
      for (int j = 0; j < 4; ++j) {
        if (inputs[j] < 0) continue;
        Var* var = locked.var(inputs[j]);
        OP_REQUIRES_OK(ctx, CheckedVariable(a, var, inputs[j], grad, i));
        // Copy-on-write: a buffer still shared with a read is copied before it is updated.
        OP_REQUIRES_OK(ctx, tensorflow::PrepareToUpdateVariable<CPUDevice, float>(ctx, var->tensor(),
                                                                                   var->copy_on_read_mode.load()));
        buffers[j] = var->tensor()->flat<float>().data();
      }
      slots[i] = Slot{buffers[0], grad.flat<float>().data(), buffers[1], buffers[2], buffers[3], grad.NumElements()};
      total += slots[i].n;
    }
    if (total == 0) return;

    // beta^t exactly as the Pow op Keras' Adam runs: powf(beta, float(iterations + 1)).
    const float t = static_cast<float>(iterations + 1);
    const float beta1_power = std::pow(a.beta1, t);
    const float beta2_power = std::pow(a.beta2, t);
    const fused_adam::Scalars s =
        fused_adam::adam_scalars(lr, beta1_power, beta2_power, a.beta1, a.beta2, a.epsilon, a.weight_decay);
    const RangeFn range = PickRange(a.amsgrad, a.weight_decay != 0.0f);

    auto* workers = ctx->device()->tensorflow_cpu_worker_threads();
    const int threads = workers != nullptr && workers->workers != nullptr ? workers->num_threads : 1;
    if (threads <= 1 || total < parallel_min_) {
      for (const Slot& slot : slots) range(slot, 0, slot.n, s);
      return;
    }
    // One pass over the concatenation of all variables, cut into `threads` shards.
    std::vector<int64_t> starts(a.n + 1, 0);
    for (int i = 0; i < a.n; ++i) starts[i + 1] = starts[i] + slots[i].n;
    int64_t block = (total + threads - 1) / threads;
    block = (block + kShardAlign - 1) / kShardAlign * kShardAlign;
    auto shard = [&](int64_t begin, int64_t end) {
      int i = static_cast<int>(std::upper_bound(starts.begin(), starts.end(), begin) - starts.begin()) - 1;
      for (; i < a.n && starts[i] < end; ++i) {
        const int64_t from = std::max(begin, starts[i]) - starts[i];
        const int64_t to = std::min(end, starts[i + 1]) - starts[i];
        if (from < to) range(slots[i], from, to, s);
      }
    };
    workers->workers->ParallelFor(total, tsl::thread::ThreadPool::SchedulingParams::Fixed(block), shard);
  }

 private:
  Attrs attrs_;
  const int64_t parallel_min_;
};

REGISTER_KERNEL_BUILDER(Name("TfNapiFusedApplyAdam").Device(tensorflow::DEVICE_CPU).TypeConstraint<float>("T"),
                        FusedApplyAdamCpu);

}  // namespace
}  // namespace tfnapi_ops
