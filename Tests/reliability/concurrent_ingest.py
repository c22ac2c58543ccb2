#!/usr/bin/env python3
"""Many nodes, one store: N `attrdb ingest` processes write different checkpoints of one run into one
store file at the same time, as a Slurm array's tasks would on a shared local disk.

    python3 Tests/reliability/concurrent_ingest.py --attrdb .build/release/attrdb [--processes 16] [--rounds 3]

Each round starts from no store file at all, so the processes also race to create the store and to
register the run, its components, scan and metric (the first ingest's registration); every second
round starts from a store `attrdb init` made. Checks: every process exits 0, the run holds every
checkpoint of every process with its values bit for bit, one run/scan/metric and one set of components,
and `attrdb check` passes.

`--failing K` adds K processes whose ingest fails after the store exists (a NaN in their last
checkpoint): a failed first ingest removes the store it made, and must never remove one another
process has opened meanwhile. They must exit 1 and leave the others' checkpoints stored.

`--merge`: the Slurm pattern's other half. Each process's part is first ingested into a store of its
own; then the N processes `attrdb merge` their stores into one store at the same time (from no store
file, or one `attrdb init` made), racing as the ingests do: a merge into a store it made writes with a
rollback journal, as an ingest does. The K failing processes merge a source that does not exist (exit 2),
and must not remove the store the others are merging into.
"""
import argparse, json, os, shutil, sqlite3, subprocess, sys, tempfile, threading, time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))


def make_part(folder, steps, coefficients, components, seed, nan=False):
    """A dataset folder holding `steps` of the shared run (same grid and components in every part);
    `nan` puts a NaN in its last checkpoint, which the ingest refuses after it has opened the store."""
    os.makedirs(folder)
    values = np.random.default_rng(seed).standard_normal((len(steps), coefficients, components), dtype=np.float32)
    if nan:
        values[-1, 0, 0] = np.nan
    np.save(os.path.join(folder, "attributions.npy"), values)
    axes = {"checkpoint_steps": steps, "coefficients": [float(x) for x in np.linspace(-1, 1, coefficients)],
            "components": [{"label": f"L{k % 4}N{k // 4}", "layer": k % 4, "kind": "neuron", "index": k // 4}
                           for k in range(components)],
            "metric": "logit_diff", "metadata": {"model": "concurrent", "task": "synthetic"}}
    with open(os.path.join(folder, "axes.json"), "w") as f:
        json.dump(axes, f)
    return {step: values[i] for i, step in enumerate(steps)}


def one_round(args, work, index):
    db = os.path.join(work, f"store{index}.sqlite")
    if index % 2 == 1:
        subprocess.run([args.attrdb, "--db", db, "init"], check=True, capture_output=True)
    total = args.processes + args.failing
    gate = threading.Barrier(total)
    results = [None] * total

    def ingest(p):
        if args.merge:
            command = ["merge", os.path.join(work, f"part{p}.sqlite" if p < args.processes else f"missing{p}.sqlite")]
        else:
            command = ["ingest", os.path.join(work, f"part{p}"), "--run", "shared"]
        gate.wait()  # start together: the store's creation and the run's registration race
        results[p] = subprocess.run([args.attrdb, "--db", db] + command, capture_output=True, text=True)

    threads = [threading.Thread(target=ingest, args=(p,)) for p in range(total)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    seconds = time.perf_counter() - start
    problems = [f"process {p}: exit {r.returncode}: {r.stderr.strip()}" for p, r in enumerate(results[:args.processes])
                if r.returncode != 0]
    status, reason = (2, "no attrdb store") if args.merge else (1, "NaN")
    problems += [f"failing process {p}: exit {r.returncode} (expected {status}: {reason}): {r.stderr.strip()}"
                 for p, r in enumerate(results) if p >= args.processes and (r.returncode != status or reason not in r.stderr)]
    if not os.path.exists(db):
        return seconds, problems + ["the store file is gone"]
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    counts = {table: con.execute(f"SELECT count(*) FROM {table}").fetchone()[0] for table in ("run", "scan", "metric")}
    components = con.execute("SELECT count(*) FROM component").fetchone()[0]
    stored = {step: np.frombuffer(blob, "<f4").reshape(nc, nk).T for step, blob, nc, nk in con.execute(
        "SELECT c.step, a.matrix, a.n_components, a.n_coefficients FROM attribution a JOIN checkpoint c USING (checkpoint_id)")}
    status = con.execute("SELECT status FROM run").fetchall()
    con.close()
    if counts != {"run": 1, "scan": 1, "metric": 1}:
        problems.append(f"expected one run, scan and metric, found {counts}")
    if components != args.components:
        problems.append(f"expected {args.components} components, found {components}")
    missing = [s for s in args.expected if s not in stored]
    wrong = [s for s in args.expected if s in stored and not np.array_equal(stored[s].view("u4"), args.expected[s].view("u4"))]
    if missing or wrong or len(stored) != len(args.expected):
        problems.append(f"{len(stored)} checkpoints stored of {len(args.expected)}; missing {missing[:5]}, wrong values {wrong[:5]}")
    if status != [("complete",)]:
        problems.append(f"run status {status}")
    check = subprocess.run([args.attrdb, "--db", db, "check"], capture_output=True, text=True)
    if check.returncode != 0:
        problems.append(f"attrdb check: exit {check.returncode}: {check.stdout.strip()} {check.stderr.strip()}")
    return seconds, problems


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--attrdb", default=os.path.join(ROOT, ".build/release/attrdb"))
    parser.add_argument("--processes", type=int, default=16)
    parser.add_argument("--checkpoints", type=int, default=4, help="checkpoints each process writes")
    parser.add_argument("--coefficients", type=int, default=64)
    parser.add_argument("--components", type=int, default=400)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--failing", type=int, default=0, help="more processes whose ingest fails (a NaN)")
    parser.add_argument("--merge", action="store_true", help="the processes merge stores of their own instead of ingesting")
    args = parser.parse_args()
    work = tempfile.mkdtemp(prefix="attrdb-concurrent-ingest-")
    try:
        args.expected = {}
        for p in range(args.processes):
            steps = [p * args.checkpoints + i for i in range(args.checkpoints)]
            args.expected.update(make_part(os.path.join(work, f"part{p}"), steps, args.coefficients, args.components, seed=p))
        for p in range(args.processes, args.processes + args.failing):
            steps = [p * args.checkpoints + i for i in range(args.checkpoints)]
            make_part(os.path.join(work, f"part{p}"), steps, args.coefficients, args.components, seed=p, nan=True)
        if args.merge:
            for p in range(args.processes):
                subprocess.run([args.attrdb, "--db", os.path.join(work, f"part{p}.sqlite"), "ingest", os.path.join(work, f"part{p}"),
                                "--run", "shared"], check=True, capture_output=True)
        failed = False
        values = len(args.expected) * args.coefficients * args.components
        for index in range(args.rounds):
            seconds, problems = one_round(args, work, index)
            start = "a store 'attrdb init' made" if index % 2 == 1 else "no store file"
            failing = f" (+{args.failing} failing)" if args.failing else ""
            print(f"concurrent {'merge' if args.merge else 'ingest'}, round {index + 1} (from {start}): {args.processes}{failing} processes x {args.checkpoints} "
                  f"checkpoints of one run ({values / 1e6:.2f} M values) in {seconds:.2f} s; problems: {len(problems)}")
            for line in problems[:10]:
                print("  " + line)
            failed = failed or bool(problems)
        sys.exit(1 if failed else 0)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
