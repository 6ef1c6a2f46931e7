"""PyTorch's Adam on the same tensor sets as fused_adam_harness.cu, timed the same way.

    python3 bench/cuda/torch_fused_adam.py

CUDA events around K back-to-back optimizer.step() calls, repeated, median per step; effective
bandwidth at 28 bytes per parameter (36 with amsgrad), like the harness. For the tiny set the
time is host-bound (Python and dispatch per step), as it is for any caller of opt.step().
"""
import statistics
import sys

import torch


def gpt2_small_untied():
    # GPT-2 small with an untied lm_head and no position table: 148 tensors, 162,250,752 params.
    v, c = 50257, 768
    sizes = [v * c]
    for _ in range(12):
        sizes += [c, c, c * 3 * c, 3 * c, c * c, c, c, c, c * 4 * c, 4 * c, 4 * c * c, c]
    sizes += [c, c, v * c]
    return sizes


def resnet50():
    # torchvision resnet50's 161 parameter tensors, 25,557,032 params.
    sizes = []

    def conv(o, i, k):
        sizes.append(o * i * k * k)

    def bn(ch):
        sizes.extend([ch, ch])

    conv(64, 3, 7)
    bn(64)
    cin = 64
    for layer, blocks in enumerate([3, 4, 6, 3]):
        w = 64 << layer
        for b in range(blocks):
            conv(w, cin, 1), bn(w)
            conv(w, w, 3), bn(w)
            conv(4 * w, w, 1), bn(4 * w)
            if b == 0:
                conv(4 * w, cin, 1), bn(4 * w)
            cin = 4 * w
    sizes += [1000 * 2048, 1000]
    return sizes


def mlp():
    return [32 * 32, 32, 32 * 1, 1]


def check_sets():
    g, r = gpt2_small_untied(), resnet50()
    assert (len(g), sum(g)) == (148, 162250752), (len(g), sum(g))
    assert (len(r), sum(r)) == (161, 25557032), (len(r), sum(r))
    try:  # the real model's parameter sizes, where torchvision is there
        import torchvision

        tv = [p.numel() for p in torchvision.models.resnet50().parameters()]
        print(f"torchvision resnet50 parameter sizes match: {tv == r}")
    except Exception as e:  # noqa: BLE001 - informational only
        print(f"torchvision check skipped: {e}")


def time_steps(step, warmup, reps, k):
    for _ in range(warmup):
        step()
    torch.cuda.synchronize()
    out = []
    for _ in range(reps):
        e0, e1 = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
        e0.record()
        for _ in range(k):
            step()
        e1.record()
        e1.synchronize()
        out.append(1000.0 * e0.elapsed_time(e1) / k)
    return statistics.median(out)


COPY_TBS = [0.0]


def row(set_name, what, tensors, params, us, bpp):
    tbs = params * bpp / (us * 1e-6) / 1e12
    pct = 100 * tbs / COPY_TBS[0] if COPY_TBS[0] else 0.0
    print(f"{set_name:<22} {what:<34} {tensors:>7} {params:>11} {us:>10.2f} {tbs:>7.3f} {pct:>6.1f}%", flush=True)


def main():
    if not torch.cuda.is_available():
        print("torch_fused_adam.py: no CUDA device", file=sys.stderr)
        return 3
    print(f"torch {torch.__version__} on {torch.cuda.get_device_name()}")
    check_sets()
    print(f"{'set':<22} {'kernel':<34} {'tensors':>7} {'params':>11} {'us/step':>10} {'TB/s':>7} {'%copy':>7}")

    n = 1 << 28
    a = torch.empty(n, device="cuda").uniform_(-1, 1)
    b = torch.empty_like(a)
    us = time_steps(lambda: b.copy_(a), 3, 15, 5)
    COPY_TBS[0] = 2 * n * 4 / (us * 1e-6) / 1e12
    row("copy 1 GiB (D2D)", "torch copy_, bytes r+w", 1, n, us, 8)
    del a, b

    runs = [
        ("gpt2-small untied", gpt2_small_untied(), 9, 10,
         [("Adam fused", dict(fused=True)), ("Adam foreach", dict(foreach=True)),
          ("AdamW fused wd=.004", dict(fused=True, weight_decay=0.004, adamw=True)),
          ("Adam fused amsgrad", dict(fused=True, amsgrad=True))]),
        ("resnet50", resnet50(), 15, 40, [("Adam fused", dict(fused=True)), ("Adam foreach", dict(foreach=True))]),
        ("mlp 32-32-1", mlp(), 21, 200, [("Adam fused", dict(fused=True)), ("Adam foreach", dict(foreach=True))]),
    ]
    for name, sizes, reps, k, impls in runs:
        for what, kw in impls:
            kw = dict(kw)
            cls = torch.optim.AdamW if kw.pop("adamw", False) else torch.optim.Adam
            params = [torch.nn.Parameter(torch.empty(s, device="cuda").uniform_(-1, 1)) for s in sizes]
            for p in params:
                p.grad = torch.empty_like(p).uniform_(-1e-2, 1e-2)
            opt = cls(params, lr=1e-3, eps=1e-7, **kw)
            us = time_steps(opt.step, 3, reps, k)
            row(name, what, len(sizes), sum(sizes), us, 36 if kw.get("amsgrad") else 28)
            del opt, params
            torch.cuda.empty_cache()
    return 0


if __name__ == "__main__":
    with torch.no_grad():
        sys.exit(main())
