// One element of Adam / AdamW / AMSGrad in TF's expression order, shared by the CUDA kernel
// (fused_adam.cuh) and the CPU kernel of the op library (native/ops/fused_adam_op.cc).
//
// The order is TF's ResourceApplyAdam / ResourceApplyAdamWithAmsgrad as tf-napi's Keras-3 Adam
// drives them (training_ops.cc: ApplyAdamNonCuda, ApplyAdamWithAmsgrad<CPUDevice>), with Keras 3's
// _apply_weight_decay before it:
//   decay (AdamW):  p = p - p * (wd * lr)
//     Keras writes p - p * wd * lr, but what TF runs is this: the graph's Mul(Mul(p, wd), lr) is
//     reassociated by grappler's arithmetic optimizer (MinimizeBroadcasts: the scalars first),
//     in Python's tf.function as in tf-napi's traced step.
//   alpha = (lr * sqrt(1 - beta2^t)) / (1 - beta1^t)
//   m = m + (g - m) * (1 - beta1)
//   v = v + (g * g - v) * (1 - beta2)
//   amsgrad: vhat = max(vhat, v) (std::max's NaN rule, as Eigen's cwiseMax), vhat replaces v below
//   p = p - (m * alpha) / (sqrt(v) + epsilon)
// Every operation rounds once, to nearest: on the device through round-to-nearest intrinsics,
// which nvcc never contracts; on the host through plain float operators, so host code that
// includes this must be compiled with -ffp-contract=off (no fused multiply-adds), as TF's own CPU
// kernels effectively are. IEEE add, sub, mul, div and sqrt are then exact roundings whatever
// the vector width, and results are bit-identical to TF's CPU kernel.
#pragma once

#if defined(__CUDACC__)
#define TFNAPI_ADAM_HD __host__ __device__ __forceinline__
#else
#define TFNAPI_ADAM_HD inline
#endif

#if !defined(__CUDA_ARCH__)
#include <cmath>
#endif

namespace fused_adam {

// The per-step scalars every element uses.
struct Scalars {
  float alpha;  // lr * sqrt(1 - beta2^t) / (1 - beta1^t)
  float omb1;   // 1 - beta1
  float omb2;   // 1 - beta2
  float eps;
  float wd;     // weight decay (AdamW)
  float lr;
  float wd_lr;  // wd * lr: the decay factor, used only where decay applies
};

namespace rn {
#if defined(__CUDA_ARCH__)
__device__ __forceinline__ float add(float a, float b) { return __fadd_rn(a, b); }
__device__ __forceinline__ float sub(float a, float b) { return __fsub_rn(a, b); }
__device__ __forceinline__ float mul(float a, float b) { return __fmul_rn(a, b); }
__device__ __forceinline__ float div(float a, float b) { return __fdiv_rn(a, b); }
__device__ __forceinline__ float sqrt(float a) { return __fsqrt_rn(a); }
#else
inline float add(float a, float b) { return a + b; }
inline float sub(float a, float b) { return a - b; }
inline float mul(float a, float b) { return a * b; }
inline float div(float a, float b) { return a / b; }
inline float sqrt(float a) { return std::sqrt(a); }
#endif
// std::max(a, b): b only when a < b (a NaN in either keeps a), as Eigen's scalar and packet max.
TFNAPI_ADAM_HD float max(float a, float b) { return a < b ? b : a; }
}  // namespace rn

// alpha from the learning rate and the two beta powers, in TF's order.
TFNAPI_ADAM_HD float adam_alpha(float lr, float beta1_power, float beta2_power) {
  return rn::div(rn::mul(lr, rn::sqrt(rn::sub(1.0f, beta2_power))), rn::sub(1.0f, beta1_power));
}

TFNAPI_ADAM_HD Scalars adam_scalars(float lr, float beta1_power, float beta2_power, float beta1,
                                    float beta2, float eps, float wd) {
  Scalars s;
  s.alpha = adam_alpha(lr, beta1_power, beta2_power);
  s.omb1 = rn::sub(1.0f, beta1);
  s.omb2 = rn::sub(1.0f, beta2);
  s.eps = eps;
  s.wd = wd;
  s.lr = lr;
  s.wd_lr = rn::mul(wd, lr);
  return s;
}

// One element. vh is read and written only when AMS.
template <bool AMS>
TFNAPI_ADAM_HD void adam_element(float& p, float g, float& m, float& v, float& vh, const Scalars& s,
                                 bool decay) {
  if (decay) p = rn::sub(p, rn::mul(p, s.wd_lr));
  m = rn::add(m, rn::mul(rn::sub(g, m), s.omb1));
  v = rn::add(v, rn::mul(rn::sub(rn::mul(g, g), v), s.omb2));
  float denom_v = v;
  if (AMS) {
    vh = rn::max(vh, v);
    denom_v = vh;
  }
  p = rn::sub(p, rn::div(rn::mul(m, s.alpha), rn::add(rn::sqrt(denom_v), s.eps)));
}

}  // namespace fused_adam
