// Fused multi-tensor Adam / AdamW / AMSGrad for float32, one launch per up to 576 tensors.
//
// Semantics are TF's ResourceApplyAdam / ResourceApplyAdamWithAmsgrad as tf-napi's Keras-3 Adam
// drives them (lib/keras/optimizers/adam.ts, optimizer.ts), per element and in this order:
//   decay (AdamW, per tensor):  p = p - p * (wd * lr)            (Keras _apply_weight_decay, as grappler reassociates it)
//   alpha = (lr * sqrt(1 - beta2^t)) / (1 - beta1^t)            t = float(iterations + 1)
//   m = m + (g - m) * (1 - beta1)
//   v = v + (g * g - v) * (1 - beta2)
//   amsgrad: vhat = max(vhat, v) (std::max's NaN rule, as TF's CPU kernel), and vhat replaces v below
//   p = p - (m * alpha) / (sqrt(v) + epsilon)
// The per-element code is adam_element.h, shared with the op library's CPU kernel.
// Every operation is a round-to-nearest intrinsic, so nvcc cannot contract pairs into FMAs: the
// result is bit-identical to a plain C++ float evaluation of the same expression (the harness
// checks this). TF's own GPU kernel is built with contraction on (the CUDA default), so TF on a
// GPU can differ from this, and from TF on a CPU, in the last bit.
//
// lr (float32) and iterations (int64) are read from device memory, so a step needs no host sync.
// beta^t is float(beta^t) from square-and-multiply in double: correctly rounded unless beta^t
// lies within ~1e-14 (relative) of a float rounding boundary. TF's Pow(float32) is within a few
// ulp of it.
//
// Layout: the tensor list travels in the kernel's parameters (up to 32 KB on sm_70+ with CUDA
// 12.1+), so a launch needs no metadata copy. Each tensor is cut into chunks of chunk_elems
// elements (auto_chunk: as large as leaves >= 8 chunks per resident block); block b handles
// chunks b, b + gridDim.x, ... With grid = number of chunks (default) the hardware scheduler
// balances blocks; a smaller grid makes the loop grid-stride.
// Within a chunk, tensors whose p/g/m/v(/vhat) are all 16-byte aligned take float4 loads,
// ILP float4 per array per thread issued before any arithmetic; the others run a scalar loop.
//
// Include from a .cu file compiled with nvcc; needs no TF. Not part of the npm build.
#pragma once

#include <cuda_runtime.h>

#include "adam_element.h"

#include <atomic>
#include <climits>
#include <cstdint>

namespace fused_adam {

struct Tensor {
  float* p;
  const float* g;
  float* m;
  float* v;
  float* vhat;  // amsgrad only; may be null otherwise
  long long n;  // elements
  bool decay;   // AdamW decay applies to this tensor (Keras: not excluded from weight decay)
};

struct Hyper {
  float beta1 = 0.9f;
  float beta2 = 0.999f;
  float epsilon = 1e-7f;  // Keras 3's default
  float weight_decay = 0.0f;
  bool adamw = false;  // apply decay to tensors with decay set
  bool amsgrad = false;
};

// Launch shape. The defaults are a first guess, to be replaced from the H200 sweep in bench/cuda.
struct Config {
  int chunk_elems = 0;  // 0: auto_chunk(); otherwise a multiple of BLOCK * 4 * ILP
  int max_grid = 0;     // 0: one block per chunk; otherwise cap the grid (grid-stride)
};

constexpr int kDefaultBlock = 256;
constexpr int kDefaultIlp = 2;
constexpr int kMaxChunk = 65536;
constexpr int kMaxSlots = 576;  // tensors per launch: Args<576> is just under 32 KB

enum Mode : int {
  kAdam = 0,       // the real update
  kStreaming = 1,  // the real update with evict-first loads/stores (ld/st.global.cs)
  kPattern = 2,    // NOT Adam: same loads/stores, trivial arithmetic (the access pattern's ceiling)
};

enum Flags : unsigned char { kVector = 1, kDecay = 2 };

// The kernel's parameter block. Struct of arrays so one tensor's fields are read with uniform
// indexed loads from the constant bank.
template <int CAP>
struct Args {
  const float* lr;
  const long long* iterations;
  float beta1, beta2, epsilon, weight_decay;
  int count;         // tensors in this launch
  int total_chunks;  // sum of chunks over them
  int chunk_elems;
  float* p[CAP];
  const float* g[CAP];
  float* m[CAP];
  float* v[CAP];
  float* vhat[CAP];
  long long n[CAP];
  int chunk_end[CAP];  // inclusive prefix sum of chunk counts
  unsigned char flags[CAP];
};
// Kernel parameters are limited to 32764 bytes.
static_assert(sizeof(Args<kMaxSlots>) <= 32764, "Args<kMaxSlots> exceeds the kernel parameter limit");

// Chunk -> (tensor, element range). Shared with the harness's CPU coverage check.
struct Span {
  int tensor;
  long long begin, end;
};

template <int CAP>
__host__ __device__ inline Span locate_chunk(const Args<CAP>& a, int chunk) {
  int lo = 0, hi = a.count - 1;  // first tensor whose chunk_end > chunk
  while (lo < hi) {
    const int mid = (lo + hi) >> 1;
    if (a.chunk_end[mid] > chunk) hi = mid;
    else lo = mid + 1;
  }
  const int first = lo ? a.chunk_end[lo - 1] : 0;
  Span s;
  s.tensor = lo;
  s.begin = static_cast<long long>(chunk - first) * a.chunk_elems;
  const long long e = s.begin + a.chunk_elems;
  s.end = e < a.n[lo] ? e : a.n[lo];
  return s;
}

// beta^k as float, k >= 0, by square-and-multiply in double. Each product rounds once in double
// (relative error <= 64 * 2^-53 over the ladder), so the float rounding is exact except within
// that distance of a float tie. __host__ __device__ and contraction-free: host and device agree.
__host__ __device__ inline float beta_power(float beta, long long k) {
  double result = 1.0, base = static_cast<double>(beta);
  while (k > 0) {
#ifdef __CUDA_ARCH__
    if (k & 1) result = __dmul_rn(result, base);
    base = __dmul_rn(base, base);
#else
    if (k & 1) result = result * base;
    base = base * base;
#endif
    k >>= 1;
  }
  return static_cast<float>(result);
}

// TF casts iterations + 1 to float32 before Pow; the exponent is that float, as an integer.
__host__ __device__ inline long long step_exponent(long long iterations) {
  return static_cast<long long>(static_cast<float>(iterations + 1));
}

__device__ inline Scalars make_scalars(const float* lr_ptr, const long long* it_ptr, float beta1,
                                       float beta2, float eps, float wd) {
  const float lr = *lr_ptr;
  const long long k = step_exponent(*it_ptr);
  return adam_scalars(lr, beta_power(beta1, k), beta_power(beta2, k), beta1, beta2, eps, wd);
}

template <bool AMS, int MODE>
__device__ __forceinline__ void update(float& p, float g, float& m, float& v, float& vh,
                                       const Scalars& s, bool decay) {
  if (MODE == kPattern) {  // one add per output: keeps every load live, costs no arithmetic
    p += g;
    m += g;
    v += g;
    if (AMS) vh += g;
    return;
  }
  adam_element<AMS>(p, g, m, v, vh, s, decay);  // adam_element.h, shared with the CPU kernel
}

template <int MODE>
__device__ __forceinline__ float4 load4(const float* ptr) {
  if (MODE == kStreaming) return __ldcs(reinterpret_cast<const float4*>(ptr));
  return *reinterpret_cast<const float4*>(ptr);
}
template <int MODE>
__device__ __forceinline__ void store4(float* ptr, float4 x) {
  if (MODE == kStreaming) __stcs(reinterpret_cast<float4*>(ptr), x);
  else *reinterpret_cast<float4*>(ptr) = x;
}

template <bool AMS, int MODE>
__device__ __forceinline__ void update4(float4& p, float4 g, float4& m, float4& v, float4& vh,
                                        const Scalars& s, bool decay) {
  update<AMS, MODE>(p.x, g.x, m.x, v.x, vh.x, s, decay);
  update<AMS, MODE>(p.y, g.y, m.y, v.y, vh.y, s, decay);
  update<AMS, MODE>(p.z, g.z, m.z, v.z, vh.z, s, decay);
  update<AMS, MODE>(p.w, g.w, m.w, v.w, vh.w, s, decay);
}

template <int CAP, int BLOCK, int ILP, bool AMS, int MODE>
__global__ void __launch_bounds__(BLOCK) adam_kernel(const __grid_constant__ Args<CAP> a) {
  // One thread derives alpha & co. per block; a double pow ladder in every warp would cost more
  // issue slots than the block's share of the stream on small chunks.
  __shared__ Scalars shared;
  if (threadIdx.x == 0)
    shared = make_scalars(a.lr, a.iterations, a.beta1, a.beta2, a.epsilon, a.weight_decay);
  __syncthreads();
  const Scalars s = shared;
  const int tid = threadIdx.x;

  for (int chunk = blockIdx.x; chunk < a.total_chunks; chunk += gridDim.x) {
    const Span span = locate_chunk(a, chunk);
    const int t = span.tensor;
    const unsigned char flags = a.flags[t];
    const bool decay = flags & kDecay;
    // Offsets inside a chunk fit in int; the 64-bit part is folded into the base pointers.
    float* __restrict__ p = a.p[t] + span.begin;
    const float* __restrict__ g = a.g[t] + span.begin;
    float* __restrict__ m = a.m[t] + span.begin;
    float* __restrict__ v = a.v[t] + span.begin;
    float* __restrict__ vh = AMS ? a.vhat[t] + span.begin : nullptr;
    const int len = static_cast<int>(span.end - span.begin);

    int scalar_from = 0;
    if (flags & kVector) {
      const int vecs = len >> 2;  // chunk starts are multiples of 4 elements, so still aligned
      for (int i = tid; i < vecs; i += BLOCK * ILP) {
        float4 P[ILP], G[ILP], M[ILP], V[ILP], H[ILP];
#pragma unroll
        for (int k = 0; k < ILP; ++k) {
          const int j = (i + k * BLOCK) * 4;
          if (i + k * BLOCK < vecs) {
            P[k] = load4<MODE>(p + j);
            G[k] = load4<MODE>(g + j);
            M[k] = load4<MODE>(m + j);
            V[k] = load4<MODE>(v + j);
            if (AMS) H[k] = load4<MODE>(vh + j);
          }
        }
#pragma unroll
        for (int k = 0; k < ILP; ++k) {
          const int j = (i + k * BLOCK) * 4;
          if (i + k * BLOCK < vecs) {
            update4<AMS, MODE>(P[k], G[k], M[k], V[k], H[k], s, decay);
            store4<MODE>(p + j, P[k]);
            store4<MODE>(m + j, M[k]);
            store4<MODE>(v + j, V[k]);
            if (AMS) store4<MODE>(vh + j, H[k]);
          }
        }
      }
      scalar_from = vecs * 4;  // the < 4 elements of a tensor's last chunk
    }
    for (int i = scalar_from + tid; i < len; i += BLOCK) {
      float P = p[i], M = m[i], V = v[i], H = AMS ? vh[i] : 0.0f;
      update<AMS, MODE>(P, g[i], M, V, H, s, decay);
      p[i] = P;
      m[i] = M;
      v[i] = V;
      if (AMS) vh[i] = H;
    }
  }
}

// Fills one launch's Args from the non-empty tensors of tensors[0..count) (at most CAP of them).
// Host only.
template <int CAP>
inline cudaError_t plan(Args<CAP>& a, const Tensor* tensors, int count, const float* lr,
                        const long long* iterations, const Hyper& h, int chunk_elems) {
  if (chunk_elems < 4 || chunk_elems % 4) return cudaErrorInvalidValue;
  a.lr = lr;
  a.iterations = iterations;
  a.beta1 = h.beta1;
  a.beta2 = h.beta2;
  a.epsilon = h.epsilon;
  a.weight_decay = h.weight_decay;
  a.chunk_elems = chunk_elems;
  long long chunks = 0;
  int k = 0;
  for (int i = 0; i < count; ++i) {
    const Tensor& t = tensors[i];
    if (t.n <= 0) continue;
    if (k == CAP || !t.p || !t.g || !t.m || !t.v || (h.amsgrad && !t.vhat)) return cudaErrorInvalidValue;
    a.p[k] = t.p;
    a.g[k] = t.g;
    a.m[k] = t.m;
    a.v[k] = t.v;
    a.vhat[k] = t.vhat;
    a.n[k] = t.n;
    chunks += (t.n + chunk_elems - 1) / chunk_elems;
    if (chunks > INT_MAX) return cudaErrorInvalidValue;
    a.chunk_end[k] = static_cast<int>(chunks);
    uintptr_t bits = reinterpret_cast<uintptr_t>(t.p) | reinterpret_cast<uintptr_t>(t.g) |
                     reinterpret_cast<uintptr_t>(t.m) | reinterpret_cast<uintptr_t>(t.v);
    if (h.amsgrad) bits |= reinterpret_cast<uintptr_t>(t.vhat);
    a.flags[k] = static_cast<unsigned char>(((bits & 15) == 0 ? kVector : 0) |
                                            (h.adamw && t.decay ? kDecay : 0));
    ++k;
  }
  a.count = k;
  a.total_chunks = static_cast<int>(chunks);
  return cudaSuccess;
}

template <int CAP, int BLOCK, int ILP, bool AMS, int MODE>
inline cudaError_t launch_planned(const Args<CAP>& a, int max_grid, cudaStream_t stream) {
  if (a.total_chunks == 0) return cudaSuccess;
  const int grid = max_grid > 0 && max_grid < a.total_chunks ? max_grid : a.total_chunks;
  // cudaLaunchKernel rather than <<<>>> + cudaGetLastError: returns this launch's own error (not
  // an earlier call's, which cudaGetLastError would also clear), and parses under a host compiler
  // (bench/cuda/fused_adam_emu.cc runs this header's kernel on the CPU).
  void* params[] = {const_cast<Args<CAP>*>(&a)};
  return cudaLaunchKernel(adam_kernel<CAP, BLOCK, ILP, AMS, MODE>, dim3(grid), dim3(BLOCK), params, 0, stream);
}

// Chunk size: the largest power of two (from one vector iteration of the block up to kMaxChunk)
// that still leaves >= 8 chunks per resident block. Big chunks amortize each chunk's lookup; many
// chunks per block keep the last wave short (a 16k chunk is ~60 us of one block's stream on an
// H200, a large share of a 200 us step).
template <int BLOCK, int ILP>
inline int auto_chunk(long long elements, int resident_blocks) {
  int chunk = BLOCK * 4 * ILP;
  while (chunk < kMaxChunk && elements / (2LL * chunk) >= 8LL * resident_blocks) chunk *= 2;
  return chunk;
}

// Blocks of this kernel resident on the current device; the occupancy and the SM count are
// looked up once (per kernel, per device) and cached.
template <int CAP, int BLOCK, int ILP, bool AMS, int MODE>
inline int resident_blocks() {
  // Racing first calls store the same values.
  static std::atomic<int> per_sm{0};
  static std::atomic<int> sms[64];
  int dev = 0;
  if (cudaGetDevice(&dev) != cudaSuccess || dev < 0 || dev >= 64) return 132 * 4;
  int b = per_sm.load(std::memory_order_relaxed), s = sms[dev].load(std::memory_order_relaxed);
  if (b == 0) {
    const bool ok = cudaOccupancyMaxActiveBlocksPerMultiprocessor(&b, adam_kernel<CAP, BLOCK, ILP, AMS, MODE>,
                                                                  BLOCK, 0) == cudaSuccess;
    b = ok && b > 0 ? b : 1;
    per_sm.store(b, std::memory_order_relaxed);
  }
  if (s == 0) {
    const bool ok = cudaDeviceGetAttribute(&s, cudaDevAttrMultiProcessorCount, dev) == cudaSuccess;
    s = ok && s > 0 ? s : 132;
    sms[dev].store(s, std::memory_order_relaxed);
  }
  return b * s;
}

template <int CAP, int BLOCK, int ILP, int MODE>
inline cudaError_t launch_group(const Tensor* tensors, int count, const float* lr,
                                const long long* iterations, const Hyper& h, const Config& c,
                                cudaStream_t stream) {
  int chunk = c.chunk_elems;
  if (chunk <= 0) {
    long long elements = 0;
    for (int i = 0; i < count; ++i) elements += tensors[i].n > 0 ? tensors[i].n : 0;
    chunk = h.amsgrad ? auto_chunk<BLOCK, ILP>(elements, resident_blocks<CAP, BLOCK, ILP, true, MODE>())
                      : auto_chunk<BLOCK, ILP>(elements, resident_blocks<CAP, BLOCK, ILP, false, MODE>());
  }
  if (chunk % (BLOCK * 4 * ILP)) return cudaErrorInvalidValue;  // whole vector iterations per chunk
  Args<CAP> a;  // up to 31 KB on the host stack; a static would not be thread-safe
  const cudaError_t err = plan(a, tensors, count, lr, iterations, h, chunk);
  if (err != cudaSuccess) return err;
  return h.amsgrad ? launch_planned<CAP, BLOCK, ILP, true, MODE>(a, c.max_grid, stream)
                   : launch_planned<CAP, BLOCK, ILP, false, MODE>(a, c.max_grid, stream);
}

// The next launch's share of a list: from `begin`, the end of the run that holds at most
// kMaxSlots non-empty tensors (empty ones are absorbed); *nonempty gets their number.
inline int next_group(const Tensor* tensors, int count, int begin, int* nonempty) {
  int j = begin, r = 0;
  while (j < count && (r < kMaxSlots || tensors[j].n <= 0)) r += tensors[j++].n > 0;
  *nonempty = r;
  return j;
}

// Applies one step to tensors[0..count), all launches on `stream`, with no synchronizing call.
// Empty tensors are skipped; each launch takes up to 576 non-empty tensors, in a parameter block
// sized to them (8, 64, 256 or 576 slots) so that small models pass small launches.
template <int BLOCK = kDefaultBlock, int ILP = kDefaultIlp, int MODE = kAdam>
inline cudaError_t apply(const Tensor* tensors, int count, const float* lr,
                         const long long* iterations, const Hyper& h, cudaStream_t stream,
                         const Config& c = Config()) {
  if (count < 0 || (count > 0 && !tensors) || !lr || !iterations) return cudaErrorInvalidValue;
  for (int i = 0; i < count;) {
    int r;
    const int j = next_group(tensors, count, i, &r);
    const Tensor* t = tensors + i;
    cudaError_t err = cudaSuccess;
    if (r == 0) err = cudaSuccess;
    else if (r <= 8) err = launch_group<8, BLOCK, ILP, MODE>(t, j - i, lr, iterations, h, c, stream);
    else if (r <= 64) err = launch_group<64, BLOCK, ILP, MODE>(t, j - i, lr, iterations, h, c, stream);
    else if (r <= 256) err = launch_group<256, BLOCK, ILP, MODE>(t, j - i, lr, iterations, h, c, stream);
    else err = launch_group<kMaxSlots, BLOCK, ILP, MODE>(t, j - i, lr, iterations, h, c, stream);
    if (err != cudaSuccess) return err;
    i = j;
  }
  return cudaSuccess;
}

}  // namespace fused_adam
