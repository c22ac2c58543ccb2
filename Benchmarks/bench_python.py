"""The Python package's section of make bench: the recorder and values() on 10.24 M float32 values
(100 checkpoints x 128 coefficients x 800 components), beside np.save and MLflow's log_batch."""
import json, os, subprocess, sys, textwrap, time

import numpy as np

SHAPE = (100, 128, 800)


def _labels(n):
    return [f"L{i % 8}N{i // 8}" for i in range(n - 3)] + ["embed", "pos_embed", "bias"]


def _fresh(path):
    for suffix in ("", "-journal", "-wal", "-shm"):
        if os.path.exists(path + suffix):
            os.remove(path + suffix)


def _mlflow(work, data, calls):
    """MLflow's log_batch into its SQLite store, 1 000 metrics a call, `calls` calls; None if unavailable."""
    # mlflow-skinny's SQLite store needs SQLAlchemy and alembic, which it does not depend on.
    try:
        import mlflow, sqlalchemy, alembic  # noqa: F401
    except ImportError:
        proc = subprocess.run([sys.executable, "-m", "pip", "install", "-q", "mlflow-skinny", "sqlalchemy", "alembic"], capture_output=True)
        if proc.returncode != 0:
            return None, "pip install mlflow-skinny sqlalchemy alembic failed"
        try:
            import mlflow  # noqa: F401
        except ImportError as error:
            return None, f"mlflow does not import: {error}"
    from mlflow.entities import Metric
    from mlflow.tracking import MlflowClient
    try:
        client = MlflowClient(tracking_uri="sqlite:///" + os.path.join(work, "mlflow.sqlite"))
        run_id = client.create_run(client.create_experiment("bench")).info.run_id
    except Exception as error:  # mlflow-skinny lacks SQLAlchemy for its SQLite store
        return None, f"MLflow's SQLite store is unavailable: {type(error).__name__}: {str(error)[:80]}"
    flat = data.reshape(-1)
    stamp = int(time.time() * 1000)
    start = time.perf_counter()
    for call in range(calls):
        chunk = flat[call * 1000:(call + 1) * 1000].tolist()
        client.log_batch(run_id, metrics=[Metric(f"v{call * 1000 + i}", v, stamp, 0) for i, v in enumerate(chunk)])
    return calls * 1000 / (time.perf_counter() - start), None


def bench(args, work, row, best):
    import attrdb
    print("\n== Python package: rec.log and values(), 100 x 128 x 800 (10.24 M float32 values)")
    n = int(np.prod(SHAPE))
    rng = np.random.default_rng(0)
    data = rng.standard_normal(SHAPE, dtype=np.float32)
    coefs, labels = np.linspace(-10, 10, SHAPE[1]), _labels(SHAPE[2])
    db = os.path.join(work, "python.sqlite")

    def record(in_flight):
        _fresh(db)
        store = attrdb.open(db, binary=args.attrdb)
        start = time.perf_counter()
        with store.recorder("bench", coefficients=coefs, components=labels, metric="logit_diff",
                            in_flight=in_flight) as rec:
            for step in range(SHAPE[0]):
                rec.log(step, data[step])
        return (time.perf_counter() - start,)

    def save():
        path = os.path.join(work, "plain.npy")
        start = time.perf_counter()
        np.save(path, data)
        seconds = time.perf_counter() - start
        os.remove(path)
        return (seconds,)

    # The binary alone: the same frames from a file, no Python and no waiting for each ok.
    frames = os.path.join(work, "frames.bin")
    from attrdb import _frames
    with open(frames, "wb") as f:
        f.write(_frames.MAGIC + _frames.json_frame(_frames.HEADER, {
            "run": "bench", "metric": "logit_diff", "coefficients": coefs.tolist(), "components": labels}))
        for step in range(SHAPE[0]):
            f.write(_frames.checkpoint_head(step, data[step].size) + data[step].tobytes())
        f.write(_frames.json_frame(_frames.END, {"complete": True}))

    def binary_alone():
        _fresh(db)
        start = time.perf_counter()
        with open(frames, "rb") as f:
            subprocess.run([args.attrdb, "--db", db, "ingest", "-", "--format", "frames"], stdin=f,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        return (time.perf_counter() - start,)

    # The same values as a dataset folder, for `attrdb ingest FOLDER` (one transaction, no Python).
    folder = os.path.join(work, "python-npy")
    os.makedirs(folder, exist_ok=True)
    np.save(os.path.join(folder, "attributions.npy"), data)
    with open(os.path.join(folder, "axes.json"), "w") as f:
        json.dump({"checkpoint_steps": list(range(SHAPE[0])), "coefficients": coefs.tolist(),
                   "components": labels, "metric": "logit_diff"}, f)

    def npy_ingest():
        _fresh(db)
        start = time.perf_counter()
        subprocess.run([args.attrdb, "--db", db, "ingest", folder, "--run", "bench"], stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, check=True)
        return (time.perf_counter() - start,)

    # Round robin, best of 5 each: on a shared machine every contender meets the same load.
    contenders = {"rec": lambda: record(4), "rec1": lambda: record(1), "save": save, "alone": binary_alone,
                  "npy": npy_ingest}
    times = {name: [] for name in contenders}
    for _ in range(5):
        for name, fn in contenders.items():
            times[name].append(fn()[0])
    rec_s, rec1_s, save_s, alone_s, npy_s = (min(times[name]) for name in ("rec", "rec1", "save", "alone", "npy"))
    os.remove(frames)
    row("np.save of the same array (baseline, page cache), M values/s", n / save_s / 1e6, "M/s")
    row("rec.log loop to close (one transaction a checkpoint, synced at the end), M values/s (target >= 50)",
        n / rec_s / 1e6, "M/s", target=n / rec_s >= 50e6)
    row("  rec.log time / np.save time", rec_s / save_s, "x")
    row("rec.log waiting for each ok (in_flight=1), M values/s", n / rec1_s / 1e6, "M/s")
    row("  in_flight=4 rate / in_flight=1 rate", rec1_s / rec_s, "x")
    row("attrdb ingest - --format frames of the same frames from a file (the binary alone), M values/s",
        n / alone_s / 1e6, "M/s")
    row("  rec.log time / the binary alone (Python's share of the cost)", rec_s / alone_s, "x")
    row("attrdb ingest of the same values as .npy (one transaction), M values/s", n / npy_s / 1e6, "M/s")
    row("  rec.log rate / .npy ingest rate", npy_s / rec_s, "x")
    mlflow_calls = 20 if args.quick else 100
    mlflow_rate, why = _mlflow(work, data, mlflow_calls)
    if mlflow_rate is None:
        print(f"  MLflow log_batch: not measured ({why})")
    else:
        row(f"MLflow log_batch, SQLite store, 1 000 metrics a call ({mlflow_calls} calls), M values/s",
            mlflow_rate / 1e6, "M/s")
        row("  rec.log rate / MLflow log_batch rate", n / rec_s / mlflow_rate, "x")

    store = attrdb.open(db, binary=args.attrdb)

    def read(verify):
        start = time.perf_counter()
        store.values("bench", as_numpy=True, verify=verify)
        return (time.perf_counter() - start,)

    read_s = best(5, lambda: read(False))[0]
    assert np.array_equal(store.values("bench", as_numpy=True)[0], data)
    row("values() into numpy, no checksum verification, M values/s (target >= 250)", n / read_s / 1e6, "M/s",
        target=n / read_s >= 250e6)
    try:
        import xxhash  # noqa: F401
        verified_s = best(5, lambda: read(True))[0]
        row("values() verifying each matrix's xxHash64 (xxhash package), M values/s", n / verified_s / 1e6, "M/s")
    except ImportError:
        print("  values() with verification: not measured (no xxhash package)")
    # Memory in a process of its own. VmHWM (peak RSS) also counts the store's pages the read maps from
    # the kernel's page cache (shared, dropped with the connection); RssAnon is the process's own memory
    # after the call (the array, while it lives; each matrix's bytes are freed as the next is read).
    probe = textwrap.dedent(f"""
        import attrdb, numpy as np
        def status(key):
            return int([l for l in open("/proc/self/status") if l.startswith(key)][0].split()[1]) * 1024
        store = attrdb.open({db!r}, binary={args.attrdb!r})
        hwm, anon = status("VmHWM"), status("RssAnon")
        array, axes = store.values("bench", as_numpy=True, verify=False)
        print(status("VmHWM") - hwm, status("RssAnon") - anon, array.nbytes)
        """)
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, check=True).stdout.split()
    peak, anon, nbytes = map(int, out)
    row("values() peak RSS growth (with the mapped store pages), MB", peak / 1e6, "MB", f"(the array: {nbytes / 1e6:.1f} MB)")
    row("values() anonymous memory growth, MB", anon / 1e6, "MB")
    row("  anonymous growth / array size (target ~1)", anon / nbytes, "x", target=anon / nbytes <= 1.2)
