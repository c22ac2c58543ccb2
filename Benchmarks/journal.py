#!/usr/bin/env python3
"""Ingest rate by journal: attrdb binaries side by side on the benchmark's generated data.

  python3 Benchmarks/journal.py --attrdb rollback=/tmp/attrdb-old --attrdb wal=.build/release/attrdb --sizes 1e7 1e8

For each size (values: checkpoints x 128 coefficients x 800 components) and each binary, best of
--repeat whole-process ingests into a fresh store, run alternately so load on the machine hits
both alike; the largest write-ahead log seen while ingesting (sampled every 20 ms) and the files
left beside the store afterwards. --reader also holds a Python read transaction open during
each ingest, as a notebook would: the ingest must succeed and the log stays until the reader ends.
"""
import argparse, os, shutil, sqlite3, subprocess, sys, tempfile, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench import PeakFileSize, make_dataset  # noqa: E402

COEFFICIENTS, COMPONENTS = 128, 800


def ingest_once(binary, store, folder, reader):
    for suffix in ("", "-journal", "-wal", "-shm"):
        if os.path.exists(store + suffix):
            os.remove(store + suffix)
    held = None
    if reader:
        # A store with one tiny run, so the reader has a snapshot to hold.
        subprocess.run([binary, "--db", store, "init"], check=True, capture_output=True)
        held = sqlite3.connect(store, isolation_level=None)
        held.execute("BEGIN")
        held.execute("SELECT count(*) FROM run").fetchone()
    with PeakFileSize(store + "-wal", interval=0.02) as log:
        start = time.perf_counter()
        proc = subprocess.run([binary, "--db", store, "ingest", folder, "--run", "bench"], capture_output=True)
        seconds = time.perf_counter() - start
    if proc.returncode != 0:
        sys.exit(f"{binary} failed: {proc.stderr.decode()}")
    left = {s: os.path.getsize(store + s) for s in ("-wal", "-journal") if os.path.exists(store + s)}
    if held is not None:
        # The reader still sees its snapshot (no run), then ends; closing the last connection
        # checkpoints and removes the log.
        assert held.execute("SELECT count(*) FROM run").fetchone()[0] == 0
        held.execute("COMMIT")
        held.close()
    return seconds, log.peak, left


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--attrdb", action="append", required=True, help="LABEL=PATH, repeatable")
    parser.add_argument("--sizes", nargs="+", default=["1e7", "1e8"])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--reader", action="store_true")
    parser.add_argument("--work", default=None)
    args = parser.parse_args()
    binaries = [tuple(a.split("=", 1)) for a in args.attrdb]
    work = args.work or tempfile.mkdtemp(prefix="attrdb-journal-")
    try:
        for size in args.sizes:
            checkpoints = max(1, round(float(size) / (COEFFICIENTS * COMPONENTS)))
            n = checkpoints * COEFFICIENTS * COMPONENTS
            folder = os.path.join(work, f"data-{checkpoints}")
            make_dataset(folder, checkpoints, COEFFICIENTS, COMPONENTS)
            print(f"== {n / 1e6:.2f} M values ({checkpoints} checkpoints, {n * 4 / 1e9:.2f} GB){' with a reader holding a snapshot' if args.reader else ''}", flush=True)
            results = {label: [] for label, _ in binaries}
            for _ in range(args.repeat):
                for label, binary in binaries:
                    results[label].append(ingest_once(os.path.abspath(binary), os.path.join(work, f"{label}.sqlite"), folder, args.reader))
            for label, _ in binaries:
                runs = results[label]
                best = min(runs, key=lambda r: r[0])
                times = ", ".join(f"{r[0]:.2f}" for r in runs)
                print(f"  {label:<10} best {best[0]:7.2f} s  {n / best[0] / 1e6:6.1f} M values/s  (runs: {times} s)"
                      f"  peak log {best[1] / 1e6:8.1f} MB  left after exit: {best[2] or 'nothing'}", flush=True)
            shutil.rmtree(folder)
    finally:
        if not args.work:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
