#!/usr/bin/env python3
"""The SQL of docs/scale-out.md, run by DuckDB or Spark over an exported dataset, must give what
attrdb itself prints.

Reads the setup and query blocks from the doc (each fenced ```sql block preceded by a comment
`<!-- sql: ENGINE setup -->` or `<!-- sql: NAME (ENGINE, ...) = attrdb ARGS -->`), so the doc cannot
drift from what is checked. Builds a store with the bundled example and generated runs chosen to
reach every rule of the queries (several runs, a run named like a number, one whose name is
%-escaped in folder names, a checkpoint of zeros, ties in |value|, a grid without 0), exports
`values` and `components` as the doc says, runs each query, and compares it row for row with
`attrdb ARGS --run … --format csv`: text and integers exactly, doubles to 1e-9 relative, float32
values bit for bit. Prints one line per query; exits 1 on the first mismatch, naming it.

usage: check_queries.py --attrdb BIN --engine duckdb|spark [--doc PATH ...] [--work DIR]
"""
import argparse
import csv
import io
import json
import math
import os
import re
import shlex
import struct
import subprocess
import sys
import tempfile
import time

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
RUNS = ["modadd", "42", "lr=3e-4/b"]
RELATIVE = 1e-9


class Mismatch(Exception):
    pass


def blocks(doc_path):
    """{engine: setup text} and [(name, engines, attrdb arguments, sql)] from the doc's tagged blocks."""
    text = open(doc_path, encoding="utf-8").read()
    setups, queries = {}, []
    for tag, sql in re.findall(r"<!-- sql: (.*?) -->\n```sql\n(.*?)```", text, re.S):
        setup = re.fullmatch(r"(\w+) setup", tag)
        query = re.fullmatch(r"([\w-]+) \(([\w, ]+)\) = attrdb (.+)", tag)
        if setup:
            setups[setup.group(1)] = sql
        elif query:
            engines = [e.strip() for e in query.group(2).split(",")]
            queries.append((query.group(1), engines, shlex.split(query.group(3)), sql))
        else:
            raise Mismatch(f"a sql block tagged '{tag}': expected 'ENGINE setup' or 'NAME (ENGINES) = attrdb ARGS'")
    return setups, queries


def statements(text):
    return [s.strip() for s in text.split(";") if s.strip()]


def attrdb(binary, db, *arguments):
    result = subprocess.run([binary, "--db", db, *arguments], capture_output=True, text=True)
    if result.returncode != 0:
        raise Mismatch(f"attrdb {' '.join(arguments)}: exit {result.returncode}: {result.stderr.strip()}")
    return result.stdout


def write_dataset(folder, steps, coefficients, labels, values):
    """A dataset folder attrdb ingests: the [checkpoint, coefficient, component] array and axes.json."""
    os.makedirs(folder)
    np.save(os.path.join(folder, "attributions.npy"), values.astype(np.float32))
    axes = {"checkpoint_steps": steps, "coefficients": coefficients, "components": labels, "metric": "logit_diff"}
    with open(os.path.join(folder, "axes.json"), "w") as f:
        json.dump(axes, f)


def make_store(binary, work):
    """The example as `modadd`, and two generated runs."""
    db = os.path.join(work, "all.sqlite")
    attrdb(binary, db, "ingest", os.path.join(ROOT, "examples/tl-modadd"), "--run", "modadd")
    rng = np.random.default_rng(13)

    # "42": a grid without 0 (±0.25 tie for nearest), values on a coarse lattice so |value| ties
    # often, and a checkpoint of zeros (capacity's share and top's share are NaN there).
    labels = ["embed", "pos_embed"] + [f"L{l}H{h}" for l in range(2) for h in range(3)] + ["0_mlp_out", "1_mlp_out", "bias"]
    coefficients = [-1.75, -1.25, -0.75, -0.25, 0.25, 0.75, 1.25, 1.75]
    steps = [0, 10, 20, 40, 80, 160]
    values = rng.integers(-4, 5, size=(len(steps), len(coefficients), len(labels))) * 0.5
    values[3] = 0
    write_dataset(os.path.join(work, "run42"), steps, coefficients, labels, values)
    attrdb(binary, db, "ingest", os.path.join(work, "run42"), "--run", "42")

    # "lr=3e-4/b": neurons as well, a grid with 0 and coefficients past -1:1, continuous values.
    labels = ["embed"] + [f"L{l}H{h}" for l in range(3) for h in range(2)] + [f"L{l}N{n}" for l in range(3) for n in range(5)] + ["bias"]
    coefficients = np.linspace(-3, 3, 13).tolist()
    steps = [0, 1, 2, 5, 9, 17, 33]
    values = rng.normal(size=(len(steps), len(coefficients), len(labels))) * np.linspace(0.5, 3, len(labels))
    write_dataset(os.path.join(work, "runlr"), steps, coefficients, labels, values)
    attrdb(binary, db, "ingest", os.path.join(work, "runlr"), "--run", "lr=3e-4/b")
    return db


def export_commands(doc_path):
    """The doc's export lines (the sh block tagged `<!-- sh: export … -->`) as argument lists after
    `attrdb --db all.sqlite`, each `--run pythia-160m-seed0` standing for every run of the check."""
    text = open(doc_path, encoding="utf-8").read()
    found = re.search(r"<!-- sh: export .*?-->\n```sh\n(.*?)```", text, re.S)
    if not found:
        raise Mismatch("no sh block tagged 'export'")
    commands = []
    for line in found.group(1).replace("\\\n", " ").splitlines():
        words = shlex.split(line)
        if words[:3] != ["attrdb", "--db", "all.sqlite"] or "--run" not in words:
            raise Mismatch(f"export block: expected 'attrdb --db all.sqlite export … --run NAME …', found {line!r}")
        at = words.index("--run")
        commands.append(words[3:at] + [a for run in RUNS for a in ("--run", run)] + words[at + 2:])
    return commands


def export(binary, db, work, doc_path):
    """Runs the doc's export commands in `work`, where the setup blocks look for their output."""
    for arguments in export_commands(doc_path):
        attrdb(binary, db, *[os.path.join(work, a) if a.endswith("/") else a for a in arguments])


class DuckDB:
    """One fresh connection per doc, so each doc's setup makes its own views."""

    def session(self):
        import duckdb
        return DuckDBSession(duckdb.connect())

    def close(self):
        pass


class DuckDBSession:
    def __init__(self, con):
        self.con = con

    def run(self, sql):
        relation = self.con.sql(sql)
        if relation is None:
            return None, None
        return relation.columns, relation.fetchall()


class Spark:
    """One local Spark; a new session per doc (temporary views belong to a session)."""

    def __init__(self):
        from pyspark.sql import SparkSession
        # Settings for a small local check only; the doc's SQL does not depend on them.
        self.spark = (SparkSession.builder.master("local[2]").appName("attrdb-scale-out-check")
                      .config("spark.ui.enabled", "false").config("spark.ui.showConsoleProgress", "false")
                      .config("spark.sql.shuffle.partitions", "4").config("spark.driver.memory", "1g").getOrCreate())
        self.spark.sparkContext.setLogLevel("ERROR")

    def session(self):
        return SparkSession_(self.spark.newSession())

    def close(self):
        self.spark.stop()


class SparkSession_:
    def __init__(self, spark):
        self.spark = spark

    def run(self, sql):
        frame = self.spark.sql(sql)
        return frame.columns, [tuple(row) for row in frame.collect()]


def float32_bits(x):
    return struct.unpack("<I", struct.pack("<f", x))[0]


def same_cell(column, want_text, got):
    """attrdb's CSV text against the engine's value."""
    if want_text == "":
        return got is None
    if got is None:
        return False
    if column == "value":
        return float32_bits(float(want_text)) == float32_bits(float(got))
    if isinstance(got, str):
        return got == want_text
    if isinstance(got, int) and not isinstance(got, bool):
        return re.fullmatch(r"-?\d+", want_text) is not None and int(want_text) == got
    want = float(want_text)
    if math.isnan(want) or math.isnan(got):
        return math.isnan(want) and math.isnan(got)
    return want == got or abs(want - got) <= RELATIVE * max(abs(want), abs(got))


def compare(name, header, want_rows, columns, got_rows, key_columns):
    if columns != header:
        raise Mismatch(f"{name}: the query's columns {columns} are not attrdb's {header}")
    if len(got_rows) != len(want_rows):
        raise Mismatch(f"{name}: {len(got_rows)} rows from the query, {len(want_rows)} from attrdb")
    keys = [header.index(k) for k in key_columns]

    def sort_key(row, text):
        return tuple((row[i] if text or isinstance(row[i], str) else str(row[i])) if header[i] == "run" else int(row[i]) for i in keys)

    want_sorted = sorted(want_rows, key=lambda r: sort_key(r, True))
    got_sorted = sorted(got_rows, key=lambda r: sort_key(r, False))
    for want, got in zip(want_sorted, got_sorted):
        for column, w, g in zip(header, want, got):
            if not same_cell(column, w, g):
                raise Mismatch(f"{name}: at {dict(zip(key_columns, (want[i] for i in keys)))} column {column}: attrdb {w!r}, query {g!r}")


def coverage(name, header, rows):
    """What the generated data must reach, so a query that ignores a rule cannot pass."""
    facts = {}
    if "share" in header:
        facts["nan shares"] = sum(1 for r in rows if r[header.index("share")] == "nan")
    if name == "top":
        v, s, run = header.index("value"), header.index("checkpoint_step"), header.index("run")
        facts["|value| ties"] = sum(1 for a, b in zip(rows, rows[1:])
                                    if a[run] == b[run] and a[s] == b[s] and abs(float(a[v])) == abs(float(b[v])) != 0)
    return facts


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--attrdb", required=True)
    parser.add_argument("--engine", choices=["duckdb", "spark"], required=True)
    parser.add_argument("--doc", action="append", help="the doc to check (repeatable: each against the same data; "
                        "default docs/scale-out.md)")
    parser.add_argument("--work", help="a folder to build in (default: a temporary one, removed)")
    args = parser.parse_args()
    binary = os.path.abspath(args.attrdb)
    docs = [os.path.abspath(d) for d in args.doc or [os.path.join(ROOT, "docs/scale-out.md")]]
    failed = 0
    with tempfile.TemporaryDirectory(prefix="attrdb-scale-out-") as temporary:
        work = os.path.abspath(args.work) if args.work else temporary
        os.makedirs(work, exist_ok=True)
        try:
            db = make_store(binary, work)
            # The data is exported as the first doc says; a drifted export is a drifted first doc.
            export(binary, db, work, docs[0])
        except Mismatch as error:
            print(f"the data to check with: {error}", file=sys.stderr)
            return 1
        # The doc's setup names dataset/ and components/ relative to where the engine starts (Spark's
        # JVM resolves relative paths against its own working folder, fixed when it starts).
        os.chdir(work)
        started = time.monotonic()
        engine = DuckDB() if args.engine == "duckdb" else Spark()
        try:
            for doc in docs:
                try:
                    check(binary, db, doc, args.engine, engine.session())
                except Mismatch as error:
                    print(f"{os.path.basename(doc)}: {args.engine}: {error}", file=sys.stderr)
                    failed += 1
        finally:
            engine.close()
        print(f"{args.engine}: {len(docs) - failed} of {len(docs)} docs equal attrdb ({time.monotonic() - started:.1f} s with the engine)")
    return 1 if failed else 0


def check(binary, db, doc, engine_name, session):
    setups, queries = blocks(doc)
    if engine_name not in setups:
        raise Mismatch(f"no '{engine_name} setup' sql block")
    mine = [q for q in queries if engine_name in q[1]]
    names = {q[0] for q in mine}
    for required in ("capacity", "capacity-coef", "top"):
        if required not in names:
            raise Mismatch(f"no '{required}' query for {engine_name}")
    for statement in statements(setups[engine_name]):
        try:
            session.run(statement)
        except Exception as error:  # the engine's own error type; its message says what
            raise Mismatch(f"setup: {error}")
    for name, _, arguments, sql in mine:
        runs = [a for run in RUNS for a in ("--run", run)]
        text = attrdb(binary, db, *arguments, *runs, "--format", "csv")
        header, *want = list(csv.reader(io.StringIO(text)))
        query_start = time.monotonic()
        try:
            columns, got = session.run(sql)
        except Exception as error:
            raise Mismatch(f"{name}: {error}")
        seconds = time.monotonic() - query_start
        keys = ["run", "checkpoint_step", "layer" if "rank" not in header else "rank"]
        compare(name, header, want, columns, got, keys)
        facts = coverage(name, header, want)
        if name == "top" and facts["|value| ties"] == 0:
            raise Mismatch("top: the generated data has no ties in |value|; the tie rule went unchecked")
        if facts.get("nan shares", 1) == 0:
            raise Mismatch(f"{name}: the generated data has no NaN share; the zero-total rule went unchecked")
        described = ", ".join(f"{v} {k}" for k, v in facts.items())
        print(f"{engine_name} {name}: {len(want)} rows equal to attrdb {' '.join(arguments)} ({described}; {seconds:.2f} s)")


if __name__ == "__main__":
    sys.exit(main())
