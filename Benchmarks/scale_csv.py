#!/usr/bin/env python3
"""Long-form text ingest beside DuckDB's read_csv on the same file (issue 13 §5).

    python3 Benchmarks/scale_csv.py --attrdb .build/release/attrdb [--runs 3] [--work DIR]

The file: 2 checkpoints x 128 coefficients x 8 000 components = 2.048 M rows of
`checkpoint_step,coefficient,component,layer,kind,value`, numbers as Python's repr writes them (what a
pandas or csv.writer export of float32 attributions holds). The scale driver passes its 10^9-value
dataset folder and the file is made from its first two checkpoints; run alone, a dataset of that shape
is generated.

Figures, each the best of --runs, all from this one sitting (the machine is shared, so only the ratios
of one run compare):
  attrdb ingest of the CSV, whole process into a fresh store, and its peak RSS;
  DuckDB `CREATE TABLE t AS SELECT * FROM read_csv(...)` into a fresh database file, connect to close;
  the same two for the CSV gzip'd and for JSON lines (DuckDB's read_json).
Target: attrdb takes no longer than DuckDB (ratio DuckDB/attrdb >= 1).
"""
import argparse, gzip, json, os, shutil, subprocess, sys, tempfile

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench import make_dataset, remove_store, run_rss  # noqa: E402

CHECKPOINTS = 2

# DuckDB runs in a child process so its threads and memory are its own, timed from connect to close.
DUCKDB_SCRIPT = r"""
import sys, time, duckdb
db, sql = sys.argv[1], sys.argv[2]
start = time.perf_counter()
con = duckdb.connect(db)
con.execute("SET enable_progress_bar = false")
con.execute(sql)
rows = con.execute("SELECT count(*) FROM t").fetchone()[0]
con.close()
print(time.perf_counter() - start, rows)
"""


def duckdb_python():
    """A python3 that can import duckdb: this one, $ATTRDB_PYTHON, or the test virtualenv; else None."""
    candidates = [sys.executable, os.environ.get("ATTRDB_PYTHON"), os.path.join(os.path.dirname(__file__), "..", ".venv-test", "bin", "python3")]
    for python in candidates:
        if python and os.path.exists(python) and subprocess.run([python, "-c", "import duckdb"], capture_output=True).returncode == 0:
            return python
    return None


def write_long_form(dataset_folder, csv_path, jsonl_path):
    """Writes the first CHECKPOINTS checkpoints of a dataset folder as long-form CSV and JSON lines."""
    axes = json.load(open(os.path.join(dataset_folder, "axes.json")))
    data = np.load(os.path.join(dataset_folder, "attributions.npy"), mmap_mode="r")
    rows = 0
    with open(csv_path, "w") as f, open(jsonl_path, "w") as g:
        f.write("checkpoint_step,coefficient,component,layer,kind,value\n")
        comps = axes["components"]
        for c, step in enumerate(axes["checkpoint_steps"][:CHECKPOINTS]):
            for j, coef in enumerate(axes["coefficients"]):
                vals = np.asarray(data[c, j]).tolist()
                prefix = f"{step},{coef!r},"
                f.write("".join(f"{prefix}{comp['label']},{comp['layer']},{comp['kind']},{v!r}\n" for comp, v in zip(comps, vals)))
                g.write("".join(f'{{"checkpoint_step": {step}, "coefficient": {coef!r}, "component": "{comp["label"]}", "value": {v!r}}}\n'
                                for comp, v in zip(comps, vals)))
                rows += len(vals)
    return rows


def duckdb_seconds(python, db, path, reader, rows):
    """Seconds DuckDB takes for `CREATE TABLE t AS SELECT * FROM reader('path')` into a fresh database file."""
    remove_store(db)
    sql = f"CREATE TABLE t AS SELECT * FROM {reader}('{path}')"
    proc = subprocess.run([python, "-c", DUCKDB_SCRIPT, db, sql], capture_output=True, text=True)
    if proc.returncode != 0:
        sys.exit(f"duckdb failed: {proc.stderr}")
    seconds, count = proc.stdout.split()[-2:]
    assert int(count) == rows, f"duckdb read {count} rows, expected {rows}"
    remove_store(db)
    return float(seconds)


def bench(args, work, dataset_folder, store_path):
    """Prints attrdb's text ingest beside DuckDB's on one 2.048 M-row file.

    `dataset_folder`: a dataset folder (attributions.npy + axes.json, >= 2 checkpoints) to take the
    rows from, or None to generate one in `work`. `store_path`: a store this function creates and
    removes for each ingest (not the caller's store)."""
    runs = getattr(args, "runs", 3) or 3
    if dataset_folder is None:
        dataset_folder = os.path.join(work, "csv-dataset")
        make_dataset(dataset_folder, CHECKPOINTS, 128, 8000, seed=3)
    csv_path = os.path.join(work, "long.csv")
    jsonl_path = os.path.join(work, "long.jsonl")
    rows = write_long_form(dataset_folder, csv_path, jsonl_path)
    gz_path = csv_path + ".gz"
    with open(csv_path, "rb") as src, gzip.open(gz_path, "wb", compresslevel=6) as dst:
        shutil.copyfileobj(src, dst)
    print(f"\n== Text ingest beside DuckDB: {rows / 1e6:.3f} M rows ({os.path.getsize(csv_path) / 1e6:.0f} MB CSV), best of {runs}")
    python = duckdb_python()
    if python is None:
        print("  duckdb not installed (pip install duckdb): DuckDB side skipped")
    duck_db = os.path.join(work, "text.duckdb")

    def attrdb(path):
        def once():
            remove_store(store_path)
            return run_rss([args.attrdb, "--db", store_path, "ingest", path, "--run", "csv"])
        result = min((once() for _ in range(runs)), key=lambda r: r[0])
        remove_store(store_path)
        return result

    def duck(path, reader):
        result = min(duckdb_seconds(python, duck_db, path, reader, rows) for _ in range(runs))
        remove_store(duck_db)
        return result

    for name, path, reader in (("CSV", csv_path, "read_csv"), ("CSV gzip", gz_path, "read_csv"), ("JSON lines", jsonl_path, "read_json")):
        seconds, rss = attrdb(path)
        text = f"  {name:<11} attrdb ingest {seconds:6.2f} s ({rows / seconds / 1e6:5.2f} M rows/s, peak RSS {rss:4.0f} MB)"
        if python:
            duck_s = duck(path, reader)
            ratio = duck_s / seconds
            text += f" | DuckDB {reader} {duck_s:6.2f} s | DuckDB/attrdb {ratio:5.2f}x [{'PASS' if ratio >= 1 else 'FAIL'}]"
        print(text, flush=True)
    for path in (csv_path, gz_path, jsonl_path):
        os.remove(path)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--attrdb", default=".build/release/attrdb")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--work", default=None)
    parser.add_argument("--dataset", default=None, help="a dataset folder to take the first two checkpoints from")
    args = parser.parse_args()
    args.attrdb = os.path.abspath(args.attrdb)
    work = args.work or tempfile.mkdtemp(prefix="attrdb-csv-")
    os.makedirs(work, exist_ok=True)
    try:
        bench(args, work, args.dataset, os.path.join(work, "csv.sqlite"))
    finally:
        if not args.work:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
