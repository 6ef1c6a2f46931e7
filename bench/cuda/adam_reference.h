// The CPU reference for fused_adam.cuh, shared by the GPU harness and the CPU emulation test.
// Written from TF's kernels (training_ops.cc ApplyAdamNonCuda, the ApplyAdamWithAmsgrad functor)
// and Keras' _apply_weight_decay, not from the .cuh: plain float C++, the same expression in the
// same order. Build with -ffp-contract=off so the host compiler fuses no multiply-add either.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>

#include "../../native/kernels/fused_adam.cuh"  // Hyper only

struct RefScalars {
  float alpha, omb1, omb2, eps, wd, lr;
};

// std::pow in double, rounded to float, stands in for TF's Pow(float) on beta^t.
inline RefScalars ref_scalars(float lr, long long iterations, const fused_adam::Hyper& h) {
  const double t = static_cast<double>(static_cast<float>(iterations + 1));  // TF: Cast to float32
  const float b1p = static_cast<float>(std::pow(static_cast<double>(h.beta1), t));
  const float b2p = static_cast<float>(std::pow(static_cast<double>(h.beta2), t));
  RefScalars s;
  s.alpha = lr * std::sqrt(1.0f - b2p) / (1.0f - b1p);
  s.omb1 = 1.0f - h.beta1;
  s.omb2 = 1.0f - h.beta2;
  s.eps = h.epsilon;
  s.wd = h.weight_decay;
  s.lr = lr;
  return s;
}

inline void ref_update(float& p, float g, float& m, float& v, float& vh, const RefScalars& s, bool decay,
                       bool amsgrad) {
  if (decay) p = p - p * (s.wd * s.lr);  // Keras' p - p * wd * lr after grappler's MinimizeBroadcasts
  m = m + (g - m) * s.omb1;
  v = v + (g * g - v) * s.omb2;
  const float vv = amsgrad ? (vh = std::max(vh, v)) : v;  // Eigen's cwiseMax: std::max's NaN rule
  p = p - m * s.alpha / (std::sqrt(vv) + s.eps);
}

inline int64_t ordered(float f) {  // monotone map of float bits to integers
  int32_t i;
  std::memcpy(&i, &f, 4);
  return i < 0 ? static_cast<int64_t>(INT32_MIN) - i : i;
}
inline int64_t ulp_distance(float a, float b) {
  if (std::isnan(a) || std::isnan(b)) return std::isnan(a) && std::isnan(b) ? 0 : INT64_MAX;
  const int64_t d = ordered(a) - ordered(b);
  return d < 0 ? -d : d;
}
