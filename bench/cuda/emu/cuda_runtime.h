// Just enough of cuda_runtime.h to compile native/kernels/fused_adam.cuh with a host compiler and
// run its kernel on the CPU (bench/cuda/fused_adam_emu.cc). Not CUDA: blocks and threads run one
// after another, thread 0 first. That is faithful for this kernel only because its threads share
// nothing but a value thread 0 writes before the block's one barrier.
#pragma once

#include <cmath>
#include <cstddef>
#include <type_traits>

#define __global__
#define __device__
#define __host__
#define __forceinline__ inline
#define __grid_constant__
#define __launch_bounds__(...)
#define __shared__ static  // one copy, reused by each block in turn
#define __syncthreads() ((void)0)

enum cudaError_t { cudaSuccess = 0, cudaErrorInvalidValue = 1 };
using cudaStream_t = struct CUstream_st*;
enum cudaDeviceAttr { cudaDevAttrMultiProcessorCount = 16 };

struct dim3 {
  unsigned x, y, z;
  dim3(unsigned a = 1, unsigned b = 1, unsigned c = 1) : x(a), y(b), z(c) {}
};
struct uint3 {
  unsigned x, y, z;
};
inline uint3 threadIdx, blockIdx;
inline dim3 blockDim, gridDim;

struct alignas(16) float4 {  // as CUDA's: a misaligned float4 access is then UB, which -fsanitize catches
  float x, y, z, w;
};
inline float4 __ldcs(const float4* p) { return *p; }
inline void __stcs(float4* p, float4 v) { *p = v; }

// Round-to-nearest float ops are the host's own (build with -ffp-contract=off).
inline float __fadd_rn(float a, float b) { return a + b; }
inline float __fsub_rn(float a, float b) { return a - b; }
inline float __fmul_rn(float a, float b) { return a * b; }
inline float __fdiv_rn(float a, float b) { return a / b; }
inline float __fsqrt_rn(float a) { return std::sqrt(a); }
inline double __dmul_rn(double a, double b) { return a * b; }
using std::fmaxf;

// What the emulated device reports: an H200's SM count, 4 blocks per SM.
inline int g_emu_sms = 132, g_emu_blocks_per_sm = 4;
inline long long g_emu_launches = 0;
inline cudaError_t cudaGetDevice(int* d) { return *d = 0, cudaSuccess; }
inline cudaError_t cudaDeviceGetAttribute(int* v, cudaDeviceAttr, int) { return *v = g_emu_sms, cudaSuccess; }
template <class F>
cudaError_t cudaOccupancyMaxActiveBlocksPerMultiprocessor(int* n, F*, int, size_t) {
  return *n = g_emu_blocks_per_sm, cudaSuccess;
}

// Runs the grid: each block's threads in order, each to completion.
template <class A>
cudaError_t cudaLaunchKernel(void (*kernel)(A), dim3 grid, dim3 block, void** args, size_t, cudaStream_t) {
  using Arg = std::remove_cv_t<std::remove_reference_t<A>>;
  const Arg& a = *static_cast<const Arg*>(args[0]);
  gridDim = grid;
  blockDim = block;
  ++g_emu_launches;
  for (unsigned b = 0; b < grid.x; ++b)
    for (unsigned t = 0; t < block.x; ++t) {
      blockIdx = {b, 0, 0};
      threadIdx = {t, 0, 0};
      kernel(a);
    }
  return cudaSuccess;
}
