"""Queries over a 100 M-value store (1 000 checkpoints x 128 coefficients x 800 components).

attrdb's capacity table, whole process, against DuckDB running the same aggregate over the same values
in its own native file (in-process query time: DuckDB is not charged its start-up); top and profile latency;
start-up of `attrdb --help`.
"""
import json, os, statistics, subprocess, time

import numpy as np

CAPACITY_SQL = """
WITH m AS (
  SELECT v.checkpoint_step, c.layer, sum(abs(v.value)::DOUBLE) AS mass
  FROM v JOIN c ON c.position = v.component
  GROUP BY ALL
)
SELECT checkpoint_step, layer, mass, mass / sum(mass) OVER (PARTITION BY checkpoint_step) AS share
FROM m ORDER BY checkpoint_step, layer
"""


def bench(args, work, make_dataset, row, run, run_rss, best):
    checkpoints, coefficients, components = 1000, 128, 800
    n = checkpoints * coefficients * components
    print(f"\n== Queries over {n / 1e6:.0f} M values ({checkpoints} x {coefficients} x {components})")
    folder = os.path.join(work, "big")
    axes = make_dataset(folder, checkpoints, coefficients, components, seed=3)
    store = os.path.join(work, "big.sqlite")
    if os.path.exists(store):
        os.remove(store)
    seconds, rss = run_rss([args.attrdb, "--db", store, "ingest", folder, "--run", "big"])
    row("attrdb ingest of the 100 M-value scan, M values/s", n / seconds / 1e6, "M/s", f"(peak RSS {rss:.0f} MB)")
    row("bytes per value", os.path.getsize(store) / n, "B/value")

    capacity = [args.attrdb, "--db", store, "capacity", "--run", "big", "--format", "csv"]
    run(capacity)  # warm the page cache, as DuckDB's file is warm below
    times = [run(capacity)[0] for _ in range(5)]
    attr_s = statistics.median(times)
    attr_rss = run_rss(capacity)[1]
    ours = run(capacity)[1]

    try:
        import duckdb
    except ImportError:
        print("  duckdb not installed (pip install duckdb): DuckDB baseline skipped")
        duck_s = None
    else:
        duck_path = os.path.join(work, "big.duckdb")
        if os.path.exists(duck_path):
            os.remove(duck_path)
        data = np.load(os.path.join(folder, "attributions.npy"), mmap_mode="r")
        con = duckdb.connect(duck_path)
        con.execute("CREATE TABLE c (position INTEGER, layer INTEGER)")
        con.executemany("INSERT INTO c VALUES (?, ?)", [(p, comp["layer"]) for p, comp in enumerate(axes["components"])])
        con.execute("CREATE TABLE v (checkpoint_step BIGINT, coefficient DOUBLE, component INTEGER, value FLOAT)")
        steps = np.array(axes["checkpoint_steps"])
        coefs = np.array(axes["coefficients"])
        load_start = time.perf_counter()
        chunk = 50
        for start in range(0, checkpoints, chunk):
            block = np.asarray(data[start:start + chunk])
            k = block.shape[0]
            frame = {
                "checkpoint_step": np.repeat(steps[start:start + k], coefficients * components),
                "coefficient": np.tile(np.repeat(coefs, components), k),
                "component": np.tile(np.arange(components, dtype=np.int32), k * coefficients),
                "value": block.reshape(-1),
            }
            import pyarrow as pa
            arrow_chunk = pa.table(frame)
            con.execute("INSERT INTO v SELECT * FROM arrow_chunk")
        con.execute("CHECKPOINT")
        load_s = time.perf_counter() - load_start
        con.close()
        con = duckdb.connect(duck_path, read_only=True)
        con.execute(CAPACITY_SQL).fetchall()
        duck_times = []
        for _ in range(5):
            start = time.perf_counter()
            theirs = con.execute(CAPACITY_SQL).fetchall()
            duck_times.append(time.perf_counter() - start)
        duck_s = statistics.median(duck_times)
        con.close()
        row("DuckDB load from numpy (baseline), M values/s", n / load_s / 1e6, "M/s",
            f"({os.path.getsize(duck_path) / n:.2f} bytes/value)")
        # The two answers must agree before their times mean anything.
        lines = ours.strip().split("\n")[1:]
        worst = 0.0
        for line, (step, layer, mass, share) in zip(lines, theirs):
            s, l, m, sh = line.split(",")
            assert int(s) == step and int(l) == layer, (line, step, layer)
            worst = max(worst, abs(float(m) - mass) / max(abs(mass), 1e-12), abs(float(sh) - share) / max(abs(share), 1e-12))
        row("  attrdb vs DuckDB capacity answers, worst relative difference", worst, "", target=worst < 1e-6 and len(lines) == len(theirs))
        row("DuckDB capacity query, in-process (baseline), seconds", duck_s, "s")

    row("attrdb capacity, whole process, median of 5, seconds (target < 1)", attr_s, "s", target=attr_s < 1)
    if duck_s:
        row("  DuckDB time / attrdb time (target > 1: attrdb faster)", duck_s / attr_s, "x", target=duck_s / attr_s > 1)
    row("attrdb capacity peak RSS", attr_rss, "MB")

    top = [args.attrdb, "--db", store, "top", "--run", "big", "-k", "10", "--format", "csv"]
    label = axes["components"][17]["label"]
    profile = [args.attrdb, "--db", store, "profile", "--run", "big", "--component", label, "--format", "csv"]
    for name, cmd in (("top -k 10 (last checkpoint, coefficient nearest 0)", top), ("profile of one component", profile)):
        run(cmd)
        seconds = statistics.median([run(cmd)[0] for _ in range(9)])
        row(f"attrdb {name}, whole process, ms (target < 50)", seconds * 1000, "ms", target=seconds < 0.05)
    helps = statistics.median([run([args.attrdb, "--help"])[0] for _ in range(9)])
    row("attrdb --help start-up, ms (target < 50)", helps * 1000, "ms", target=helps < 0.05)
    small = os.path.join(work, "small.sqlite")
    if os.path.exists(small):
        os.remove(small)
    here = os.path.dirname(os.path.abspath(__file__))
    example = os.path.join(here, "..", "examples", "tl-modadd")
    run([args.attrdb, "--db", small, "ingest", example, "--run", "modadd"])
    q = statistics.median([run([args.attrdb, "--db", small, "capacity", "--run", "modadd", "--checkpoint", "last"])[0] for _ in range(9)])
    row("attrdb small query (capacity of the example, last checkpoint), ms (target < 50)", q * 1000, "ms", target=q < 0.05)
