#!/usr/bin/env python3
"""Crash safety: SIGKILL `attrdb ingest` at random moments, then check the store.

    python3 Tests/reliability/crash.py --attrdb .build/release/attrdb --kills 60 [--seed 1]

Runs on the bundled example and a generated 200 x 128 x 800 scan, in two versions each (B is A
scaled), ingesting either version into runs that may already hold the other (so with --replace).
After every kill: `attrdb check` must pass (integrity_check and attrdb's invariants), and every
run must hold exactly one complete version of its data -- the one before the ingest or the one it
was writing -- or be absent if it was absent before. Never half. Prints the counts at the end and
exits 1 on the first violation.
"""
import argparse, json, os, random, shutil, signal, sqlite3, subprocess, sys, tempfile, time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))


def write_version(source, folder, scale):
    os.makedirs(folder, exist_ok=True)
    a = np.load(os.path.join(source, "attributions.npy"))
    np.save(os.path.join(folder, "attributions.npy"), (a * scale).astype(np.float32))
    shutil.copy(os.path.join(source, "axes.json"), os.path.join(folder, "axes.json"))
    return (a * scale).astype(np.float32)


def stored(db, run):
    """The run's values as [checkpoints, coefficients, components], or None if the run is absent."""
    con = sqlite3.connect(db)
    try:
        rows = con.execute("""SELECT c.step, a.matrix, a.n_components, a.n_coefficients FROM attribution a
            JOIN checkpoint c USING (checkpoint_id) JOIN scan s USING (scan_id) JOIN run r ON r.run_id = s.run_id
            WHERE r.name = ? ORDER BY c.step""", (run,)).fetchall()
        exists = con.execute("SELECT count(*) FROM run WHERE name = ?", (run,)).fetchone()[0]
    finally:
        con.close()
    if not exists:
        return None
    return [np.frombuffer(blob, "<f4").reshape(nc, nk).T for _, blob, nc, nk in rows]


def same(values, expected):
    return values is not None and len(values) == expected.shape[0] and all(
        np.array_equal(v.view("u4"), e.view("u4")) for v, e in zip(values, expected))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--attrdb", default=os.path.join(ROOT, ".build/release/attrdb"))
    parser.add_argument("--kills", type=int, default=60)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--big", type=int, default=200, help="checkpoints of the generated scan")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    work = tempfile.mkdtemp(prefix="attrdb-crash-")
    try:
        sys.path.insert(0, os.path.join(ROOT, "Benchmarks"))
        import bench
        bench.make_dataset(os.path.join(work, "big-src"), args.big, 128, 800, seed=5)
        sources = {"example": os.path.join(ROOT, "examples", "tl-modadd"), "big": os.path.join(work, "big-src")}
        versions = {}
        for name, source in sources.items():
            for label, scale in (("A", 1.0), ("B", -2.0)):
                folder = os.path.join(work, f"{name}-{label}")
                versions[(name, label)] = (folder, write_version(source, folder, scale))
        db = os.path.join(work, "store.sqlite")
        state = {}  # run -> version label fully present
        # How long each ingest takes uninterrupted, to kill inside that window.
        durations = {}
        for name in sources:
            probe = os.path.join(work, "probe.sqlite")
            start = time.perf_counter()
            subprocess.run([args.attrdb, "--db", probe, "ingest", versions[(name, "A")][0], "--run", "p"], check=True, capture_output=True)
            durations[name] = time.perf_counter() - start
            os.remove(probe)
        kills = completed = replaces = 0
        attempt = 0
        while kills < args.kills:
            attempt += 1
            name = rng.choice(list(sources))
            run = f"{name}-{rng.randint(1, 2)}"
            label = rng.choice("AB")
            before = state.get(run)
            command = [args.attrdb, "--db", db, "ingest", versions[(name, label)][0], "--run", run]
            if before is not None and before != label:
                command.append("--replace")
                replaces += 1
            proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            time.sleep(rng.uniform(0, durations[name] * 1.6))  # some ingests finish, so later ones replace
            killed = proc.poll() is None
            if killed:
                proc.send_signal(signal.SIGKILL)
            proc.wait()
            if killed:
                kills += 1
            elif proc.returncode == 0:
                completed += 1
            else:
                sys.exit(f"ingest failed without being killed: {proc.stderr.read().decode()}")
            check = subprocess.run([args.attrdb, "--db", db, "check", "--format", "csv"], capture_output=True, text=True)
            if not state and "no attrdb store here" in check.stderr:
                continue  # killed before the store's first commit: there is no store, which is right
            if check.returncode != 0:
                sys.exit(f"attempt {attempt}: check failed after {'a kill' if killed else 'an ingest'}:\n{check.stdout}{check.stderr}")
            values = stored(db, run)
            if same(values, versions[(name, label)][1]):
                state[run] = label
            elif before is not None and same(values, versions[(name, before)][1]):
                state[run] = before
            elif before is None and values is None:
                pass
            else:
                sys.exit(f"attempt {attempt}: run {run} holds neither the old ({before}) nor the new ({label}) data: "
                         f"{0 if values is None else len(values)} checkpoints")
            if not killed and state.get(run) != label:
                sys.exit(f"attempt {attempt}: a completed ingest of {run} did not store its data")
        print(f"crash safety: {kills} kills survived ({completed} ingests completed, {replaces} with --replace, "
              f"{attempt} attempts); integrity_check ok and every run entirely old, entirely new or absent after each")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
