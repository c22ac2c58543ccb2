"""Reading a run's values straight from the SQLite file, read-only (layout: schema/README.md)."""
from __future__ import annotations

import os
import sqlite3
from typing import Any
from urllib.parse import quote

import numpy as np

from .errors import BadInput, NotFound, StoreError


def connect_read_only(path: str) -> sqlite3.Connection:
    """A read-only connection (`mode=ro` URI) that never creates or writes the store."""
    if not os.path.exists(path):
        raise StoreError(f"no store at {path}")
    uri = "file:" + quote(os.path.abspath(path)) + "?mode=ro"
    try:
        con = sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False)
        con.execute("PRAGMA busy_timeout = 60000")
        con.execute("PRAGMA query_only = 1")
        # Read through a memory map (up to 1 TiB): no pread copy into SQLite's page cache. The mapped
        # pages are the kernel's page cache, shared and dropped when the connection closes.
        con.execute("PRAGMA mmap_size = 1099511627776")
    except sqlite3.Error as error:
        raise StoreError(f"cannot open {path} read-only: {error}") from None
    return con


def _one(con: sqlite3.Connection, what: str, sql: str, args: tuple, ask: str) -> Any:
    rows = [r[0] for r in con.execute(sql, args)]
    if len(rows) == 1:
        return rows[0]
    if not rows:
        raise NotFound(f"no {what}")
    raise BadInput(f"{what}: several ({', '.join(map(str, rows))}); pass {ask}")


def _matrix(con: sqlite3.Connection, attribution_id: int) -> bytes:
    """One matrix's bytes: incremental blob I/O where Python has it (3.11+), else a SELECT."""
    if hasattr(con, "blobopen"):
        with con.blobopen("attribution", "matrix", attribution_id, readonly=True) as blob:
            return blob.read()
    return con.execute("SELECT matrix FROM attribution WHERE attribution_id = ?", (attribution_id,)).fetchone()[0]


def _xxh64(blob: bytes) -> int | None:
    try:
        import xxhash  # optional: the C implementation hashes at ~3.7 GB/s, cheap beside the read
    except ImportError:
        return None
    return xxhash.xxh64_intdigest(blob)


def _stored(con: sqlite3.Connection, run_id: int) -> str:
    """What the run holds, for a NotFound: "it stores scan/metric (N checkpoints), ..." or "it stores no values"."""
    rows = con.execute(
        "SELECT s.name, m.name, count(*) FROM attribution a JOIN scan s USING (scan_id) JOIN metric m USING (metric_id) "
        "WHERE s.run_id = ? GROUP BY s.name, m.name ORDER BY s.name, m.name", (run_id,)).fetchall()
    if not rows:
        return "the run stores no values yet"
    return "it stores (scan/metric) " + ", ".join(f"{s}/{m} ({n} checkpoint{'' if n == 1 else 's'})" for s, m, n in rows)


def _precision(con: sqlite3.Connection, run_id: int) -> str:
    """How the run's matrices are packed: 'f32', 'f16' or 'bf16' (stores before schema 5 are f32)."""
    if "precision" not in {r[1] for r in con.execute("PRAGMA table_info(run)")}:
        return "f32"
    return con.execute("SELECT precision FROM run WHERE run_id = ?", (run_id,)).fetchone()[0]


def decode_matrix(blob: bytes, precision: str, shape: tuple[int, int]) -> np.ndarray:
    """One stored matrix as float32 (schema/README.md, "The byte layout"): f32 as is, f16 as IEEE
    binary16 ('<f2'), bf16 as the top 16 bits of a float32."""
    if precision == "f32":
        return np.frombuffer(blob, dtype="<f4").reshape(shape)
    if precision == "f16":
        return np.frombuffer(blob, dtype="<f2").astype(np.float32).reshape(shape)
    if precision == "bf16":
        return (np.frombuffer(blob, dtype="<u2").astype(np.uint32) << 16).view("<f4").reshape(shape)
    raise StoreError(f"unknown precision {precision!r} (this attrdb reads f32, f16 and bf16)")


def read_values(path: str, run: str, scan: str | None, metric: str | None, verify: bool | None):
    """The run's values as a float32 array (checkpoint_step, coefficient, component) and its axes.

    Everything is read in one read transaction, so a recorder committing meanwhile is seen either
    whole or not at all. The array is filled matrix by matrix (component-major, as stored) and
    returned as a transposed view: no second copy, memory ≈ the array."""
    con = connect_read_only(path)
    try:
        con.execute("BEGIN")
        run_id = _one(con, f"run named {run!r}", "SELECT run_id FROM run WHERE name = ?", (run,), "")
        stored = _stored(con, run_id)
        try:
            if scan is None:
                scan_id = _one(con, f"scan of run {run!r}", "SELECT scan_id FROM scan WHERE run_id = ?",
                               (run_id,), "scan=")
            else:
                scan_id = _one(con, f"scan {scan!r} in run {run!r}",
                               "SELECT scan_id FROM scan WHERE run_id = ? AND name = ?", (run_id, scan), "")
            if metric is None:
                metric_id = _one(con, f"values in scan {scan or 'default'!r} of run {run!r}",
                                 "SELECT DISTINCT metric_id FROM attribution WHERE scan_id = ?", (scan_id,), "metric=")
            else:
                metric_id = _one(con, f"metric {metric!r}", "SELECT metric_id FROM metric WHERE name = ?",
                                 (metric,), "")
        except NotFound as error:
            raise NotFound(f"{error.message}; {stored}") from None
        comps = con.execute("SELECT label, layer, kind FROM component WHERE run_id = ? ORDER BY position",
                            (run_id,)).fetchall()
        coefs = np.array([r[0] for r in con.execute(
            "SELECT value FROM coefficient WHERE scan_id = ? ORDER BY position", (scan_id,))], dtype=np.float64)
        # The matrices are read one by one by rowid after the ordered index: selecting them in the
        # ordered join would make SQLite sort whole rows, holding every matrix in its sorter at once
        # (2x the array's memory). Incremental blob I/O over a memory-mapped file copies each matrix
        # once out of the page cache (measured: 500 M values/s, against 215 M/s for SELECT matrix).
        index = con.execute(
            "SELECT c.step, a.attribution_id, a.n_components, a.n_coefficients, a.checksum FROM attribution a "
            "JOIN checkpoint c USING (checkpoint_id) WHERE a.scan_id = ? AND a.metric_id = ? ORDER BY c.step",
            (scan_id, metric_id)).fetchall()
        if not index:
            asked = f"scan {scan or 'default'!r}" + (f", metric {metric!r}" if metric else "")
            raise NotFound(f"no values of run {run!r} in {asked}; {stored}")
        n_comp, n_coef = len(comps), len(coefs)
        precision = _precision(con, run_id)
        width = 4 if precision == "f32" else 2
        out = np.empty((len(index), n_comp, n_coef), dtype=np.float32)
        steps = np.empty(len(index), dtype=np.int64)
        for i, (step, attribution_id, nc, nk, checksum) in enumerate(index):
            blob = _matrix(con, attribution_id)
            if (nc, nk) != (n_comp, n_coef) or len(blob) != width * nc * nk:
                raise StoreError(f"step {step}: matrix of {len(blob)} bytes, shape ({nc}, {nk}); "
                                 f"expected ({n_comp}, {n_coef})")
            if verify is not False:
                digest = _xxh64(blob)
                if digest is None and verify:
                    raise StoreError("verify=True needs the xxhash package (pip install xxhash)")
                if digest is not None and checksum is not None and digest != checksum % (1 << 64):
                    raise StoreError(f"run {run!r} step {step}: matrix checksum {digest:016x} "
                                     f"differs from the stored {checksum % (1 << 64):016x}")
            steps[i] = step
            out[i] = decode_matrix(blob, precision, (n_comp, n_coef))
        con.execute("COMMIT")
    except sqlite3.Error as error:
        raise StoreError(f"reading {path}: {error}") from None
    finally:
        con.close()
    axes = {
        "checkpoint_step": steps,
        "coefficient": coefs,
        "component": np.array([c[0] for c in comps], dtype=object),
        "layer": np.array([c[1] for c in comps], dtype=np.int64),
        "kind": np.array([c[2] for c in comps], dtype=object),
    }
    return out.transpose(0, 2, 1), axes
