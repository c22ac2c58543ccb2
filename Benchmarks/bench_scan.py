"""attrdb.scan's logging overhead (issue 12: attrdb must add <= 5% to the scan's forward pass).

Per checkpoint, on a tiny model and on one of ~10 M parameters: the forward pass of the 128-coefficient
batch, the whole scan (injection_scan + economics: the model's work), and what attrdb adds when
scan_checkpoints logs it — the weights hash and the frames (statistics, norms, values) written and
acknowledged by the binary — with the ratio of the two. Then the same checkpoints end to end:
scan_checkpoints against the bare computation loop, the difference being everything attrdb adds
(the recorder's process start and the run's header included).

    python Benchmarks/bench_scan.py --attrdb .build/release/attrdb [--checkpoints 8] [--repeat 3]
"""
import argparse
import os
import statistics
import sys
import tempfile
import time
from importlib.metadata import version

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "python"))

import torch  # noqa: E402
import transformer_lens as tl  # noqa: E402

import attrdb  # noqa: E402
from attrdb import scan  # noqa: E402

MODELS = {
    # name: (config, prompt length)
    "tiny (2L, d64)": (dict(n_layers=2, d_model=64, n_heads=4, d_head=16, d_mlp=256, n_ctx=16, d_vocab=128), 12),
    "~10M (5L, d384)": (dict(n_layers=5, d_model=384, n_heads=6, d_head=64, d_mlp=1536, n_ctx=32, d_vocab=2048), 24),
}
HOOK = "blocks.1.hook_resid_pre"


def checkpoints(settings, n):
    """n distinct checkpoints: the same architecture with n seeds (what training would give)."""
    out = []
    for i in range(n):
        cfg = tl.HookedTransformerConfig(**settings, act_fn="gelu", normalization_type="LN", seed=i, device="cpu")
        out.append((i * 1000, tl.HookedTransformer(cfg).eval()))
    return out


def timed(fn):
    start = time.perf_counter()
    value = fn()
    return time.perf_counter() - start, value


def bench_model(name, settings, length, args, work):
    models = checkpoints(settings, args.checkpoints)
    params = sum(p.numel() for p in models[0][1].parameters())
    rng = np.random.default_rng(0)
    prompt = rng.integers(0, settings["d_vocab"], length).tolist()
    counter = list(prompt)
    counter[length // 2] = (counter[length // 2] + 1) % settings["d_vocab"]
    kw = dict(hook=HOOK, answer=1, counter_answer=2, coefficients=np.linspace(-10, 10, 128))
    batch = torch.tensor([prompt] * 128)
    db = os.path.join(work, "scan.sqlite")
    forward, scan_time, added = [], [], []
    for repeat in range(args.repeat):
        for suffix in ("", "-wal", "-shm", "-journal"):
            if os.path.exists(db + suffix):
                os.remove(db + suffix)
        store = attrdb.open(db, binary=args.attrdb)
        rec = None
        for step, model in models:
            with torch.inference_mode():
                forward.append(timed(lambda: model(batch))[0])
            t, (r, econ) = timed(lambda: (scan.injection_scan(model, prompt, counter, **kw),
                                          scan.economics(model, prompt)))
            scan_time.append(t)
            if rec is None:
                rec = store.recorder("bench", coefficients=kw["coefficients"], components=r.labels,
                                     metric="logit_diff")
            # Exactly what scan_checkpoints does per checkpoint once the model's work is done.
            digest = lambda: scan.weights_hash(model) if hasattr(rec, "log_weights_hash") else None
            added.append(timed(lambda: scan._log(rec, step, digest(), r, econ, {}))[0])
        rec.close()
    med = statistics.median
    f, s, a = med(forward), med(scan_time), med(added)
    print(f"{name:<18} {params / 1e6:6.2f}M params  {r.values.shape[1]:5d} components  "
          f"forward {f * 1e3:8.2f} ms  scan {s * 1e3:8.2f} ms  attrdb adds {a * 1e3:6.2f} ms  "
          f"= {100 * a / f:5.1f}% of the forward pass, {100 * a / s:5.1f}% of the scan", flush=True)

    if not args.end_to_end:
        return
    # End to end: scan_checkpoints against the same work without attrdb.
    bare, logged = [], []
    for repeat in range(args.repeat):
        def compute():
            for step, model in models:
                scan.injection_scan(model, prompt, counter, **kw)
                scan.economics(model, prompt)
        bare.append(timed(compute)[0])
        for suffix in ("", "-wal", "-shm", "-journal"):
            if os.path.exists(db + suffix):
                os.remove(db + suffix)
        store = attrdb.open(db, binary=args.attrdb)
        logged.append(timed(lambda: scan.scan_checkpoints(store, "e2e", models, prompt=prompt, counterfactual=counter,
                                                          progress=False, **kw))[0])
    b, l = min(bare), min(logged)
    print(f"{'':<18} end to end, {len(models)} checkpoints (best of {args.repeat}): computation alone "
          f"{b:7.3f} s, scan_checkpoints {l:7.3f} s, attrdb adds {100 * (l - b) / b:5.1f}%", flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--attrdb", default=os.environ.get("ATTRDB_BIN", ".build/release/attrdb"))
    parser.add_argument("--checkpoints", type=int, default=8)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--threads", type=int, default=0, help="torch threads (0: torch's default)")
    parser.add_argument("--no-end-to-end", dest="end_to_end", action="store_false",
                        help="skip the end-to-end comparison (it runs the scans twice more)")
    parser.add_argument("--only", choices=["tiny", "10M"], help="one model only")
    args = parser.parse_args()
    args.attrdb = os.path.abspath(args.attrdb)
    if args.threads:
        torch.set_num_threads(args.threads)
    print(f"== attrdb.scan logging overhead per checkpoint (median over {args.checkpoints} checkpoints x "
          f"{args.repeat}; 128 coefficients; torch {torch.__version__}, {torch.get_num_threads()} threads; "
          f"transformer-lens {version('transformer-lens')})", flush=True)
    with tempfile.TemporaryDirectory(prefix="bench-scan-") as work:
        for name, (settings, length) in MODELS.items():
            if args.only and args.only not in name:
                continue
            bench_model(name, settings, length, args, work)


if __name__ == "__main__":
    main()
