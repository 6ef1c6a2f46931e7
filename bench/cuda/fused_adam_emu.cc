// Runs native/kernels/fused_adam.cuh's kernel and launcher on the CPU (no CUDA needed) and checks
// every element against adam_reference.h: the indexing, vector/scalar paths, tails, chunking,
// grid-stride loop and multi-launch grouping. Arithmetic here is the host's, so this says nothing
// about device rounding; fused_adam_harness.cu checks that on a GPU.
//
//   g++ -std=c++17 -O2 -ffp-contract=off -Ibench/cuda/emu -o /tmp/fused_adam_emu bench/cuda/fused_adam_emu.cc
//   /tmp/fused_adam_emu
#include <cuda_runtime.h>  // the shim in emu/, by the -I above

#include <algorithm>
#include <cstdio>
#include <functional>
#include <string>
#include <vector>

#include "../../native/kernels/fused_adam.cuh"
#include "adam_reference.h"

using fused_adam::Hyper;
using fused_adam::Tensor;

namespace {

struct Rng {
  unsigned long long s;
  unsigned long long next() {
    s ^= s << 13, s ^= s >> 7, s ^= s << 17;
    return s;
  }
  double uniform() { return (next() >> 11) * 0x1p-53; }
};

using Apply = std::function<cudaError_t(const Tensor*, int, const float*, const long long*, const Hyper&,
                                        const fused_adam::Config&)>;

template <int B, int I, int MODE>
Apply make_apply() {
  return [](const Tensor* t, int n, const float* lr, const long long* it, const Hyper& h,
            const fused_adam::Config& c) { return fused_adam::apply<B, I, MODE>(t, n, lr, it, h, nullptr, c); };
}

int failures = 0, cases = 0;

// One random list through `apply` and the reference; every pool element compared.
void run(const char* name, const Apply& apply, int vec_iter, Rng& rng, int count, int max_log2, const Hyper& h,
         fused_adam::Config c) {
  std::vector<long long> n(count);
  std::vector<size_t> off(count);
  std::vector<bool> decay(count);
  size_t at = 0;
  for (int i = 0; i < count; ++i) {
    n[i] = rng.uniform() < 0.05 ? 0 : std::max(1LL, static_cast<long long>(std::exp2(rng.uniform() * max_log2)));
    if (rng.uniform() < 0.5) n[i] |= 1;
    at = (at + 16 + 3) & ~size_t(3);
    if (rng.uniform() < 0.1) at += 1 + rng.next() % 3;  // misaligned: the scalar path
    off[i] = at;
    decay[i] = rng.uniform() < 0.7;
    at += n[i];
  }
  const size_t total = at + 16;
  std::vector<float> P(total), G(total), M(total), V(total), H(total);
  for (size_t i = 0; i < total; ++i) {
    P[i] = static_cast<float>(rng.uniform() * 2 - 1);
    G[i] = static_cast<float>(rng.uniform() * 0.02 - 0.01);
    M[i] = static_cast<float>(rng.uniform() * 0.002 - 0.001);
    V[i] = static_cast<float>(rng.uniform() * 1e-4);
    H[i] = static_cast<float>(rng.uniform() * 2e-4);
  }
  std::vector<float> rp = P, rm = M, rv = V, rh = H;
  std::vector<Tensor> T;
  for (int i = 0; i < count; ++i) {
    const size_t o = off[i];
    T.push_back({&P[o], &G[o], &M[o], &V[o], h.amsgrad ? &H[o] : nullptr, n[i], decay[i]});
  }
  const float lr = 1e-3f;
  const long long it = static_cast<long long>(rng.next() % 100000);
  const long long launches0 = g_emu_launches;
  const cudaError_t err = apply(T.data(), count, &lr, &it, h, c);
  const long long launches = g_emu_launches - launches0;

  const RefScalars s = ref_scalars(lr, it, h);
  for (int i = 0; i < count; ++i)
    for (size_t k = off[i]; k < off[i] + n[i]; ++k)
      ref_update(rp[k], G[k], rm[k], rv[k], rh[k], s, h.adamw && decay[i], h.amsgrad);
  long long bad = 0;
  for (size_t k = 0; k < total; ++k)
    bad += ulp_distance(P[k], rp[k]) != 0 || ulp_distance(M[k], rm[k]) != 0 || ulp_distance(V[k], rv[k]) != 0 ||
           ulp_distance(H[k], rh[k]) != 0;
  int nonempty = 0;
  for (long long x : n) nonempty += x > 0;
  const long long want_launches = (nonempty + fused_adam::kMaxSlots - 1) / fused_adam::kMaxSlots;
  const bool ok = err == cudaSuccess && bad == 0 && launches == want_launches;
  ++cases;
  failures += !ok;
  if (!ok || cases % 25 == 0)
    std::printf("  %-4s %-22s %-7s tensors %4d elements %9zu chunk %6d(%s) grid %s launches %lld  bad %lld%s\n",
                ok ? "ok" : "FAIL", name, h.amsgrad ? "amsgrad" : h.adamw ? "adamw" : "adam", count, total,
                c.chunk_elems ? c.chunk_elems : 0, c.chunk_elems ? "set" : "auto", c.max_grid ? "7" : "all", launches,
                bad, err == cudaSuccess ? "" : " (launcher error)");
  (void)vec_iter;
}

}  // namespace

int main() {
  Rng rng{0x9e3779b97f4a7c15ull};
  struct V {
    const char* name;
    Apply apply;
    int vec_iter;  // BLOCK * 4 * ILP: the smallest chunk
  };
  const V variants[] = {
      {"b256 ilp2 (default)", make_apply<256, 2, fused_adam::kAdam>(), 2048},
      {"b256 ilp1", make_apply<256, 1, fused_adam::kAdam>(), 1024},
      {"b256 ilp4", make_apply<256, 4, fused_adam::kAdam>(), 4096},
      {"b512 ilp2", make_apply<512, 2, fused_adam::kAdam>(), 4096},
      {"b512 ilp4", make_apply<512, 4, fused_adam::kAdam>(), 8192},
      {"b256 ilp2 streaming", make_apply<256, 2, fused_adam::kStreaming>(), 2048},
  };
  Hyper modes[3];
  modes[1].adamw = true, modes[1].weight_decay = 0.004f;
  modes[2].amsgrad = true;
  std::printf("== fused_adam kernel on the CPU emulator vs the reference (every pool element)\n");
  for (int sms : {132, 2}) {  // 2 SMs: auto_chunk picks large chunks on these small lists
    g_emu_sms = sms;
    for (const V& v : variants)
      for (int mi = 0; mi < 3; ++mi)
        for (int chunk : {0, v.vec_iter, 3 * v.vec_iter})
          for (int grid : {0, 7}) {
            fused_adam::Config c;
            c.chunk_elems = chunk;
            c.max_grid = grid;
            const int count = 1 + static_cast<int>(rng.next() % (rng.uniform() < 0.15 ? 1300 : 160));
            run(v.name, v.apply, v.vec_iter, rng, count, rng.uniform() < 0.3 ? 18 : 13, modes[mi], c);
          }
  }
  // A chunk that is not a whole number of vector iterations is refused, not mis-run.
  {
    fused_adam::Config c;
    c.chunk_elems = 1000;
    float x = 0;
    const long long it = 0;
    Tensor t{&x, &x, &x, &x, nullptr, 1, false};
    const bool ok = fused_adam::apply(&t, 1, &x, &it, Hyper(), nullptr, c) == cudaErrorInvalidValue;
    ++cases;
    failures += !ok;
    std::printf("  %-4s chunk 1000 refused\n", ok ? "ok" : "FAIL");
  }
  std::printf("== emulator: %d cases, %d failing\n", cases, failures);
  return failures ? 1 : 0;
}
