#!/usr/bin/env python3
"""Merge rate: `attrdb merge` of a store into a fresh one, beside copies of the same bytes.

    python3 Benchmarks/scale_merge.py --attrdb .build/release/attrdb [--checkpoints 100] [--coefficients 128] [--components 800]

Standalone it generates a dataset (Benchmarks/bench.py's generator) and ingests it; the scale benchmark's
driver calls bench(args, work, dataset_folder, store_path) with its 10^9-value store instead.
Whole process, fresh destination, page cache warm (the source was just written or read):
  attrdb merge SRC into a new store, in values/s (target >= 200 M values/s)
  beside: cp of the store file (the floor: the same bytes, no SQLite), attrdb backup (SQLite's backup API,
  page by page), and for up to 2 x 10^8 values an ingest of the same values from the .npy;
then the same merge again (every matrix identical: compared by checksum and bytes, nothing written).
"""
import argparse, os, shutil, sqlite3, subprocess, sys, tempfile, time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from bench import make_dataset, remove_store, row, run  # noqa: E402

TARGET = 200e6


def _values(store):
    con = sqlite3.connect(f"file:{store}?mode=ro", uri=True)
    try:
        return con.execute("SELECT coalesce(sum(n_components * n_coefficients), 0) FROM attribution").fetchone()[0]
    finally:
        con.close()


def bench(args, work, dataset_folder, store_path):
    """Prints the merge rate of `store_path` into a fresh store in `work` beside its baselines."""
    n = _values(store_path)
    size = os.path.getsize(store_path)
    print(f"\n== Merge: {n / 1e6:.1f} M values ({size / 1e9:.2f} GB store) into a fresh store, whole process")
    dest = os.path.join(work, "merged.sqlite")
    copy = os.path.join(work, "copy.sqlite")
    # Reads the source once, so every contender starts from a warm page cache.
    subprocess.run(["cat", store_path], stdout=subprocess.DEVNULL, check=True)

    cp_s = run(["cp", store_path, copy])[0]
    remove_store(copy)
    # The merge's commit syncs the store to disk; cp leaves the copy in the page cache.
    cp_sync_s = run(["sh", "-c", 'cp "$0" "$1" && sync "$1"', store_path, copy])[0]
    remove_store(copy)
    backup_s = run([args.attrdb, "--db", store_path, "backup", copy])[0]
    remove_store(copy)
    ingest_s = None
    if dataset_folder and n <= 2e8:
        ingest_s = run([args.attrdb, "--db", copy, "ingest", dataset_folder, "--run", "bench-ingest"])[0]
        remove_store(copy)

    remove_store(dest)
    merge_s = run([args.attrdb, "--db", dest, "merge", store_path])[0]
    again_s = run([args.attrdb, "--db", dest, "merge", store_path])[0]
    merged = _values(dest)
    remove_store(dest)
    if merged != n:
        sys.exit(f"merge stored {merged} values of {n}")

    rate = n / merge_s
    row("cp of the store file (the floor), M values/s", n / cp_s / 1e6, "M/s", f"({cp_s:.2f} s)")
    row("cp of the store file, then sync it (durable, as the merge), M values/s", n / cp_sync_s / 1e6, "M/s", f"({cp_sync_s:.2f} s)")
    row("attrdb backup (SQLite backup API), M values/s", n / backup_s / 1e6, "M/s", f"({backup_s:.2f} s)")
    if ingest_s:
        row("attrdb ingest of the same values from .npy, M values/s", n / ingest_s / 1e6, "M/s", f"({ingest_s:.2f} s)")
    row("attrdb merge into a fresh store, M values/s (target >= 200)", rate / 1e6, "M/s", f"({merge_s:.2f} s)", target=rate >= TARGET)
    row("  merge time / cp time", merge_s / cp_s, "x")
    row("  merge time / (cp + sync) time", merge_s / cp_sync_s, "x")
    row("  merge time / backup time", merge_s / backup_s, "x")
    if ingest_s:
        row("  merge time / ingest time", merge_s / ingest_s, "x")
    row("attrdb merge again (all identical, nothing written), seconds", again_s, "s", f"({n / again_s / 1e6:.0f} M values compared/s)")
    return {"values": n, "merge_seconds": merge_s, "again_seconds": again_s, "cp_seconds": cp_s, "backup_seconds": backup_s,
            "ingest_seconds": ingest_s, "cp_sync_seconds": cp_sync_s}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--attrdb", default=os.path.join(os.path.dirname(HERE), ".build/release/attrdb"))
    parser.add_argument("--checkpoints", type=int, default=100)
    parser.add_argument("--coefficients", type=int, default=128)
    parser.add_argument("--components", type=int, default=800)
    parser.add_argument("--work", default=None, help="folder for the stores (default: a temporary one)")
    args = parser.parse_args()
    work = tempfile.mkdtemp(prefix="attrdb-merge-bench-", dir=args.work)
    try:
        folder = os.path.join(work, "scan")
        make_dataset(folder, args.checkpoints, args.coefficients, args.components)
        store = os.path.join(work, "source.sqlite")
        run([args.attrdb, "--db", store, "ingest", folder, "--run", "bench"])
        bench(args, work, folder, store)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
