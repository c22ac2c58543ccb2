#!/usr/bin/env python3
"""`ingest --precision` at scale (issue 13 §2): bytes per value f32 vs f16 vs bf16, ingest time, and the
queries that read values (`capacity --coef` over a range, `profile`) on f32 vs f16 side by side.

    python3 Benchmarks/scale_precision.py --attrdb .build/release/attrdb [--size 1e8] [--work DIR]
        [--dataset /work/scale/data1e9 --sizes-only]

Alone it generates a dataset of --size values (bench.make_dataset: checkpoints x 128 coefficients x 800
components). The scale benchmark's driver calls `bench(args, work, dataset_folder, store_path)` with its
10^9-value dataset and the float32 store it ingested from it (made here when missing); the f16 and bf16
stores are written into `work` and deleted when measured. Sizes are printed for the dataset's layout (the
issue's: 100 components a layer) and for a Pythia-160M one (12 layers of 3 085 components), since the
per-(layer, coefficient) sums make the bytes per value depend on that density.
"""
import argparse, json, os, sqlite3, statistics, sys, tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench import row, run  # noqa: E402

# A real model's layout, beside the synthetic one (100 components a layer, so 81 layers for
# 8 000): Pythia-160M whole, 12 layers of 12 heads + 1 MLP + 3 072 neurons = 3 085 components. The
# per-(layer, coefficient) sums of a 16-bit run (its `abs` ones, float32) cost 4 bytes per layer and
# coefficient against 2 bytes per component and coefficient of values, so the density sets their share; Pythia-160M has the sparsest layers of
# the Pythia suite (1.4B: 8 192 neurons a layer, 12B: 20 480), so its figure is the least favourable of
# them. Whole, not a few of its layers: a row of component sums of 32-64 KB (8 000-16 000 components
# of a 16-bit run) fits no second row in its 64 KiB leaf page, which a subset of 3 layers (9 258
# components, 37 KB rows) showed as 0.07 B/value more.
PYTHIA_LAYER = 12 + 1 + 3072
PYTHIA_LAYERS = 12


def _summary_bytes(path):
    """(component sums, per-layer sums, totals) bytes of a store: the rows' blobs, not their pages."""
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        components, layers = con.execute("SELECT coalesce(sum(length(components)), 0), coalesce(sum(length(layers)), 0) "
                                         "FROM attribution_summary").fetchone()
        totals = con.execute("SELECT coalesce(sum(length(sums)), 0) + coalesce(sum(length(largest)), 0) + 16 * count(*) "
                             "FROM summary_totals").fetchone()[0]
    finally:
        con.close()
    return components, layers, totals


def _sizes(attrdb, dataset_folder, work, n, label, stores=None, drop=False):
    """Ingests the dataset at each precision (f32 unless given in `stores`) and prints bytes per value,
    the summaries' share and the f16/f32 and bf16/f32 size ratios. Returns {precision: (path, run)}
    of the stores kept: none when `drop`, which deletes each one as soon as it is measured (at most one
    on disk at a time)."""
    stores = dict(stores or {})
    sizes = {}
    for precision in ("f32", "f16", "bf16"):
        if precision not in stores:
            path = os.path.join(work, f"precision-{label.split(':')[0]}-{precision}.sqlite")
            if os.path.exists(path):
                os.remove(path)
            seconds, _ = run([attrdb, "--db", path, "ingest", dataset_folder, "--run", precision, "--precision", precision])
            row(f"[{label}] ingest --precision {precision}, M values/s", n / seconds / 1e6, "M/s")
            stores[precision] = (path, precision)
        path = stores[precision][0]
        sizes[precision] = os.path.getsize(path)
        components, layers, totals = _summary_bytes(path)
        detail = (f"(summaries {(components + layers + totals) / n:.3f}: components {components / n:.3f}, "
                  f"layers {layers / n:.3f}, totals {totals / n:.4f})")
        row(f"[{label}] bytes per value, {precision}", sizes[precision] / n, "B/value", detail,
            target=None if precision == "f32" else sizes[precision] / n <= 2.1)
        if drop:
            for suffix in ("", "-wal", "-shm"):
                if os.path.exists(path + suffix):
                    os.remove(path + suffix)
            del stores[precision]
    for precision in ("f16", "bf16"):
        row(f"[{label}] size {precision} / f32", sizes[precision] / sizes["f32"], "x")
    return stores


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
        layers = len({c["layer"] for c in axes["components"] if isinstance(c, dict)}) or 1
        stores = _sizes(attrdb, dataset_folder, work, n, f"issue: {len(axes['components'])} components, "
                        f"{len(axes['components']) // layers}/layer", stores)
        _pythia_sizes(args, attrdb, work, n, len(axes["coefficients"]))

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


def _pythia_sizes(args, attrdb, work, n, coefficients):
    """Bytes per value of a Pythia-160M-like layout (PYTHIA_LAYERS layers of PYTHIA_LAYER components) of
    at most 10^8 values: the sizes scale with the checkpoints, so a subset says the same."""
    from bench import make_dataset
    components = PYTHIA_LAYERS * PYTHIA_LAYER + 3
    checkpoints = max(2, round(min(n, getattr(args, "pythia_values", 1e8)) / (coefficients * components)))
    folder = os.path.join(work, "pythia-dataset")
    make_dataset(folder, checkpoints, coefficients, components, per_layer=PYTHIA_LAYER)
    m = checkpoints * coefficients * components
    try:
        _sizes(attrdb, folder, work, m, f"pythia-160m: {components} components, {PYTHIA_LAYER}/layer, {checkpoints} ckpts", drop=True)
    finally:
        import shutil
        shutil.rmtree(folder, ignore_errors=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--attrdb", default=".build/release/attrdb")
    parser.add_argument("--size", type=float, default=1e7, help="values in the generated dataset (x 128 x 800)")
    parser.add_argument("--work", default=None)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--keep", action="store_true", help="keep the f16 and bf16 stores")
    parser.add_argument("--dataset", default=None, help="an existing dataset folder (read only), e.g. /work/scale/data1e9")
    parser.add_argument("--sizes-only", action="store_true",
                        help="only the sizes, each store deleted once measured (one on disk at a time)")
    parser.add_argument("--pythia-only", action="store_true", help="with --sizes-only: only the Pythia-like layout")
    parser.add_argument("--pythia-values", type=float, default=1e8, help="values of the Pythia-like layout (at most the dataset's)")
    args = parser.parse_args()
    from bench import make_dataset
    import shutil
    work = args.work or tempfile.mkdtemp(prefix="attrdb-precision-")
    os.makedirs(work, exist_ok=True)
    try:
        folder = args.dataset or os.path.join(work, "dataset")
        if not os.path.exists(os.path.join(folder, "axes.json")):
            make_dataset(folder, max(1, round(args.size / (128 * 800))), 128, 800)
        if args.sizes_only:
            with open(os.path.join(folder, "axes.json")) as f:
                axes = json.load(f)
            n = len(axes["checkpoint_steps"]) * len(axes["coefficients"]) * len(axes["components"])
            layers = len({c["layer"] for c in axes["components"] if isinstance(c, dict)}) or 1
            print(f"\n== Precision: store sizes over {n / 1e6:,.1f} M values", flush=True)
            if not args.pythia_only:
                _sizes(os.path.abspath(args.attrdb), folder, work, n, f"issue: {len(axes['components'])} components, "
                       f"{len(axes['components']) // layers}/layer", drop=True)
            _pythia_sizes(args, os.path.abspath(args.attrdb), work, n, len(axes["coefficients"]))
            return
        store = os.path.join(work, "f32.sqlite")
        if os.path.exists(store):
            os.remove(store)
        bench(args, work, folder, store)
    finally:
        if not args.work:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
