#!/usr/bin/env python3
"""attrdb's benchmark: every figure printed side by side with its baseline, measured in one run.

    python3 Benchmarks/bench.py --attrdb .build/release/attrdb [--quick] [--skip-big]

Ingest (10.24 M float32 values: 100 checkpoints x 128 coefficients x 800 components):
  attrdb ingest of a dataset folder (.npy + axes.json), whole process, fresh store, best of 3
  vs Python sqlite3.executemany in long form (the baseline) and a raw write of the same bytes (the floor).
Storage: bytes per value on disk, also for single-coefficient data (100 x 1 x 50 000).
Parquet: export values of the ingest benchmark's run vs pyarrow.parquet.write_table's defaults for the
same table (target: no more than 1.2x pyarrow's size).
Frame stream: the same 10.24 M values written by a Python loop (numpy .tobytes() into the pipe of
`attrdb ingest - --format frames`, waiting for each frame's ok) vs the .npy ingest of the same values.
Other inputs: CSV and JSON-lines ingest rates beside DuckDB's read_csv / read_json of the same file (target: no slower);
Benchmarks/scale_csv.py does the same on a 2.048 M-row file.
Python package (Benchmarks/bench_python.py; --python-only runs just it): rec.log of 10.24 M values whole loop
to close vs np.save and MLflow's log_batch; values() into numpy and its peak memory.
Queries over a 100 M-value store (1 000 x 128 x 800): capacity whole process vs DuckDB's native file,
top and profile latency; start-up of `attrdb --help`.
attrdb serve over that store: GET /api/capacity latency beside the command line's, 50 concurrent requests.
Targets (DESIGN.md) are printed next to each figure with PASS/FAIL; the script exits 0 either way.
"""
import argparse, json, os, resource, shutil, sqlite3, struct, subprocess, sys, tempfile, threading, time

import numpy as np


def run(cmd, **kw):
    """Runs a command; returns (seconds, stdout)."""
    start = time.perf_counter()
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, **kw)
    seconds = time.perf_counter() - start
    if proc.returncode != 0:
        sys.exit(f"failed: {' '.join(cmd)}\n{proc.stderr.decode()}")
    return seconds, proc.stdout.decode()


def run_rss(cmd):
    """Runs a command under /usr/bin/time; returns (wall seconds, peak RSS MB of the command itself).

    wait4's ru_maxrss would count the Python parent's pages a forked child holds before exec."""
    seconds, megabytes, _ = run_rss_written(cmd)
    return seconds, megabytes


def run_rss_written(cmd):
    """``run_rss`` and the bytes the command wrote to files (ru_oublock: 512-byte blocks it dirtied)."""
    report = tempfile.NamedTemporaryFile(delete=False)
    report.close()
    start = time.perf_counter()
    proc = subprocess.run(["/usr/bin/time", "-f", "%M %O", "-o", report.name] + cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    seconds = time.perf_counter() - start
    if proc.returncode != 0:
        sys.exit(f"failed: {' '.join(cmd)}\n{proc.stderr.decode()}")
    with open(report.name) as f:
        kilobytes, blocks = (int(field) for field in f.read().split()[-2:])
    os.remove(report.name)
    return seconds, kilobytes / 1024.0, blocks * 512


def remove_store(path):
    """Removes a store and whatever journal beside it: SQLite's -journal, -wal and -shm, DuckDB's .wal."""
    for suffix in ("", "-journal", "-wal", "-shm", ".wal"):
        if os.path.exists(path + suffix):
            os.remove(path + suffix)


def best(n, fn):
    results = [fn() for _ in range(n)]
    return min(results, key=lambda r: r[0])


class PeakFileSize:
    """The largest size a file (a write-ahead log) reaches while the `with` block runs, sampled on a
    thread every `interval` seconds; 0 when it never exists."""

    def __init__(self, path, interval=0.002):
        self.path, self.interval, self.peak = path, interval, 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample)

    def _sample(self):
        while not self._stop.is_set():
            try:
                self.peak = max(self.peak, os.path.getsize(self.path))
            except OSError:
                pass
            time.sleep(self.interval)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()


def make_dataset(folder, checkpoints, coefficients, components, seed=0, per_layer=100):
    """Random float32 attributions; the components (but embed, pos_embed, bias) are neurons in layers of
    `per_layer` (100: the issue's layout; scale_precision.py also measures a real model's density)."""
    os.makedirs(folder, exist_ok=True)
    rng = np.random.default_rng(seed)
    labels = []
    layers = max(1, (components - 3) // per_layer)
    for i in range(components - 3):
        labels.append({"label": f"L{i % layers}N{i // layers}", "layer": i % layers, "kind": "neuron", "index": i // layers})
    labels += [{"label": "embed", "layer": -1, "kind": "embed", "index": None},
               {"label": "pos_embed", "layer": -1, "kind": "pos_embed", "index": None},
               {"label": "bias", "layer": layers, "kind": "bias", "index": None}]
    path = os.path.join(folder, "attributions.npy")
    array = np.lib.format.open_memmap(path, mode="w+", dtype="<f4", shape=(checkpoints, coefficients, components))
    for c in range(checkpoints):
        array[c] = rng.standard_normal((coefficients, components), dtype=np.float32)
    array.flush()
    del array
    axes = {"checkpoint_steps": [int(s) for s in np.unique(np.geomspace(1, 10 ** 6, checkpoints * 4).astype(int))[:checkpoints]],
            "coefficients": [float(x) for x in np.linspace(-10, 10, coefficients)],
            "components": labels, "metric": "logit_diff", "metadata": {"model": "bench", "task": "synthetic"}}
    if len(axes["checkpoint_steps"]) < checkpoints:
        axes["checkpoint_steps"] = list(range(checkpoints))
    with open(os.path.join(folder, "axes.json"), "w") as f:
        json.dump(axes, f)
    return axes


def row(name, value, unit, baseline=None, target=None):
    text = f"  {name:<58} {value:>12.3f} {unit:<10}"
    if baseline:
        text += f" {baseline}"
    if target is not None:
        text += f"  [{'PASS' if target else 'FAIL'}]"
    print(text, flush=True)


def bench_ingest(args, work):
    print("\n== Ingest: 100 checkpoints x 128 coefficients x 800 components (10.24 M float32 values)")
    folder = os.path.join(work, "scan")
    make_dataset(folder, 100, 128, 800)
    n = 100 * 128 * 800

    # The floor: a whole process writing the same bytes to a new file (dd), like attrdb ingest is a
    # whole process; once as a plain write into the page cache, once made durable with fsync as
    # SQLite's commit is.
    npy = os.path.join(folder, "attributions.npy")

    def raw_write(sync):
        path = os.path.join(work, "raw.bin")
        cmd = ["dd", f"if={npy}", f"of={path}", "bs=4M", "status=none"] + (["conv=fsync"] if sync else [])
        seconds = run(cmd)[0]
        os.remove(path)
        return (seconds,)

    raw_s = best(3, lambda: raw_write(False))[0]
    raw_sync_s = best(3, lambda: raw_write(True))[0]
    store = os.path.join(work, "ingest.sqlite")

    def ingest():
        remove_store(store)
        return run_rss([args.attrdb, "--db", store, "ingest", folder, "--run", "bench"])

    attr_s, rss = best(5, ingest)
    size = os.path.getsize(store)
    data = np.load(os.path.join(folder, "attributions.npy"))

    # Baseline: Python's sqlite3.executemany inserting the same values in long form.
    quick = args.quick
    base_ckpts = 10 if quick else 100
    base_path = os.path.join(work, "python.sqlite")
    if os.path.exists(base_path):
        os.remove(base_path)
    axes = json.load(open(os.path.join(folder, "axes.json")))
    labels = [c["label"] for c in axes["components"]]
    layers = [c["layer"] for c in axes["components"]]
    kinds = [c["kind"] for c in axes["components"]]
    coefs = axes["coefficients"]
    steps = axes["checkpoint_steps"]
    start = time.perf_counter()
    con = sqlite3.connect(base_path)
    con.execute("CREATE TABLE value (checkpoint_step INTEGER, coefficient REAL, component TEXT, layer INTEGER, kind TEXT, value REAL)")

    def rows():
        for c in range(base_ckpts):
            block = data[c]
            for j in range(128):
                vals = block[j].tolist()
                for p in range(800):
                    yield (steps[c], coefs[j], labels[p], layers[p], kinds[p], vals[p])

    with con:
        con.executemany("INSERT INTO value VALUES (?, ?, ?, ?, ?, ?)", rows())
    con.close()
    base_s = time.perf_counter() - start
    base_values = base_ckpts * 128 * 800
    base_rate = base_values / base_s
    base_bpv = os.path.getsize(base_path) / base_values

    rate = n / attr_s
    row("raw write of the same bytes, whole process (dd), M values/s", n / raw_s / 1e6, "M/s")
    row("raw write + fsync, whole process (dd conv=fsync): the floor", n / raw_sync_s / 1e6, "M/s")
    row("Python sqlite3.executemany long form (baseline), M values/s", base_rate / 1e6, "M/s",
        f"({base_values / 1e6:.2f} M values, {base_bpv:.1f} bytes/value)")
    row("attrdb ingest .npy whole process, seconds", attr_s, "s")
    row("attrdb ingest .npy whole process, M values/s (target >= 50)", rate / 1e6, "M/s", target=rate >= 50e6)
    row("  ratio to Python executemany (target >= 20x)", rate / base_rate, "x", target=rate / base_rate >= 20)
    row("  time / durable raw write time (target <= 2)", attr_s / raw_sync_s, "x", target=attr_s / raw_sync_s <= 2)
    row("  time / page-cache raw write time (not durable)", attr_s / raw_s, "x")
    row("attrdb peak RSS during ingest (target < 200 MB)", rss, "MB", target=rss < 200)
    row("attrdb bytes per value on disk (target <= 4.5)", size / n, "B/value", target=size / n <= 4.5)
    return folder


def stream_frames(attrdb, store, run_name, axes, data):
    """Streams `data` (checkpoints x coefficients x components, float32) to `attrdb ingest - --format
    frames` as a training loop would: one C frame per checkpoint, waiting for its ok. Returns the
    seconds from starting the process to its exit."""
    start = time.perf_counter()
    proc = subprocess.Popen([attrdb, "--db", store, "ingest", "-", "--format", "frames"],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)

    def send(kind, *parts):
        proc.stdin.write(kind + bytes(7) + struct.pack("<Q", sum(len(p) for p in parts)))
        for part in parts:
            proc.stdin.write(part)
        proc.stdin.flush()
        if proc.stdout.readline() != b"ok\n":
            sys.exit(f"frame stream failed: {proc.stderr.read().decode()}")

    proc.stdin.write(b"ATTRDB\x00\x01")
    header = {"run": run_name, "metric": axes["metric"], "coefficients": axes["coefficients"],
              "components": axes["components"], "model": "bench", "task": "synthetic"}
    send(b"H", json.dumps(header).encode())
    for c, step in enumerate(axes["checkpoint_steps"]):
        send(b"C", struct.pack("<q", step), np.ascontiguousarray(data[c], dtype="<f4").tobytes())
    send(b"E", b'{"complete": true}')
    proc.stdin.close()
    if proc.wait() != 0:
        sys.exit(f"frame stream failed: {proc.stderr.read().decode()}")
    return time.perf_counter() - start


def bench_stream(args, work):
    print("\n== Frame stream from Python: 100 checkpoints x 128 x 800 (10.24 M values), waiting for each ok")
    folder = os.path.join(work, "scan")
    if not os.path.exists(folder):
        make_dataset(folder, 100, 128, 800)
    axes = json.load(open(os.path.join(folder, "axes.json")))
    data = np.load(os.path.join(folder, "attributions.npy"))
    n = data.size
    store = os.path.join(work, "stream.sqlite")

    def fresh():
        remove_store(store)

    def streamed():
        fresh()
        return (stream_frames(args.attrdb, store, "bench", axes, data),)

    def from_npy():
        fresh()
        return (run([args.attrdb, "--db", store, "ingest", folder, "--run", "bench"])[0],)

    stream_s = best(3, streamed)[0]
    npy_s = best(3, from_npy)[0]
    fresh()
    row("attrdb ingest .npy whole process (the same values), M values/s", n / npy_s / 1e6, "M/s")
    row("frame stream from Python, whole loop to close, M values/s (target >= 50)", n / stream_s / 1e6, "M/s",
        f"({stream_s:.3f} s)", target=n / stream_s >= 50e6)
    row("  stream rate / .npy ingest rate", npy_s / stream_s, "x")


def bench_parquet(args, work):
    print("\n== Parquet: export values of the ingest run (10.24 M values)")
    import pyarrow.parquet as pq
    store = os.path.join(work, "ingest.sqlite")
    ours = os.path.join(work, "values.parquet")
    theirs = os.path.join(work, "values-pyarrow.parquet")
    seconds = best(3, lambda: run_rss([args.attrdb, "--db", store, "export", "values", "--run", "bench", "-o", ours]))[0]
    # The same table, as pyarrow writes it by default (dictionary encoding, Snappy).
    table = pq.read_table(ours)
    start = time.perf_counter()
    pq.write_table(table, theirs)
    pyarrow_s = time.perf_counter() - start
    size, pyarrow_size = os.path.getsize(ours), os.path.getsize(theirs)
    row("attrdb export values .parquet, whole process, seconds", seconds, "s",
        f"(pyarrow write_table from memory {pyarrow_s:.2f} s)")
    row("attrdb export values .parquet, MB", size / 1e6, "MB", f"(pyarrow default {pyarrow_size / 1e6:.1f} MB)")
    row("  size / pyarrow's default (target <= 1.2)", size / pyarrow_size, "x", target=size / pyarrow_size <= 1.2)
    os.remove(ours)
    os.remove(theirs)


def bench_single(args, work):
    print("\n== Single coefficient: 100 checkpoints x 1 coefficient x 50 000 components (5 M values)")
    folder = os.path.join(work, "single")
    make_dataset(folder, 100, 1, 50000, seed=1)
    store = os.path.join(work, "single.sqlite")

    def ingest():
        if os.path.exists(store):
            os.remove(store)
        return run_rss([args.attrdb, "--db", store, "ingest", folder, "--run", "single"])

    seconds, rss = best(3, ingest)
    n = 100 * 50000
    row("attrdb ingest, M values/s", n / seconds / 1e6, "M/s")
    row("bytes per value on disk", os.path.getsize(store) / n, "B/value")
    row("peak RSS", rss, "MB")


def bench_text_inputs(args, work):
    print("\n== Text inputs: 10 checkpoints x 128 coefficients x 800 components (1.024 M values)")
    folder = os.path.join(work, "text")
    axes = make_dataset(folder, 10, 128, 800, seed=2)
    data = np.load(os.path.join(folder, "attributions.npy"))
    labels = [c["label"] for c in axes["components"]]
    csv_path = os.path.join(work, "long.csv")
    jsonl_path = os.path.join(work, "long.jsonl")
    with open(csv_path, "w") as f, open(jsonl_path, "w") as g:
        f.write("checkpoint_step,coefficient,component,layer,kind,value\n")
        for c, step in enumerate(axes["checkpoint_steps"]):
            for j, coef in enumerate(axes["coefficients"]):
                vals = data[c, j].tolist()
                for p, comp in enumerate(axes["components"]):
                    f.write(f"{step},{coef!r},{comp['label']},{comp['layer']},{comp['kind']},{vals[p]!r}\n")
                    g.write(json.dumps({"checkpoint_step": step, "coefficient": coef, "component": comp["label"], "value": vals[p]}) + "\n")
    n = data.size
    import scale_csv
    duck_python = scale_csv.duckdb_python()
    for name, path, reader in (("CSV", csv_path, "read_csv"), ("JSON lines", jsonl_path, "read_json")):
        store = os.path.join(work, "text.sqlite")

        def ingest():
            scale_csv.remove_store(store)
            return run_rss([args.attrdb, "--db", store, "ingest", path, "--run", "text"])

        seconds, rss = best(3, ingest)
        if duck_python is None:
            row(f"attrdb ingest {name}, M values/s", n / seconds / 1e6, "M/s", f"(peak RSS {rss:.0f} MB; duckdb not installed)")
            continue
        # The peer: DuckDB reading the same file into a table of a fresh database file, connect to close.
        duck_s = min(scale_csv.duckdb_seconds(duck_python, os.path.join(work, "text.duckdb"), path, reader, n) for _ in range(3))
        row(f"attrdb ingest {name}, M values/s", n / seconds / 1e6, "M/s",
            f"(peak RSS {rss:.0f} MB; DuckDB {reader} {n / duck_s / 1e6:.2f} M/s, {duck_s / seconds:.2f}x attrdb's time)", target=seconds <= duck_s)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--attrdb", default=".build/release/attrdb")
    parser.add_argument("--quick", action="store_true", help="smaller baselines")
    parser.add_argument("--skip-big", action="store_true", help="skip the 100 M-value query benchmark")
    parser.add_argument("--work", default=None)
    parser.add_argument("--python-only", action="store_true", help="only the Python package's section")
    args = parser.parse_args()
    args.attrdb = os.path.abspath(args.attrdb)
    work = args.work or tempfile.mkdtemp(prefix="attrdb-bench-")
    os.makedirs(work, exist_ok=True)
    print(f"attrdb benchmark — {os.cpu_count()} cores; work folder {work}")
    try:
        import bench_python
        if args.python_only:
            bench_python.bench(args, work, row, best)
            return
        bench_ingest(args, work)
        bench_stream(args, work)
        bench_parquet(args, work)
        bench_single(args, work)
        bench_text_inputs(args, work)
        bench_python.bench(args, work, row, best)
        if not args.skip_big:
            import bench_queries
            bench_queries.bench(args, work, make_dataset, row, run, run_rss, best)
            import bench_serve
            bench_serve.bench(args, work, row, run)
    finally:
        if not args.work:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    main()
