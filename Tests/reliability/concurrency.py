#!/usr/bin/env python3
"""Concurrency: four processes ingest different runs into one store while two others query it.

    python3 Tests/reliability/concurrency.py --attrdb .build/release/attrdb [--runs-per-writer 3]

Readers loop over `attrdb runs`, `capacity` and `top` until the writers are done. Checks: no command
reports "database is locked" (or fails at all), a reader never sees a run with fewer values than a
complete ingest stores, and at the end every run holds every value, bit for bit.
"""
import argparse, os, shutil, sqlite3, subprocess, sys, tempfile, threading, time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--attrdb", default=os.path.join(ROOT, ".build/release/attrdb"))
    parser.add_argument("--runs-per-writer", type=int, default=3)
    parser.add_argument("--writers", type=int, default=4)
    parser.add_argument("--readers", type=int, default=2)
    args = parser.parse_args()
    work = tempfile.mkdtemp(prefix="attrdb-concurrency-")
    try:
        sys.path.insert(0, os.path.join(ROOT, "Benchmarks"))
        import bench
        data = os.path.join(work, "scan")
        bench.make_dataset(data, 60, 128, 800, seed=11)
        expected = np.load(os.path.join(data, "attributions.npy"))
        complete = expected.size
        db = os.path.join(work, "store.sqlite")
        subprocess.run([args.attrdb, "--db", db, "init"], check=True, capture_output=True)
        failures, reads, partial_views = [], [0], []
        done = threading.Event()

        def writer(w):
            for i in range(args.runs_per_writer):
                result = subprocess.run([args.attrdb, "--db", db, "ingest", data, "--run", f"w{w}-{i}"], capture_output=True, text=True)
                if result.returncode != 0:
                    failures.append(f"writer {w}: {result.stderr.strip()}")

        def reader(r):
            commands = [["runs", "--format", "csv"], ["capacity", "--run", "w0-0", "--checkpoint", "last", "--format", "csv"],
                        ["top", "--run", "w1-0", "--format", "csv"]]
            i = 0
            while not done.is_set():
                command = commands[i % len(commands)]
                i += 1
                result = subprocess.run([args.attrdb, "--db", db] + command, capture_output=True, text=True)
                reads[0] += 1
                if "locked" in result.stderr or "busy" in result.stderr.lower():
                    failures.append(f"reader {r}: {result.stderr.strip()}")
                elif result.returncode not in (0, 3):  # 3: the run is not there yet
                    failures.append(f"reader {r} {command[0]}: exit {result.returncode}: {result.stderr.strip()}")
                if command[0] == "runs" and result.returncode == 0:
                    for line in result.stdout.strip().split("\n")[1:]:
                        fields = line.split(",")
                        if int(fields[5]) not in (0, complete):
                            partial_views.append(line)

        writers = [threading.Thread(target=writer, args=(w,)) for w in range(args.writers)]
        readers = [threading.Thread(target=reader, args=(r,)) for r in range(args.readers)]
        start = time.perf_counter()
        for t in readers + writers:
            t.start()
        for t in writers:
            t.join()
        done.set()
        for t in readers:
            t.join()
        seconds = time.perf_counter() - start
        con = sqlite3.connect(db)
        runs = [r[0] for r in con.execute("SELECT name FROM run ORDER BY name")]
        mismatched = []
        for run in runs:
            rows = con.execute("""SELECT a.matrix, a.n_components, a.n_coefficients FROM attribution a JOIN checkpoint c USING (checkpoint_id)
                JOIN scan s USING (scan_id) JOIN run r ON r.run_id = s.run_id WHERE r.name = ? ORDER BY c.step""", (run,)).fetchall()
            got = np.stack([np.frombuffer(b, "<f4").reshape(nc, nk).T for b, nc, nk in rows]) if rows else None
            if got is None or not np.array_equal(got.view("u4"), expected.view("u4")):
                mismatched.append(run)
        con.close()
        wanted = args.writers * args.runs_per_writer
        print(f"concurrency: {args.writers} writers x {args.runs_per_writer} ingests = {len(runs)}/{wanted} runs complete "
              f"({wanted * complete / 1e6:.1f} M values) in {seconds:.1f} s while {args.readers} readers ran {reads[0]} queries; "
              f"locked/failed: {len(failures)}, partial views: {len(partial_views)}, runs with wrong values: {len(mismatched)}")
        if failures or partial_views or mismatched or len(runs) != wanted:
            for line in (failures + partial_views)[:10]:
                print("  " + line)
            sys.exit(1)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
