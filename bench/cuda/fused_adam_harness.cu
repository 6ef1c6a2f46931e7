// Standalone check and benchmark of native/kernels/fused_adam.cuh (needs CUDA, not TF).
//
//   nvcc -O3 -arch=sm_90 -Xcompiler -ffp-contract=off -o fused_adam_harness bench/cuda/fused_adam_harness.cu
//   ./fused_adam_harness                 correctness, then timing (needs a GPU)
//   ./fused_adam_harness --correctness   / --timing / --quick (smaller correctness lists)
//   ./fused_adam_harness --cpu-selftest  host-only checks: reference vs float64, the device's
//                                        beta-power ladder vs std::pow, chunk coverage of the planner
//
// Correctness compares every p, m, v (and vhat) element with a CPU reference written separately
// from the kernel (plain float C++, same expression, same order; built with -ffp-contract=off so
// the host compiler fuses nothing either) and reports the largest ulp distance: 0 is expected.
// Timing: CUDA events around K back-to-back steps on one stream, repeated, median per step.
// Effective bandwidth counts 28 bytes per parameter (p, g, m, v read; p, m, v written), 36 with
// amsgrad (vhat read and written).
#include "../../native/kernels/fused_adam.cuh"
#include "adam_reference.h"

#include <algorithm>
#include <cinttypes>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <string>
#include <thread>
#include <vector>

using fused_adam::Hyper;
using fused_adam::Tensor;

#define CK(call)                                                                          \
  do {                                                                                    \
    cudaError_t err_ = (call);                                                            \
    if (err_ != cudaSuccess) {                                                            \
      std::fprintf(stderr, "%s:%d: %s: %s\n", __FILE__, __LINE__, #call,                  \
                   cudaGetErrorString(err_));                                             \
      std::exit(1);                                                                       \
    }                                                                                     \
  } while (0)

// ---------------------------------------------------------------- host utilities

static unsigned hw_threads() {
  const unsigned n = std::thread::hardware_concurrency();
  return n ? n : 1;
}

// Runs f(begin, end) over [0, n) split across the host's threads.
static void parallel_for(size_t n, const std::function<void(size_t, size_t)>& f) {
  const size_t threads = std::min<size_t>(hw_threads(), std::max<size_t>(1, n / 65536));
  if (threads <= 1) {
    f(0, n);
    return;
  }
  std::vector<std::thread> pool;
  for (size_t t = 0; t < threads; ++t)
    pool.emplace_back(f, n * t / threads, n * (t + 1) / threads);
  for (auto& th : pool) th.join();
}

static uint64_t splitmix(uint64_t x) {
  x += 0x9e3779b97f4a7c15ull;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
  return x ^ (x >> 31);
}
// Uniform in [0, 1) from a counter, so generation parallelizes and is reproducible.
static double unit(uint64_t seed, uint64_t i) { return (splitmix(seed ^ splitmix(i)) >> 11) * 0x1p-53; }

struct Rng {  // sequential draws for case shapes
  uint64_t s;
  uint64_t next() { return s = splitmix(s); }
  double uniform() { return (next() >> 11) * 0x1p-53; }
  long long range(long long lo, long long hi) { return lo + static_cast<long long>(next() % (hi - lo + 1)); }
};

// ---------------------------------------------------------------- data generation

struct HostList {
  std::vector<long long> n;
  std::vector<size_t> off;  // element offset of each tensor in the pools
  std::vector<bool> decay;
  size_t total = 0;         // pool length in elements
  std::vector<float> p, g, m, v, vh;
};

// Offsets keep each tensor 16-byte aligned unless `misalign` picks it, which shifts it by 1-3
// floats in every pool (the scalar path); a 64-element gap between tensors catches overruns.
static void layout(HostList& L, const std::vector<long long>& sizes, Rng& rng, double misalign, double decay_frac) {
  L.n = sizes;
  L.off.clear();
  L.decay.clear();
  size_t at = 0;
  for (long long n : sizes) {
    at = (at + 64 + 3) & ~size_t(3);
    if (rng.uniform() < misalign) at += 1 + rng.next() % 3;
    L.off.push_back(at);
    L.decay.push_back(rng.uniform() < decay_frac);
    at += static_cast<size_t>(n);
  }
  L.total = at + 64;
}

static void fill(HostList& L, uint64_t seed, bool amsgrad) {
  L.p.resize(L.total);
  L.g.resize(L.total);
  L.m.resize(L.total);
  L.v.resize(L.total);
  L.vh.resize(amsgrad ? L.total : 0);
  parallel_for(L.total, [&](size_t b, size_t e) {
    double scale = 0;  // gradient scale, 1e-4..10, one per run of 4096 elements
    for (size_t i = b; i < e; ++i) {
      if (i == b || (i & 4095) == 0) scale = std::pow(10.0, -4.0 + 5.0 * unit(seed, (i >> 12) + (1ull << 62)));
      const double u0 = unit(seed, 8 * i), u1 = unit(seed, 8 * i + 1), u2 = unit(seed, 8 * i + 2),
                   u3 = unit(seed, 8 * i + 3), u4 = unit(seed, 8 * i + 4), u5 = unit(seed, 8 * i + 5);
      float g = static_cast<float>(scale * (2 * u1 - 1));
      if (u5 < 1.0 / 64) g = 0.0f;                          // zero gradients
      else if (u5 < 1.0 / 64 + 1.0 / 256) g = 1e-20f;       // g*g is subnormal
      L.p[i] = static_cast<float>(4 * u0 - 2);
      L.g[i] = g;
      L.m[i] = static_cast<float>(0.1 * scale * (2 * u2 - 1));
      L.v[i] = u5 > 1 - 1.0 / 128 ? 0.0f : static_cast<float>(scale * scale * u3);
      if (amsgrad) L.vh[i] = static_cast<float>(L.v[i] * (0.5 + 1.5 * u4));
    }
  });
}

// ---------------------------------------------------------------- correctness

using Launcher = std::function<cudaError_t(const Tensor*, int, const float*, const long long*, const Hyper&, cudaStream_t)>;

struct DevList {
  float *p = nullptr, *g = nullptr, *m = nullptr, *v = nullptr, *vh = nullptr;
  std::vector<Tensor> tensors;
  void release() {
    for (float* q : {p, g, m, v, vh})
      if (q) CK(cudaFree(q));
    p = g = m = v = vh = nullptr;
  }
};

static int g_failures = 0;

// Runs `steps` steps (iterations, iterations + 1, ...) of `launch` on a fresh list and on the CPU
// reference and compares every state element. Prints one line.
static void check(const char* name, const std::vector<long long>& sizes, const Hyper& h, float lr,
                  long long iterations, int steps, const Launcher& launch, uint64_t seed,
                  double misalign = 0.1, cudaStream_t stream = 0) {
  Rng rng{seed};
  HostList L;
  layout(L, sizes, rng, misalign, 0.7);
  fill(L, seed * 7 + 1, h.amsgrad);
  const size_t bytes = L.total * sizeof(float);
  DevList D;
  CK(cudaMalloc(&D.p, bytes));
  CK(cudaMalloc(&D.g, bytes));
  CK(cudaMalloc(&D.m, bytes));
  CK(cudaMalloc(&D.v, bytes));
  if (h.amsgrad) CK(cudaMalloc(&D.vh, bytes));
  CK(cudaMemcpy(D.p, L.p.data(), bytes, cudaMemcpyHostToDevice));
  CK(cudaMemcpy(D.g, L.g.data(), bytes, cudaMemcpyHostToDevice));
  CK(cudaMemcpy(D.m, L.m.data(), bytes, cudaMemcpyHostToDevice));
  CK(cudaMemcpy(D.v, L.v.data(), bytes, cudaMemcpyHostToDevice));
  if (h.amsgrad) CK(cudaMemcpy(D.vh, L.vh.data(), bytes, cudaMemcpyHostToDevice));
  for (size_t i = 0; i < sizes.size(); ++i) {
    const size_t o = L.off[i];
    D.tensors.push_back({D.p + o, D.g + o, D.m + o, D.v + o, h.amsgrad ? D.vh + o : nullptr, sizes[i], L.decay[i]});
  }
  float* d_lr;
  long long* d_it;
  CK(cudaMalloc(&d_lr, sizeof(float)));
  CK(cudaMalloc(&d_it, sizeof(long long)));
  CK(cudaMemcpy(d_lr, &lr, sizeof lr, cudaMemcpyHostToDevice));
  for (int s = 0; s < steps; ++s) {
    const long long it = iterations + s;
    CK(cudaMemcpyAsync(d_it, &it, sizeof it, cudaMemcpyHostToDevice, stream));
    CK(launch(D.tensors.data(), static_cast<int>(D.tensors.size()), d_lr, d_it, h, stream));
    CK(cudaStreamSynchronize(stream));
  }
  CK(cudaGetLastError());

  // Reference, in place on the host copy (elements outside tensors stay as generated).
  for (int s = 0; s < steps; ++s) {
    const RefScalars rs = ref_scalars(lr, iterations + s, h);
    for (size_t t = 0; t < sizes.size(); ++t) {
      const size_t o = L.off[t];
      const bool decay = h.adamw && L.decay[t];
      parallel_for(static_cast<size_t>(sizes[t]), [&](size_t b, size_t e) {
        float dummy = 0.0f;
        for (size_t i = o + b; i < o + e; ++i)
          ref_update(L.p[i], L.g[i], L.m[i], L.v[i], h.amsgrad ? L.vh[i] : dummy, rs, decay, h.amsgrad);
      });
    }
  }
  // Compare whole pools: gaps must be untouched too.
  std::vector<float> back(L.total);
  struct Field {
    const char* name;
    float* dev;
    const std::vector<float>* ref;
  };
  std::vector<Field> fields = {{"p", D.p, &L.p}, {"m", D.m, &L.m}, {"v", D.v, &L.v}};
  if (h.amsgrad) fields.push_back({"vhat", D.vh, &L.vh});
  fields.push_back({"g", D.g, &L.g});
  int64_t worst = 0;
  size_t bad = 0;
  std::string where;
  for (const Field& f : fields) {
    CK(cudaMemcpy(back.data(), f.dev, bytes, cudaMemcpyDeviceToHost));
    const unsigned T = hw_threads();
    std::vector<int64_t> w(T, 0);
    std::vector<size_t> nbad(T, 0), first(T, SIZE_MAX);
    std::vector<std::thread> pool;
    for (unsigned t = 0; t < T; ++t)
      pool.emplace_back([&, t] {
        for (size_t i = L.total * t / T; i < L.total * (t + 1) / T; ++i) {
          const int64_t d = ulp_distance(back[i], (*f.ref)[i]);
          if (d) {
            ++nbad[t];
            if (first[t] == SIZE_MAX) first[t] = i;
          }
          w[t] = std::max(w[t], d);
        }
      });
    for (auto& th : pool) th.join();
    for (unsigned t = 0; t < T; ++t) {
      worst = std::max(worst, w[t]);
      bad += nbad[t];
      if (first[t] != SIZE_MAX && where.empty()) {
        const size_t i = first[t];
        char buf[160];
        std::snprintf(buf, sizeof buf, " first: %s[%zu] gpu %.9g ref %.9g", f.name, i, back[i], (*f.ref)[i]);
        where = buf;
      }
    }
  }
  long long params = 0, lo = LLONG_MAX, hi = 0;
  for (long long n : sizes) params += n, lo = std::min(lo, n), hi = std::max(hi, n);
  const bool ok = bad == 0;
  if (!ok) ++g_failures;
  std::printf("  %-4s %-34s %-7s tensors %4zu params %11lld sizes %lld..%lld it %lld x%d  max_ulp %" PRId64 " bad %zu%s\n",
              ok ? "ok" : "FAIL", name, h.amsgrad ? "amsgrad" : h.adamw ? "adamw" : "adam", sizes.size(), params,
              lo, hi, iterations, steps, worst == INT64_MAX ? -1 : worst, bad, where.c_str());
  std::fflush(stdout);
  D.release();
  CK(cudaFree(d_lr));
  CK(cudaFree(d_it));
}

static std::vector<long long> random_sizes(Rng& rng, int count, int max_log2) {
  std::vector<long long> s;
  for (int i = 0; i < count; ++i) {
    long long n = static_cast<long long>(std::exp2(rng.uniform() * max_log2));
    if (rng.uniform() < 0.5) n |= 1;  // odd sizes: vector tails
    s.push_back(std::max(1LL, n));
  }
  return s;
}

template <int B, int I, int MODE>
static cudaError_t launch_variant(const Tensor* t, int n, const float* lr, const long long* it, const Hyper& h,
                                  cudaStream_t s, int chunk, int grid) {
  // One 256-slot launch (the timed sets and the variant checks have <= 256 tensors): instantiates
  // two kernels per variant instead of apply()'s eight.
  fused_adam::Config c;
  c.chunk_elems = chunk;
  c.max_grid = grid;
  return fused_adam::launch_group<256, B, I, MODE>(t, n, lr, it, h, c, s);
}

static Launcher default_launcher() {
  return [](const Tensor* t, int n, const float* lr, const long long* it, const Hyper& h, cudaStream_t s) {
    return fused_adam::apply(t, n, lr, it, h, s);
  };
}

static Hyper keras(bool adamw, bool amsgrad) {
  Hyper h;
  h.weight_decay = 0.004f;  // Keras AdamW's default
  h.adamw = adamw;
  h.amsgrad = amsgrad;
  return h;
}

static void correctness(bool quick, uint64_t seed) {
  std::printf("== correctness: GPU vs CPU reference, every element, max ulp distance (0 expected)\n");
  const Launcher def = default_launcher();
  Rng rng{seed};
  const Hyper modes[3] = {keras(false, false), keras(true, false), keras(false, true)};
  const int biglog = quick ? 24 : 28;

  // Edge sizes around vector and chunk boundaries, two steps (the step is re-read from device).
  {
    // On a list this small auto_chunk picks its minimum, one vector iteration of the block.
    const long long C = fused_adam::kDefaultBlock * 4 * fused_adam::kDefaultIlp;
    std::vector<long long> s = {1, 2, 3, 4, 5, 7, 8, 9, 1023, 1024, 1025, C - 1, C, C + 1, C + 4, 3 * C + 3};
    for (const Hyper& h : modes) check("edge sizes, 2 steps", s, h, 1e-3f, 41, 2, def, rng.next(), 0.3);
  }
  // Other hyper-parameters: beta1 = 0, large lr, epsilon = 0 (0/0 -> NaN on both sides).
  {
    Hyper h = keras(true, true);
    h.beta1 = 0.0f, h.beta2 = 0.99f, h.epsilon = 0.0f, h.weight_decay = 0.1f;
    check("beta1=0 beta2=.99 eps=0 wd=.1", random_sizes(rng, 40, 16), h, 0.1f, 5, 1, def, rng.next());
    h = keras(false, false);
    h.beta1 = 0.5f, h.beta2 = 0.9999f, h.epsilon = 1e-3f;
    check("beta1=.5 beta2=.9999 eps=1e-3", random_sizes(rng, 40, 16), h, 3e-5f, 77, 1, def, rng.next());
  }
  // More than 576 tensors (several launches), with empty tensors among them.
  {
    std::vector<long long> s = random_sizes(rng, 1300, 13);
    for (int i = 0; i < 1300; i += 97) s[i] = 0;
    check("1300 tensors, some empty", s, keras(true, false), 1e-3f, 3, 1, def, rng.next());
    check("1300 tensors, some empty", s, keras(false, true), 1e-3f, 3, 1, def, rng.next());
  }
  // Every timed variant, with small and grid-stride grids (grid 7: each block loops many chunks).
  {
    std::vector<long long> s = random_sizes(rng, 60, 20);
    s.push_back((1LL << 22) + 3);
    struct V {
      const char* name;
      std::function<cudaError_t(const Tensor*, int, const float*, const long long*, const Hyper&, cudaStream_t, int, int)> f;
      int chunk;
    };
    const V variants[] = {
        {"b256 ilp1", launch_variant<256, 1, fused_adam::kAdam>, 1024},
        {"b256 ilp2", launch_variant<256, 2, fused_adam::kAdam>, 2048},
        {"b256 ilp4", launch_variant<256, 4, fused_adam::kAdam>, 4096},
        {"b512 ilp2", launch_variant<512, 2, fused_adam::kAdam>, 4096},
        {"b512 ilp4", launch_variant<512, 4, fused_adam::kAdam>, 8192},
        {"b256 ilp2 streaming", launch_variant<256, 2, fused_adam::kStreaming>, 2048},
        {"b256 ilp4 streaming", launch_variant<256, 4, fused_adam::kStreaming>, 4096},
    };
    for (const V& var : variants)
      for (int grid : {0, 7}) {
        char name[64];
        std::snprintf(name, sizeof name, "%s chunk %d grid %s", var.name, var.chunk, grid ? "7" : "all");
        const auto f = var.f;
        const int chunk = var.chunk;
        Launcher l = [f, chunk, grid](const Tensor* t, int n, const float* lr, const long long* it, const Hyper& h,
                                      cudaStream_t st) { return f(t, n, lr, it, h, st, chunk, grid); };
        check(name, s, keras(true, grid != 0), 1e-3f, 12, 1, l, rng.next());
      }
  }
  // A non-default stream, as TF's compute stream would be.
  {
    cudaStream_t st;
    CK(cudaStreamCreateWithFlags(&st, cudaStreamNonBlocking));
    check("on a non-blocking stream", random_sizes(rng, 20, 18), keras(true, true), 1e-3f, 100, 3, def, rng.next(), 0.1, st);
    CK(cudaStreamDestroy(st));
  }
  // Random lists, 1..500 tensors, log-uniform sizes up to 2^22 (half odd), some misaligned.
  const int counts[] = {1, 2, 7, 33, 148, 500};
  for (int c : counts) {
    if (quick && c == 500) continue;
    for (int mi = 0; mi < 3; ++mi) {
      std::vector<long long> s = random_sizes(rng, c, quick ? 18 : 22);
      const long long it = std::vector<long long>{0, 1, 9, 999, 123456, (1LL << 24) + 6}[rng.next() % 6];
      char name[64];
      std::snprintf(name, sizeof name, "random list of %d", c);
      check(name, s, modes[mi], 1e-3f, it, 1, def, rng.next());
    }
  }
  // Largest last, so that a stage timeout cuts the fewest cases.
  // One 2^28-element tensor (2^24 with --quick) with odd neighbours, every mode.
  {
    std::vector<long long> s = {1LL << biglog, 1, 3, (1LL << 20) + 1};
    for (const Hyper& h : modes) check("one 2^28 tensor + odd ones", s, h, 1e-3f, 0, 1, def, rng.next());
  }
  std::printf("== correctness: %s (%d failing)\n", g_failures ? "FAILED" : "all passed", g_failures);
}

// ---------------------------------------------------------------- timing

static std::vector<long long> gpt2_small_untied() {
  // GPT-2 small (HF/nanoGPT parameter order) with an untied lm_head and no learned position
  // table: 148 tensors, 162,250,752 parameters (see README for why this set).
  const long long V = 50257, C = 768;
  std::vector<long long> s = {V * C};  // wte
  for (int l = 0; l < 12; ++l) {
    const long long block[] = {C, C, C * 3 * C, 3 * C, C * C, C, C, C, C * 4 * C, 4 * C, 4 * C * C, C};
    s.insert(s.end(), std::begin(block), std::end(block));
  }
  s.push_back(C);
  s.push_back(C);  // ln_f
  s.push_back(V * C);  // lm_head
  return s;
}

static std::vector<long long> resnet50() {
  // torchvision resnet50's 161 parameter tensors (conv weights, BN gamma/beta, fc), 25,557,032.
  std::vector<long long> s;
  auto conv = [&](long long out, long long in, long long k) { s.push_back(out * in * k * k); };
  auto bn = [&](long long c) { s.push_back(c); s.push_back(c); };
  conv(64, 3, 7);
  bn(64);
  long long in = 64;
  const int blocks[] = {3, 4, 6, 3};
  for (int l = 0; l < 4; ++l) {
    const long long w = 64LL << l;
    for (int b = 0; b < blocks[l]; ++b) {
      conv(w, in, 1), bn(w);
      conv(w, w, 3), bn(w);
      conv(4 * w, w, 1), bn(4 * w);
      if (b == 0) conv(4 * w, in, 1), bn(4 * w);  // downsample
      in = 4 * w;
    }
  }
  s.push_back(1000 * 2048);
  s.push_back(1000);
  return s;
}

static std::vector<long long> mlp_32_32_1() { return {32 * 32, 32, 32 * 1, 1}; }

__global__ void init_kernel(float* x, size_t n, uint32_t seed, float lo, float hi) {
  for (size_t i = blockIdx.x * size_t(blockDim.x) + threadIdx.x; i < n; i += size_t(gridDim.x) * blockDim.x) {
    uint32_t h = static_cast<uint32_t>(i) * 2654435761u ^ seed;
    h ^= h >> 15, h *= 0x2c1b3c6du, h ^= h >> 12, h *= 0x297a2d39u, h ^= h >> 15;
    x[i] = lo + (hi - lo) * (h >> 8) * (1.0f / 16777216.0f);
  }
}

struct TimedSet {
  std::string name;
  std::vector<long long> sizes;
  long long params = 0;
  float *pool = nullptr;
  std::vector<Tensor> tensors;
  float* d_lr = nullptr;
  long long* d_it = nullptr;

  // One allocation, each tensor 256-byte aligned in it (as a framework allocator places them).
  void allocate(bool amsgrad) {
    params = 0;
    size_t per = 0;
    std::vector<size_t> off;
    for (long long n : sizes) {
      off.push_back(per);
      per += (static_cast<size_t>(n) + 63) & ~size_t(63);
      params += n;
    }
    const int arrays = amsgrad ? 5 : 4;
    CK(cudaMalloc(&pool, per * arrays * sizeof(float)));
    const float lo[5] = {-1, -1e-2f, -1e-3f, 0, 0}, hi[5] = {1, 1e-2f, 1e-3f, 1e-4f, 2e-4f};
    for (int a = 0; a < arrays; ++a)
      init_kernel<<<1024, 256>>>(pool + a * per, per, 1234u + a, lo[a], hi[a]);
    CK(cudaGetLastError());
    tensors.clear();
    for (size_t i = 0; i < sizes.size(); ++i) {
      float* b = pool + off[i];
      tensors.push_back({b, b + per, b + 2 * per, b + 3 * per, amsgrad ? b + 4 * per : nullptr, sizes[i], true});
    }
    CK(cudaMalloc(&d_lr, sizeof(float)));
    CK(cudaMalloc(&d_it, sizeof(long long)));
    const float lr = 1e-3f;
    const long long it = 1000;
    CK(cudaMemcpy(d_lr, &lr, sizeof lr, cudaMemcpyHostToDevice));
    CK(cudaMemcpy(d_it, &it, sizeof it, cudaMemcpyHostToDevice));
    CK(cudaDeviceSynchronize());
  }
  void release() {
    CK(cudaFree(pool));
    CK(cudaFree(d_lr));
    CK(cudaFree(d_it));
    pool = nullptr;
  }
};

// Median over `reps` of (events around k back-to-back steps) / k, in microseconds.
static double time_steps(const std::function<cudaError_t()>& step, cudaStream_t s, int warmup, int reps, int k) {
  for (int i = 0; i < warmup; ++i) CK(step());
  CK(cudaStreamSynchronize(s));
  cudaEvent_t e0, e1;
  CK(cudaEventCreate(&e0));
  CK(cudaEventCreate(&e1));
  std::vector<double> us;
  for (int r = 0; r < reps; ++r) {
    CK(cudaEventRecord(e0, s));
    for (int i = 0; i < k; ++i) CK(step());
    CK(cudaEventRecord(e1, s));
    CK(cudaEventSynchronize(e1));
    float ms;
    CK(cudaEventElapsedTime(&ms, e0, e1));
    us.push_back(1000.0 * ms / k);
  }
  CK(cudaEventDestroy(e0));
  CK(cudaEventDestroy(e1));
  std::sort(us.begin(), us.end());
  return us[us.size() / 2];
}

struct Row {
  std::string set, what;
  int tensors;
  long long params;
  double us, bytes_per_param;
};
static std::vector<Row> g_rows;
static double g_copy_tbs = 0;

static void print_row(const Row& r) {
  const double tbs = r.params * r.bytes_per_param / (r.us * 1e-6) / 1e12;
  std::printf("%-22s %-34s %7d %11lld %10.2f %7.3f %6.1f%%\n", r.set.c_str(), r.what.c_str(), r.tensors, r.params, r.us,
              tbs, g_copy_tbs > 0 ? 100 * tbs / g_copy_tbs : 0.0);
  std::fflush(stdout);
}
static void row(const Row& r) {
  g_rows.push_back(r);
  print_row(r);
}
static void header() {
  std::printf("%-22s %-34s %7s %11s %10s %7s %7s\n", "set", "kernel", "tensors", "params", "us/step", "TB/s", "%copy");
}

template <int B, int I, int MODE>
static double time_variant(TimedSet& S, cudaStream_t st, int chunk, int grid, int reps, int k) {
  Hyper h = keras(false, false);
  return time_steps([&] { return launch_variant<B, I, MODE>(S.tensors.data(), static_cast<int>(S.tensors.size()), S.d_lr, S.d_it, h, st, chunk, grid); },
                    st, 2, reps, k);
}

struct Best {
  double us = 1e30;
  std::string what;
};

template <int B, int I, int MODE>
static void sweep_one(const char* vname, TimedSet& S, cudaStream_t st, Best& best, int reps, int k) {
  const int resident = fused_adam::resident_blocks<256, B, I, false, MODE>();
  for (int chunk : {4096, 16384, 65536, 0}) {  // 0: auto_chunk
    if (chunk % (B * 4 * I)) continue;
    for (int grid : {0, resident}) {
      if (chunk == 0 && grid) continue;
      const double us = time_variant<B, I, MODE>(S, st, chunk, grid, reps, k);
      char what[64];
      const std::string c = chunk ? std::to_string(chunk)
                                  : "auto=" + std::to_string(fused_adam::auto_chunk<B, I>(S.params, resident));
      std::snprintf(what, sizeof what, "%s c%s g%s", vname, c.c_str(), grid ? std::to_string(grid).c_str() : "all");
      print_row({S.name, what, static_cast<int>(S.tensors.size()), S.params, us, 28});
      if (MODE != fused_adam::kPattern && us < best.us) best = {us, what};
    }
  }
}

static void timing() {
  int dev = 0;
  cudaDeviceProp prop;
  CK(cudaGetDevice(&dev));
  CK(cudaGetDeviceProperties(&prop, dev));
  std::printf("== timing on %s: %d SMs, L2 %d MB, %.1f GB\n", prop.name, prop.multiProcessorCount, prop.l2CacheSize >> 20,
              prop.totalGlobalMem / 1e9);
  cudaStream_t st;
  CK(cudaStreamCreateWithFlags(&st, cudaStreamNonBlocking));

  // Roofline: device-to-device copy of 1 GiB, bytes read + written.
  {
    const size_t n = size_t(1) << 28;
    float *a, *b;
    CK(cudaMalloc(&a, n * 4));
    CK(cudaMalloc(&b, n * 4));
    init_kernel<<<1024, 256>>>(a, n, 7u, -1, 1);
    CK(cudaGetLastError());
    const double us = time_steps([&] { return cudaMemcpyAsync(b, a, n * 4, cudaMemcpyDeviceToDevice, st); }, st, 3, 15, 5);
    g_copy_tbs = 2.0 * n * 4 / (us * 1e-6) / 1e12;
    header();
    row({"copy 1 GiB (D2D)", "cudaMemcpyAsync, bytes r+w", 1, static_cast<long long>(n), us, 8});
    CK(cudaFree(a));
    CK(cudaFree(b));
  }

  TimedSet gpt{"gpt2-small untied", gpt2_small_untied()}, rn{"resnet50", resnet50()}, mlp{"mlp 32-32-1", mlp_32_32_1()};

  // Sweep on the two large sets: block size, float4 per array per thread, chunk, grid.
  std::printf("-- sweep (Adam; 'pattern' = same loads/stores with no Adam arithmetic, an upper bound)\n");
  header();
  Best best_gpt, best_rn;
  for (TimedSet* S : {&gpt, &rn}) {
    S->allocate(false);
    const bool big = S == &gpt;
    const int reps = big ? 5 : 9, k = big ? 8 : 20;
    Best& best = big ? best_gpt : best_rn;
    sweep_one<256, 1, fused_adam::kAdam>("b256 ilp1", *S, st, best, reps, k);
    sweep_one<256, 2, fused_adam::kAdam>("b256 ilp2", *S, st, best, reps, k);
    sweep_one<256, 4, fused_adam::kAdam>("b256 ilp4", *S, st, best, reps, k);
    sweep_one<512, 2, fused_adam::kAdam>("b512 ilp2", *S, st, best, reps, k);
    sweep_one<512, 4, fused_adam::kAdam>("b512 ilp4", *S, st, best, reps, k);
    sweep_one<256, 2, fused_adam::kStreaming>("b256 ilp2 stream", *S, st, best, reps, k);
    sweep_one<256, 4, fused_adam::kStreaming>("b256 ilp4 stream", *S, st, best, reps, k);
    sweep_one<256, 2, fused_adam::kPattern>("b256 ilp2 pattern", *S, st, best, reps, k);
    sweep_one<256, 4, fused_adam::kPattern>("b256 ilp4 pattern", *S, st, best, reps, k);
    S->release();
  }

  std::printf("-- summary (default: block %d, ilp %d, auto chunk, one block per chunk)\n", fused_adam::kDefaultBlock,
              fused_adam::kDefaultIlp);
  header();
  print_row(g_rows[0]);
  for (TimedSet* S : {&gpt, &rn, &mlp}) {
    const bool big = S == &gpt, tiny = S == &mlp;
    const int reps = big ? 9 : tiny ? 21 : 15, k = big ? 10 : tiny ? 200 : 40;
    for (int mode = 0; mode < 3; ++mode) {
      if (mode && S == &rn) break;
      Hyper h = keras(mode == 1, mode == 2);
      S->allocate(h.amsgrad);
      const double us = time_steps(
          [&] { return fused_adam::apply(S->tensors.data(), static_cast<int>(S->tensors.size()), S->d_lr, S->d_it, h, st); },
          st, 3, reps, k);
      row({S->name, mode == 0 ? "fused_adam default" : mode == 1 ? "fused_adam default, adamw" : "fused_adam default, amsgrad",
           static_cast<int>(S->tensors.size()), S->params, us, mode == 2 ? 36.0 : 28.0});
      if (tiny && mode == 0) {  // the same 4 tensors in the 576-slot (31 KB) parameter block: its launch cost
        fused_adam::Args<576> a;
        CK(fused_adam::plan(a, S->tensors.data(), 4, S->d_lr, S->d_it, h, fused_adam::kDefaultBlock * 4 * fused_adam::kDefaultIlp));
        const double us576 = time_steps(
            [&] { return fused_adam::launch_planned<576, fused_adam::kDefaultBlock, fused_adam::kDefaultIlp, false, fused_adam::kAdam>(a, 0, st); },
            st, 3, reps, k);
        row({S->name, "576 slots (31 KB params), preplanned", 4, S->params, us576, 28});
      }
      S->release();
    }
  }
  row({gpt.name, "best of sweep: " + best_gpt.what, static_cast<int>(gpt.sizes.size()), gpt.params, best_gpt.us, 28});
  row({rn.name, "best of sweep: " + best_rn.what, static_cast<int>(rn.sizes.size()), rn.params, best_rn.us, 28});
  CK(cudaStreamDestroy(st));
}

// ---------------------------------------------------------------- CPU self-test (no GPU)

static int cpu_selftest(uint64_t seed) {
  int fails = 0;
  Rng rng{seed};
  // 1. The reference against the same update in double: catches a wrong formula shared by the
  //    reference and the kernel. Bound: a few float roundings of p, plus 1e-4 of the update.
  {
    long long bad = 0;
    const int n = 300000;
    for (int i = 0; i < n; ++i) {
      const Hyper h = keras(i & 1, (i & 2) != 0);
      const float lr = 1e-3f;
      const long long it = rng.range(0, 100000);
      // v down to 1e-14 so that sqrt(v) meets epsilon (1e-7): where epsilon goes shows there.
      const double vscale = std::pow(10.0, -14 * rng.uniform());
      float p = static_cast<float>(rng.uniform() * 4 - 2), g = static_cast<float>((rng.uniform() * 2 - 1) * std::sqrt(vscale)),
            m = static_cast<float>((rng.uniform() * 0.2 - 0.1) * std::sqrt(vscale)),
            v = static_cast<float>(rng.uniform() * vscale), vh = static_cast<float>(rng.uniform() * vscale);
      const double P0 = p, G = g;
      double P = p, M = m, V = v, VH = vh;
      ref_update(p, g, m, v, vh, ref_scalars(lr, it, h), h.adamw, h.amsgrad);
      const double t = static_cast<float>(it + 1);
      const double alpha = lr * std::sqrt(1 - std::pow(double(h.beta2), t)) / (1 - std::pow(double(h.beta1), t));
      if (h.adamw) P -= P * double(h.weight_decay) * lr;
      M += (G - M) * (1 - double(h.beta1));
      V += (G * G - V) * (1 - double(h.beta2));
      if (h.amsgrad) VH = std::max(VH, V);
      P -= M * alpha / (std::sqrt(h.amsgrad ? VH : V) + double(h.epsilon));
      const double f = 0x1p-23;
      bad += std::fabs(p - P) > 4 * f * std::fabs(P) + 1e-4 * std::fabs(P - P0);
      bad += std::fabs(m - M) > 4 * f * (std::fabs(M) + std::fabs(G));
      bad += std::fabs(v - V) > 4 * f * (std::fabs(V) + G * G);
    }
    fails += bad != 0;
    std::printf("  %-4s reference vs float64 Adam/AdamW/AMSGrad: %lld of %d updates outside float rounding\n",
                bad ? "FAIL" : "ok", bad, n);
  }
  // 2. The kernel's beta^t ladder against std::pow in double rounded to float.
  {
    long long bad = 0, n = 0;
    const float betas[] = {0.9f, 0.999f, 0.99f, 0.95f, 0.5f, 0.0f, 0.9999f, 0.98f};
    for (float b : betas)
      for (long long k = 0; k < 20000; ++k, ++n) bad += fused_adam::beta_power(b, k) != static_cast<float>(std::pow(double(b), double(k)));
    for (int i = 0; i < 200000; ++i, ++n) {
      const float b = static_cast<float>(rng.uniform());
      const long long k = rng.range(0, 1LL << 26);
      bad += fused_adam::beta_power(b, k) != static_cast<float>(std::pow(double(b), double(k)));
    }
    const long long k = fused_adam::step_exponent((1LL << 24) + 6);  // t = 2^24+7 rounds to 2^24+8 in float
    const bool ok = bad == 0 && k == (1LL << 24) + 8;
    fails += !ok;
    std::printf("  %-4s beta^t ladder vs std::pow: %lld of %lld differ; float(2^24+7) -> %lld\n", ok ? "ok" : "FAIL", bad, n, k);
  }
  // 3. The planner and chunk lookup: every element of every non-empty tensor in exactly one chunk.
  {
    bool ok = true;
    long long launches = 0, chunks_seen = 0;
    for (int trial = 0; trial < 300 && ok; ++trial) {
      const int count = static_cast<int>(rng.range(1, trial < 20 ? 1500 : 600));
      std::vector<long long> sizes = random_sizes(rng, count, trial % 3 ? 16 : 22);
      for (auto& n : sizes)
        if (rng.uniform() < 0.05) n = 0;
      const int chunk = 1024 << (rng.next() % 6);
      // Fake, distinct, 16-aligned addresses (never dereferenced); every 7th tensor misaligned.
      std::vector<Tensor> T;
      uintptr_t at = 1 << 20;
      for (int i = 0; i < count; ++i) {
        float* b = reinterpret_cast<float*>(at + (i % 7 == 0 ? 4 : 0));
        T.push_back({b, b, b, b, b, sizes[i], (i & 1) != 0});
        at += 16 * (static_cast<uintptr_t>(sizes[i]) + 8);
      }
      std::vector<std::vector<std::pair<long long, long long>>> cover(count);
      // Walk the launches as apply() forms them.
      Hyper h = keras(true, true);
      int i = 0;
      while (i < count && ok) {
        int r;
        const int j = fused_adam::next_group(T.data(), count, i, &r);
        if (r) {
          static fused_adam::Args<576> a;
          ok &= fused_adam::plan(a, T.data() + i, j - i, nullptr, nullptr, h, chunk) == cudaSuccess;
          ++launches;
          // Map launch slots back to list indices.
          std::vector<int> slot;
          for (int q = i; q < j; ++q)
            if (T[q].n > 0) slot.push_back(q);
          ok &= static_cast<int>(slot.size()) == a.count;
          for (int s = 0; s < a.count && ok; ++s) {
            const int q = slot[s];
            const bool aligned = q % 7 != 0;
            ok &= a.p[s] == T[q].p && a.n[s] == T[q].n && bool(a.flags[s] & fused_adam::kVector) == aligned &&
                  bool(a.flags[s] & fused_adam::kDecay) == T[q].decay;
          }
          for (int c = 0; c < a.total_chunks && ok; ++c, ++chunks_seen) {
            const fused_adam::Span sp = fused_adam::locate_chunk(a, c);
            ok &= sp.tensor >= 0 && sp.tensor < a.count && sp.begin < sp.end && sp.begin % 4 == 0;
            if (ok) cover[slot[sp.tensor]].push_back({sp.begin, sp.end});
          }
        }
        i = j;
      }
      for (int q = 0; q < count && ok; ++q) {
        auto& c = cover[q];
        std::sort(c.begin(), c.end());
        long long at2 = 0;
        for (auto& seg : c) ok &= seg.first == at2, at2 = seg.second;
        ok &= at2 == sizes[q];
      }
    }
    fails += !ok;
    std::printf("  %-4s planner coverage: 300 random lists (up to 1500 tensors, 5%% empty), %lld launches, %lld chunks\n",
                ok ? "ok" : "FAIL", launches, chunks_seen);
  }
  // 4. The timed sets are the ones the README and torch_fused_adam.py state.
  {
    auto sum = [](const std::vector<long long>& v) { long long t = 0; for (long long n : v) t += n; return t; };
    const auto g = gpt2_small_untied(), r = resnet50(), m = mlp_32_32_1();
    const bool ok = g.size() == 148 && sum(g) == 162250752 && r.size() == 161 && sum(r) == 25557032 &&
                    m.size() == 4 && sum(m) == 1089;
    fails += !ok;
    std::printf("  %-4s timed sets: gpt2-small untied %zu tensors %lld, resnet50 %zu tensors %lld, mlp %zu tensors %lld\n",
                ok ? "ok" : "FAIL", g.size(), sum(g), r.size(), sum(r), m.size(), sum(m));
  }
  std::printf("== cpu self-test: %s\n", fails ? "FAILED" : "all passed");
  return fails ? 1 : 0;
}

int main(int argc, char** argv) {
  bool do_corr = false, do_time = false, quick = false, selftest = false;
  uint64_t seed = 20251117;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--correctness") do_corr = true;
    else if (a == "--timing") do_time = true;
    else if (a == "--quick") quick = true;
    else if (a == "--cpu-selftest") selftest = true;
    else if (a == "--seed" && i + 1 < argc) seed = std::strtoull(argv[++i], nullptr, 10);
    else {
      std::fprintf(stderr, "usage: %s [--correctness] [--timing] [--quick] [--cpu-selftest] [--seed N]\n", argv[0]);
      return 2;
    }
  }
  if (selftest) return cpu_selftest(seed);
  if (!do_corr && !do_time) do_corr = do_time = true;
  int devices = 0;
  const cudaError_t err = cudaGetDeviceCount(&devices);
  if (err != cudaSuccess || devices == 0) {
    std::fprintf(stderr, "fused_adam_harness: no usable CUDA device (%s); only --cpu-selftest runs without one\n",
                 err != cudaSuccess ? cudaGetErrorString(err) : "0 devices");
    return 3;
  }
  if (do_corr) correctness(quick, seed);
  if (do_time) timing();
  return g_failures ? 1 : 0;
}
