"""What a frame stream writes to the write-ahead log, by table: the pages of each b-tree per commit,
and the bytes the binary writes (wchar) with the log's largest size, for bench_python's 100 frames of
128 x 800 float32 values (10.24 M values). The frames' commits and what each rewrites are what
limits `rec.log`; this counts them (docs/stream-format.md, "Commits of several checkpoints").

    python Benchmarks/frame_log_pages.py --attrdb .build/release/attrdb [--runs 5]
"""
import argparse, collections, os, shutil, sqlite3, struct, subprocess, sys, tempfile, time

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "python"))
from attrdb import _frames  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench import PeakFileSize  # noqa: E402

SHAPE = (100, 128, 800)


def write_frames(path, end=True):
    data = np.random.default_rng(0).standard_normal(SHAPE, dtype=np.float32)
    labels = [f"L{i % 8}N{i // 8}" for i in range(SHAPE[2] - 3)] + ["embed", "pos_embed", "bias"]
    with open(path, "wb") as f:
        f.write(_frames.MAGIC + _frames.json_frame(_frames.HEADER, {
            "run": "bench", "metric": "logit_diff", "coefficients": np.linspace(-10, 10, SHAPE[1]).tolist(),
            "components": labels}))
        for step in range(SHAPE[0]):
            f.write(_frames.checkpoint_head(step, data[step].size) + data[step].tobytes())
        if end:
            f.write(_frames.json_frame(_frames.END, {"complete": True}))


def fresh(db):
    for suffix in ("", "-wal", "-shm", "-journal"):
        if os.path.exists(db + suffix):
            os.remove(db + suffix)


def log_pages(binary, work, frames):
    """Streams every frame but the end, copies the log once all are acknowledged, and counts its
    pages by the b-tree (dbstat) they belong to."""
    db = os.path.join(work, "pages.sqlite")
    fresh(db)
    proc = subprocess.Popen([binary, "--db", db, "ingest", "-", "--format", "frames"], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    with open(frames, "rb") as f:
        proc.stdin.write(f.read())
    proc.stdin.flush()
    for _ in range(SHAPE[0] + 1):
        assert proc.stdout.readline() == b"ok\n"
    time.sleep(0.5)  # the checkpointing thread, if any, copies what it will
    copy = os.path.join(work, "copy.sqlite")
    shutil.copy(db, copy)
    shutil.copy(db + "-wal", copy + "-wal")
    proc.stdin.close()
    proc.wait()
    log = open(copy + "-wal", "rb").read()
    os.remove(copy + "-wal")  # the count reads the database file alone
    page_size = struct.unpack(">I", log[8:12])[0]
    pages, offset = [], 32
    while offset + 24 + page_size <= len(log):
        pages.append(struct.unpack(">II", log[offset:offset + 8]))
        offset += 24 + page_size
    owner = {page: name for name, page in sqlite3.connect(copy).execute("SELECT name, pageno FROM dbstat")}
    commits = sum(1 for _, commit in pages if commit)
    return page_size, commits, collections.Counter(owner.get(page, "(pages the database file alone lacks yet)") for page, _ in pages)


def written(binary, work, frames):
    """(seconds, bytes written by write calls, the log's largest size) of one whole stream."""
    db = os.path.join(work, "bytes.sqlite")
    fresh(db)
    # A shell's /proc/$$/io counts the children it waited for.
    with PeakFileSize(db + "-wal") as log, open(frames, "rb") as f:
        start = time.perf_counter()
        out = subprocess.run(["sh", "-c", '"$0" --db "$1" ingest - --format frames >/dev/null; cat /proc/$$/io', binary, db],
                             stdin=f, capture_output=True, text=True, check=True).stdout
        seconds = time.perf_counter() - start
    io = dict(line.split(": ") for line in out.strip().splitlines())
    return seconds, int(io["wchar"]), log.peak


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--attrdb", default=".build/release/attrdb")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    binary = os.path.abspath(args.attrdb)
    with tempfile.TemporaryDirectory(prefix="frame-log-") as work:
        stream, open_stream = os.path.join(work, "frames.bin"), os.path.join(work, "open.bin")
        write_frames(stream)
        write_frames(open_stream, end=False)
        page_size, commits, owners = log_pages(binary, work, open_stream)
        total = sum(owners.values())
        print(f"== log of {SHAPE[0]} frames of {SHAPE[1] * SHAPE[2]} values ({binary}, load average {os.getloadavg()[0]:.1f})")
        print(f"  {commits} commits, {total} pages of {page_size} bytes in the log ({total / SHAPE[0]:.2f} a frame):")
        for name, count in owners.most_common():
            print(f"    {name:45s} {count:5d}  ({count / commits:.2f} a commit)")
        runs = sorted(written(binary, work, stream) for _ in range(args.runs))
        seconds, wchar, peak = runs[len(runs) // 2]
        print(f"  whole stream, median of {args.runs}: {seconds * 1e3:.0f} ms (best {runs[0][0] * 1e3:.0f} ms), "
              f"{wchar / 1e6:.1f} MB written for {4 * np.prod(SHAPE) / 1e6:.1f} MB of values, log at most {peak / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
