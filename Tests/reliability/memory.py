#!/usr/bin/env python3
"""Memory: ingest and queries on a 1 GB input stay under 300 MB peak RSS.

    python3 Tests/reliability/memory.py --attrdb .build/release/attrdb

Generates a 1 GiB float32 scan (1024 checkpoints x 256 coefficients x 1024 components), ingests it,
runs the query commands over it, and prints each one's peak RSS (/usr/bin/time -f %M)."""
import argparse, os, shutil, subprocess, sys, tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))


def peak(command):
    report = tempfile.NamedTemporaryFile(delete=False)
    report.close()
    result = subprocess.run(["/usr/bin/time", "-f", "%M %e", "-o", report.name] + command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if result.returncode != 0:
        sys.exit(f"failed: {' '.join(command)}: {result.stderr}")
    kilobytes, seconds = open(report.name).read().split()[-2:]
    os.remove(report.name)
    return int(kilobytes) / 1024, float(seconds)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--attrdb", default=os.path.join(ROOT, ".build/release/attrdb"))
    args = parser.parse_args()
    work = tempfile.mkdtemp(prefix="attrdb-memory-")
    try:
        sys.path.insert(0, os.path.join(ROOT, "Benchmarks"))
        import bench
        folder = os.path.join(work, "gig")
        bench.make_dataset(folder, 1024, 256, 1024, seed=8)
        size = os.path.getsize(os.path.join(folder, "attributions.npy"))
        db = os.path.join(work, "store.sqlite")
        a = [args.attrdb, "--db", db]
        commands = [
            ("ingest", a + ["ingest", folder, "--run", "gig"]),
            ("capacity", a + ["capacity", "--run", "gig", "--format", "csv"]),
            ("top", a + ["top", "--run", "gig", "-k", "20", "--format", "csv"]),
            ("profile", a + ["profile", "--run", "gig", "--component", "L0N5", "--checkpoint", "all", "--format", "csv"]),
            ("concentration", a + ["concentration", "--run", "gig", "--format", "csv"]),
            ("turnover", a + ["turnover", "--run", "gig", "--cutoff", "0.002", "--summary", "--format", "csv"]),
            ("clusters", a + ["clusters", "--run", "gig", "-k", "8", "--format", "csv"]),
            ("export values (parquet)", a + ["export", "values", "--run", "gig", "--checkpoint", "0:100", "-o", os.path.join(work, "v.parquet")]),
            ("check", a + ["check"]),
        ]
        worst = 0.0
        print(f"memory: a {size / 2**30:.2f} GiB input ({1024 * 256 * 1024 / 1e6:.0f} M values)")
        for name, command in commands:
            mb, seconds = peak(command)
            worst = max(worst, mb)
            print(f"  {name:<26} peak RSS {mb:7.1f} MB  {seconds:6.2f} s")
        print(f"memory: worst peak RSS {worst:.1f} MB (target < 300 MB): {'PASS' if worst < 300 else 'FAIL'}")
        if worst >= 300:
            sys.exit(1)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
