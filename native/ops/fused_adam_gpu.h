// The seam between the op library's GPU kernel (fused_adam_gpu_kernel.cc, host compiler, TF
// headers) and the CUDA side (fused_adam_gpu.cu, nvcc, native/kernels/fused_adam.cuh): plain
// types only, so neither side needs the other's headers.
#pragma once

#include <cstddef>

namespace tfnapi_ops {

struct GpuTensor {
  float* p;
  const float* g;
  float* m;
  float* v;
  float* vhat;  // null without amsgrad
  long long n;
};

struct GpuHyper {
  float beta1, beta2, epsilon, weight_decay;
  bool amsgrad;
};

// Enqueues the whole step on `stream` (a CUstream / cudaStream_t) with no host sync; lr and
// iterations are device pointers. Returns a cudaError_t (0: success).
int FusedAdamGpuLaunch(const GpuTensor* tensors, int count, const float* lr, const long long* iterations,
                       const GpuHyper& hyper, void* stream);

// cudaMemcpyAsync device to device on `stream`; a cudaError_t.
int CopyDeviceToDevice(void* dst, const void* src, size_t bytes, void* stream);

const char* CudaErrorString(int error);

}  // namespace tfnapi_ops
