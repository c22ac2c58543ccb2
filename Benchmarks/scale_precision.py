#!/usr/bin/env python3
"""`ingest --precision` at scale (issue 13 §2): bytes per value f32 vs f16 vs bf16, ingest time, and the
queries that read values (`capacity --coef` over a range, `profile`) on f32 vs f16 side by side.

    python3 Benchmarks/scale_precision.py --attrdb .build/release/attrdb [--size 1e8] [--work DIR]

Alone it generates a dataset of --size values (bench.make_dataset: checkpoints x 128 coefficients x 800
components). The scale benchmark's driver calls `bench(args, work, dataset_folder, store_path)` with its
10^9-value dataset and the float32 store it ingested from it (made here when missing); the f16 and bf16
stores are written into `work` and deleted when measured.
"""
import argparse, json, os, statistics, sys, tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench import row, run  # noqa: E402


def _median(cmd, n, env=None):
    run(cmd, env=env)  # warm: the page cache holds the store, as for every warm figure
    return statistics.median(run(cmd, env=env)[0] for _ in range(n))


def _only_run(attrdb, store):
    runs = json.loads(run([attrdb, "--db", store, "runs", "--format", "json"])[1])
    return runs[0]["name"]


def bench(args, work, dataset_folder, store_path):
    """Prints the rows; `store_path` is a float32 store of `dataset_folder` (ingested here when missing)."""
    attrdb = os.path.abspath(args.attrdb)
    repeats = getattr(args, "repeats", 3)
    with open(os.path.join(dataset_folder, "axes.json")) as f:
        axes = json.load(f)
    n = len(axes["checkpoint_steps"]) * len(axes["coefficients"]) * len(axes["components"])
    print(f"\n== Precision: f32 vs f16 vs bf16 over {n / 1e6:,.1f} M values", flush=True)
    stores = {}
    if not os.path.exists(store_path):
        seconds, _ = run([attrdb, "--db", store_path, "ingest", dataset_folder, "--run", "f32"])
        row("ingest --precision f32, M values/s", n / seconds / 1e6, "M/s")
    stores["f32"] = (store_path, _only_run(attrdb, store_path))
    try:
        for precision in ("f16", "bf16"):
            path = os.path.join(work, f"precision-{precision}.sqlite")
            if os.path.exists(path):
                os.remove(path)
            seconds, _ = run([attrdb, "--db", path, "ingest", dataset_folder, "--run", precision, "--precision", precision])
            row(f"ingest --precision {precision}, M values/s", n / seconds / 1e6, "M/s")
            stores[precision] = (path, precision)
        f32_bytes = os.path.getsize(store_path) / n
        row("bytes per value, f32", f32_bytes, "B/value")
        for precision in ("f16", "bf16"):
            size = os.path.getsize(stores[precision][0]) / n
            row(f"bytes per value, {precision}", size, "B/value", f"({size / f32_bytes:.2f}x f32)", target=size <= 2.1)

        # The queries that read every value in range: decoding 16 bits costs a vectorised pass, reading
        # half the bytes saves one. Whole process, warm, median of `repeats`.
        coefs = axes["coefficients"]
        low, high = coefs[len(coefs) // 4], coefs[3 * len(coefs) // 4]
        label = axes["components"][0]
        label = label if isinstance(label, str) else label["label"]
        queries = {
            f"capacity --coef={low:g}:{high:g}": ["capacity", f"--coef={low!r}:{high!r}"],
            f"profile --component {label}": ["profile", "--component", label],
        }
        for name, query in queries.items():
            times = {}
            for precision in ("f32", "f16", "bf16"):
                path, run_name = stores[precision]
                # The values, not the per-(layer, coefficient) sums that now answer capacity by layer over a range.
                times[precision] = _median([attrdb, "--db", path, *query, "--run", run_name, "--format", "csv"], repeats,
                                           env=dict(os.environ, ATTRDB_MASSES_FROM="values"))
            for precision in ("f16", "bf16"):
                row(f"{name}, {precision}, s", times[precision], "s",
                    f"(f32 {times['f32']:.3f} s, {times[precision] / times['f32']:.2f}x)", target=times[precision] <= 1.1 * times["f32"])
    finally:
        for precision in ("f16", "bf16"):
            if precision in stores and not getattr(args, "keep", False):
                os.remove(stores[precision][0])


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--attrdb", default=".build/release/attrdb")
    parser.add_argument("--size", type=float, default=1e7, help="values in the generated dataset (x 128 x 800)")
    parser.add_argument("--work", default=None)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--keep", action="store_true", help="keep the f16 and bf16 stores")
    args = parser.parse_args()
    from bench import make_dataset
    import shutil
    work = args.work or tempfile.mkdtemp(prefix="attrdb-precision-")
    os.makedirs(work, exist_ok=True)
    try:
        folder = os.path.join(work, "dataset")
        if not os.path.exists(os.path.join(folder, "axes.json")):
            make_dataset(folder, max(1, round(args.size / (128 * 800))), 128, 800)
        store = os.path.join(work, "f32.sqlite")
        if os.path.exists(store):
            os.remove(store)
        bench(args, work, folder, store)
    finally:
        if not args.work:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
