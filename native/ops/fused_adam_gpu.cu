// The CUDA side of TfNapiFusedApplyAdam's GPU kernel: native/kernels/fused_adam.cuh's
// multi-tensor launcher (measured on an H200, bench/cuda/README.md) behind fused_adam_gpu.h.
// Compiled by nvcc only when TF_NAPI_GPU=1 and a CUDA toolkit is found (CMakeLists.txt).
#include <cuda_runtime.h>

#include <vector>

#include "../kernels/fused_adam.cuh"
#include "fused_adam_gpu.h"

namespace tfnapi_ops {

int FusedAdamGpuLaunch(const GpuTensor* tensors, int count, const float* lr, const long long* iterations,
                       const GpuHyper& hyper, void* stream) {
  std::vector<fused_adam::Tensor> list(count);
  const bool adamw = hyper.weight_decay != 0.0f;
  for (int i = 0; i < count; ++i) {
    list[i] = fused_adam::Tensor{tensors[i].p, tensors[i].g, tensors[i].m, tensors[i].v, tensors[i].vhat, tensors[i].n, adamw};
  }
  fused_adam::Hyper h;
  h.beta1 = hyper.beta1;
  h.beta2 = hyper.beta2;
  h.epsilon = hyper.epsilon;
  h.weight_decay = hyper.weight_decay;
  h.adamw = adamw;
  h.amsgrad = hyper.amsgrad;
  return static_cast<int>(fused_adam::apply(list.data(), count, lr, iterations, h, static_cast<cudaStream_t>(stream)));
}

int CopyDeviceToDevice(void* dst, const void* src, size_t bytes, void* stream) {
  return static_cast<int>(cudaMemcpyAsync(dst, src, bytes, cudaMemcpyDeviceToDevice, static_cast<cudaStream_t>(stream)));
}

const char* CudaErrorString(int error) { return cudaGetErrorString(static_cast<cudaError_t>(error)); }

}  // namespace tfnapi_ops
