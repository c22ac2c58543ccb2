"""The recorder through the real binary: conformance with the CLI, errors before anything is stored,
an exception leaving the run incomplete, and a reader in another process seeing whole checkpoints."""
import json
import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest

from conftest import EXAMPLE, cli, needs_frames

pytestmark = needs_frames
LABELS = ["embed", "L0H0", "L0H1", "0_mlp_out", "L1H0", "L1H1", "1_mlp_out", "bias"]


def export_values(db, run, tmp_path):
    out = tmp_path / f"export-{run}" / "values.npy"
    out.parent.mkdir(exist_ok=True)
    cli("--db", db, "export", "values", "--run", run, "--format", "npy", "-o", out, "--force")
    return np.load(out)


def snapshot(db):
    """What the store holds, as the CLI sees it: every run (without its creation time) and every value."""
    runs = [json.loads(l) for l in cli("--db", db, "runs", "--format", "jsonl").stdout.splitlines()]
    values = cli("--db", db, "sql", "SELECT attribution_id, checksum, hex(matrix) FROM attribution ORDER BY 1",
                 "--format", "csv", "--max-rows", "1000000").stdout
    stats = cli("--db", db, "sql", "SELECT * FROM checkpoint_stat ORDER BY 1, 2", "--format", "csv").stdout
    return [{k: v for k, v in r.items() if k != "created"} for r in runs], values, stats


def test_synthetic_scan_logged_from_python_passes_check_and_exports_bit_exact(tmp_path, attrdb_module):
    rng = np.random.default_rng(3)
    data = rng.standard_normal((6, 16, len(LABELS)), dtype=np.float32)
    data[0, 0, 0], data[0, 0, 1], data[1, 2, 3] = np.float32(1e-45), np.float32(-0.0), np.float32(3.4e38)
    db = str(tmp_path / "s.sqlite")
    store = attrdb_module.open(db)
    steps = [0, 1, 2, 5, 100, 2 ** 40]
    with store.recorder("syn", coefficients=np.linspace(-5, 5, 16), components=LABELS, metric="logit_diff",
                        metadata={"model": "toy", "task": "synthetic", "lr": 0.001}, tags={"seed": "3"}) as rec:
        for i, step in enumerate(steps):
            rec.log(step, data[i].astype(np.float64))   # float64 in, float32 stored
            rec.log_stats(step, train_loss=1.0 / (i + 1), test_acc=0.1 * i)
            rec.log_resid_norms(step, {0: 10.0 + i, 1: 11.0 + i, (2, "resid_post"): 12.5})
            rec.log_wov_norms(step, np.full((2, 2), 0.5 + i))
    cli("--db", db, "check")
    exported = export_values(db, "syn", tmp_path)
    assert np.array_equal(exported.view(np.uint32), data.view(np.uint32))
    assert np.array_equal(store.values("syn").values.view(np.uint32), data.view(np.uint32))
    runs = store.runs()
    assert runs["status"].tolist() == ["complete"] and runs["tags"].tolist() == ["seed=3"]
    assert runs["model"].tolist() == ["toy"] and runs["checkpoints"].tolist() == [6]
    assert len(store.runs(tag={"seed": "3"})) == 1 and len(store.runs(tag={"seed": "4"})) == 0
    losses = [json.loads(l) for l in cli("--db", db, "export", "losses", "--run", "syn", "--format", "jsonl").stdout.splitlines()]
    assert [r["checkpoint_step"] for r in losses] == steps
    assert [r["train_loss"] for r in losses] == [1.0 / (i + 1) for i in range(6)]
    wov = store.norms("syn", wov=True)
    assert len(wov) == 6 * 4 and wov["frobenius_norm"].tolist()[:4] == [0.5] * 4
    assert store.norms("syn", wide=True).shape[0] == 6


def test_example_logged_from_python_equals_the_cli_ingest(tmp_path, example_store, attrdb_module):
    axes = json.loads((EXAMPLE / "axes.json").read_text())
    values = np.load(EXAMPLE / "attributions.npy")
    db = str(tmp_path / "py.sqlite")
    with attrdb_module.open(db).recorder("modadd", coefficients=axes["coefficients"], components=axes["components"],
                                         metric=axes.get("metric", "logit_diff")) as rec:
        for i, step in enumerate(axes["checkpoint_steps"]):
            rec.log(step, values[i])
    cli("--db", db, "check")
    assert np.array_equal(export_values(db, "modadd", tmp_path).view(np.uint32),
                          values.astype(np.float32).view(np.uint32))
    for query in (["capacity", "--by", "component"], ["top", "-k", "5"], ["clusters", "-k", "3", "--seed", "2"]):
        ours = cli("--db", db, *query, "--run", "modadd", "--format", "csv").stdout
        theirs = cli("--db", example_store, *query, "--run", "modadd", "--format", "csv").stdout
        assert ours == theirs, query


def test_bad_values_raise_in_python_and_store_nothing(tmp_path, attrdb_module):
    db = str(tmp_path / "s.sqlite")
    store = attrdb_module.open(db)
    with store.recorder("r", coefficients=[-1, 0, 1], components=LABELS[:4], metric="m") as rec:
        rec.log(0, np.zeros((3, 4)))
        before = snapshot(db)
        nan = np.zeros((3, 4), np.float32)
        nan[1, 2] = np.nan
        cases = [(nan, "non-finite"), (np.full((3, 4), np.inf), "non-finite"), (np.zeros((4, 3)), "shape"),
                 (np.zeros(12), "shape"), (np.array([["a"] * 4] * 3), "numeric")]
        for bad, words in cases:
            with pytest.raises(attrdb_module.BadInput, match=words) as caught:
                rec.log(1, bad)
            assert caught.value.status == 1
        with pytest.raises(attrdb_module.BadInput):
            rec.log_stats(1, train_loss=float("nan"))
        with pytest.raises(attrdb_module.BadInput):
            rec.log_wov_norms(1, np.ones(3))
        with pytest.raises(attrdb_module.BadInput):
            rec.log(1.5, np.zeros((3, 4)))
        with pytest.raises(attrdb_module.BadInput, match="layer"):
            rec.log_resid_norms(1, {"first": 1.0})
        assert snapshot(db) == before
        rec.log(1, np.ones((3, 4)))   # the stream is still good after refusals
    assert store.values("r").shape == (2, 3, 4)


def test_a_conflicting_checkpoint_raises_conflict_with_the_cli_message_and_keeps_the_old_values(tmp_path, attrdb_module):
    db = str(tmp_path / "s.sqlite")
    store = attrdb_module.open(db)
    kw = dict(coefficients=[0.0, 1.0], components=["L0H0", "embed"], metric="m")
    with store.recorder("r", **kw) as rec:
        rec.log(0, np.ones((2, 2)))
    before = snapshot(db)
    with pytest.raises(attrdb_module.Conflict) as caught:
        with store.recorder("r", **kw) as rec:
            rec.log(0, np.ones((2, 2)))          # identical: changes nothing
            rec.log(0, np.full((2, 2), 2.0))     # different: refused by the binary
    assert caught.value.status == 4 and "0" in caught.value.message
    after = snapshot(db)
    assert after[1:] == before[1:]
    assert np.array_equal(store.values("r").values, np.ones((1, 2, 2), np.float32))


def test_an_unknown_component_label_raises_bad_input_and_creates_no_run(tmp_path, attrdb_module):
    db = str(tmp_path / "s.sqlite")
    store = attrdb_module.open(db)
    with pytest.raises(attrdb_module.BadInput) as caught:
        with store.recorder("r", coefficients=[0.0], components=["L0H0", "not a component"], metric="m"):
            pass
    assert "not a component" in caught.value.message
    assert len(store.runs()) == 0


def test_an_exception_in_the_block_leaves_the_run_incomplete_with_every_logged_step(tmp_path, attrdb_module):
    db = str(tmp_path / "s.sqlite")
    store = attrdb_module.open(db)
    with pytest.raises(RuntimeError, match="training diverged"):
        with store.recorder("r", coefficients=[0.0, 1.0], components=["L0H0", "embed"], metric="m") as rec:
            rec.log(0, np.ones((2, 2)))
            rec.log_stats(0, train_loss=1.0)
            rec.log(10, np.full((2, 2), 2.0))
            raise RuntimeError("training diverged")
    runs = store.runs()
    assert runs["status"].tolist() == ["incomplete"] and runs["checkpoints"].tolist() == [2]
    assert store.values("r").checkpoint_step.values.tolist() == [0, 10]


def test_a_reader_in_another_process_sees_whole_checkpoints_only(tmp_path, attrdb_module):
    db = str(tmp_path / "s.sqlite")
    store = attrdb_module.open(db)
    shape = (64, 200)
    reader = subprocess.Popen([sys.executable, "-c", textwrap.dedent(f"""
        import os, sys, attrdb, numpy as np
        store, seen, reads = attrdb.open({db!r}), set(), 0
        while not os.path.exists({str(tmp_path / 'done')!r}) or reads == 0:
            try:
                array, axes = store.values("r", as_numpy=True)
            except attrdb.NotFound:
                continue
            reads += 1
            for i, step in enumerate(axes["checkpoint_step"]):
                assert (array[i] == np.float32(step)).all(), f"checkpoint {{step}} not whole"
            seen.add(len(axes["checkpoint_step"]))
        print(reads, len(seen))
        """)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=dict(os.environ))
    with store.recorder("r", coefficients=np.arange(shape[0]), components=[f"L0N{i}" for i in range(shape[1])],
                        metric="m") as rec:
        for step in range(40):
            rec.log(step, np.full(shape, step, np.float32))
    (tmp_path / "done").touch()
    out, err = reader.communicate(timeout=120)
    assert reader.returncode == 0, err.decode()
    reads, distinct = map(int, out.split())
    assert reads >= 1 and distinct >= 1


def test_log_weights_hash_round_trips_and_identical_weights_are_flagged_by_the_cli(tmp_path, attrdb_module):
    import hashlib
    db = str(tmp_path / "s.sqlite")
    store = attrdb_module.open(db)
    a, b = hashlib.sha256(b"weights a"), hashlib.sha256(b"weights b")
    with store.recorder("r", coefficients=[0.0, 1.0], components=["L0H0", "embed"], metric="m") as rec:
        for step, digest in [(0, a.hexdigest()), (100, b.digest()), (200, a.hexdigest().upper())]:
            rec.log(step, np.full((2, 2), step))
            rec.log_weights_hash(step, digest)
        rec.log_weights_hash(0, a.digest())          # the same hash again: nothing changes
        with pytest.raises(attrdb_module.BadInput, match="64 hex digits"):
            rec.log_weights_hash(300, "ab12")
        with pytest.raises(attrdb_module.BadInput, match="32 bytes"):
            rec.log_weights_hash(300, b"\0" * 31)
    stored = store.checkpoints("r")
    assert list(stored.columns) == ["checkpoint_step", "tokens_seen", "matrices", "weights_sha256"]
    assert stored["checkpoint_step"].tolist() == [0, 100, 200]
    assert stored["weights_sha256"].tolist() == [a.hexdigest(), b.hexdigest(), a.hexdigest()]
    check = cli("--db", db, "check", "--format", "csv")
    assert check.returncode == 0
    assert f"duplicate_weights,warning,\"run r: steps 0, 200 have identical weights (sha256 {a.hexdigest()[:12]}…)\"" \
        in check.stdout.decode()
    show = cli("--db", db, "show", "r", "--format", "csv").stdout.decode()
    assert "weights_hashes,3" in show and "duplicate_weights,\"steps 0, 200 have identical weights" in show


def test_another_weights_hash_for_a_step_raises_conflict_unless_replace(tmp_path, attrdb_module):
    import hashlib
    db = str(tmp_path / "s.sqlite")
    store = attrdb_module.open(db)
    kw = dict(coefficients=[0.0], components=["embed"], metric="m")
    a, b = hashlib.sha256(b"a").hexdigest(), hashlib.sha256(b"b").hexdigest()
    with pytest.raises(attrdb_module.Conflict) as caught:
        with store.recorder("r", **kw) as rec:
            rec.log_weights_hash(7, a)
            rec.log_weights_hash(7, b)
    assert caught.value.status == 4 and a in caught.value.message and "--replace" in caught.value.message
    with store.recorder("r", replace=True, **kw) as rec:
        rec.log_weights_hash(7, b)
    assert store.sql("SELECT weights_sha256 FROM checkpoint")["weights_sha256"].tolist() == [b]


@pytest.mark.parametrize("in_flight", [1, 2, 4])
def test_a_refused_frame_in_flight_raises_naming_its_call_with_the_frames_before_stored_and_none_after(tmp_path, attrdb_module, in_flight):
    db = str(tmp_path / "s.sqlite")
    store = attrdb_module.open(db)
    kw = dict(coefficients=[0.0, 1.0], components=["L0H0", "embed"], metric="m")
    with store.recorder("r", **kw) as rec:
        rec.log(1, np.ones((2, 2)))
    calls = []
    with pytest.raises(attrdb_module.Conflict) as caught:
        with store.recorder("r", in_flight=in_flight, **kw) as rec:
            for step, value in [(0, 0.0), (1, 2.0), (2, 3.0), (3, 4.0), (4, 5.0)]:
                calls.append(step)
                rec.log(step, np.full((2, 2), value))   # step 1 is stored with other values: refused
    assert caught.value.call == "log(1)" and "checkpoint 1 " in caught.value.message
    # The error comes back with the acknowledgement of step 1's frame: at the call that logged it
    # when waiting for each, else at most in_flight - 1 calls later.
    assert 1 in calls and len(calls) - 1 - calls.index(1) <= in_flight - 1
    assert rec.steps_stored == [0] and rec.frames_stored == 2
    v = store.values("r")
    assert v.checkpoint_step.values.tolist() == [0, 1], "nothing after the refused frame is stored"
    assert (v.sel(checkpoint_step=1).values == 1).all() and (v.sel(checkpoint_step=0).values == 0).all()


def test_a_header_not_waited_for_is_refused_by_the_next_call_that_waits(tmp_path, attrdb_module):
    # wait_for_header=False returns before the binary registers the run: a run it refuses (other
    # components than the stored run's) is raised by the next wait, naming the header, and nothing
    # logged after it is stored.
    db = str(tmp_path / "s.sqlite")
    store = attrdb_module.open(db)
    with store.recorder("r", coefficients=[0.0], components=["embed"], metric="m") as rec:
        rec.log(0, np.ones((1, 1)))
    rec = store.recorder("r", coefficients=[0.0], components=["L0H0"], metric="m", wait_for_header=False)
    with pytest.raises(attrdb_module.Conflict) as caught:
        rec.log(1, np.ones((1, 1)))
        rec.flush()
    assert caught.value.call == "the header" and caught.value.status == 4
    assert store.values("r").checkpoint_step.values.tolist() == [0]
    # Accepted, it is the same run as when waited for.
    with store.recorder("r", coefficients=[0.0], components=["embed"], metric="m", wait_for_header=False) as rec:
        rec.log(1, np.full((1, 1), 2.0))
    assert store.values("r").checkpoint_step.values.tolist() == [0, 1]


def test_flush_waits_until_every_logged_frame_is_stored(tmp_path, attrdb_module):
    db = str(tmp_path / "s.sqlite")
    store = attrdb_module.open(db)
    with store.recorder("r", coefficients=[0.0], components=["embed"], metric="m", in_flight=8) as rec:
        for step in range(5):
            rec.log(step, np.full((1, 1), step))
        rec.flush()
        assert rec.steps_stored == list(range(5))
        assert store.values("r").checkpoint_step.values.tolist() == list(range(5))
    with pytest.raises(attrdb_module.BadInput, match="in_flight"):
        store.recorder("r", coefficients=[0.0], components=["embed"], metric="m", in_flight=0)


@pytest.mark.parametrize("in_flight", [1, 4])
def test_log_checkpoint_stores_a_checkpoint_whole_in_one_transaction(tmp_path, attrdb_module, in_flight):
    import hashlib
    db = str(tmp_path / "s.sqlite")
    store = attrdb_module.open(db)
    digests = [hashlib.sha256(bytes([step])).hexdigest() for step in range(3)]
    with store.recorder("r", coefficients=[0.0, 1.0], components=["L0H0", "embed"], metric="m",
                        in_flight=in_flight) as rec:
        for step in range(3):
            rec.log_checkpoint(step, np.full((2, 2), step), stats={"train_loss": 1.0 / (step + 1)},
                               resid_norms={0: 2.0 + step, (1, "resid_post"): 3.0}, wov_norms=np.full((1, 1), 0.5),
                               weights_hash=digests[step])
        rec.log_checkpoint(3, np.full((2, 2), 3))   # the values alone
        rec.flush()
        # One G frame and its parts per call, each acknowledged: 1 + 3 × 6 + 2 frames after the header.
        assert rec.steps_stored == [0, 1, 2, 3] and rec.frames_stored == 1 + 3 * 6 + 2
    cli("--db", db, "check")
    assert store.values("r").checkpoint_step.values.tolist() == [0, 1, 2, 3]
    hashes = store.sql("SELECT step, coalesce(weights_sha256, 'none') AS h FROM checkpoint ORDER BY step")["h"].tolist()
    assert hashes == digests + ["none"]
    losses = [json.loads(l) for l in cli("--db", db, "export", "losses", "--run", "r", "--format", "jsonl").stdout.splitlines()]
    assert [r["train_loss"] for r in losses] == [1.0, 0.5, 1.0 / 3]
    assert len(store.norms("r", wov=True)) == 3
    assert store.sql("SELECT count(*) AS n FROM resid_norm")["n"].tolist() == [6]


def test_log_checkpoints_stores_several_checkpoints_in_one_transaction_or_none(tmp_path, attrdb_module):
    db = str(tmp_path / "s.sqlite")
    store = attrdb_module.open(db)
    kw = dict(coefficients=[0.0, 1.0], components=["L0H0", "embed"], metric="m")
    with store.recorder("r", **kw) as rec:
        rec.log_checkpoints([dict(step=step, values=np.full((2, 2), step), stats={"train_loss": 1.0 + step},
                                  wov_norms=np.full((1, 1), 0.5)) for step in range(3)])
        rec.log_checkpoints([])   # nothing to store: nothing sent
        rec.flush()
        # One G frame for the three checkpoints' 3 × 3 frames.
        assert rec.steps_stored == [0, 1, 2] and rec.frames_stored == 1 + 1 + 9
    cli("--db", db, "check")
    assert store.values("r").checkpoint_step.values.tolist() == [0, 1, 2]
    assert store.sql("SELECT count(*) AS n FROM checkpoint_stat")["n"].tolist() == [3]
    # Step 1 is stored with other values: the transaction's other checkpoints are not stored either.
    with pytest.raises(attrdb_module.Conflict) as caught:
        with store.recorder("r", **kw) as rec:
            rec.log_checkpoints([dict(step=step, values=np.full((2, 2), 9.0)) for step in (5, 1, 6)])
    assert caught.value.call == "log_checkpoints(5, 1, 6)" and "checkpoint 1 " in caught.value.message
    assert store.values("r").checkpoint_step.values.tolist() == [0, 1, 2]
    # Checked before anything is sent: a bad checkpoint among good ones sends none of them.
    with store.recorder("r", **kw) as rec:
        with pytest.raises(attrdb_module.BadInput, match="non-finite"):
            rec.log_checkpoints([dict(step=7, values=np.ones((2, 2))), dict(step=8, values=np.full((2, 2), np.nan))])
        with pytest.raises(attrdb_module.BadInput, match="log_checkpoints takes mappings"):
            rec.log_checkpoints([dict(step=7, values=np.ones((2, 2)), loss=1.0)])
        assert rec.frames_stored == 1
    assert store.values("r").checkpoint_step.values.tolist() == [0, 1, 2]


def test_a_conflict_in_a_logged_checkpoints_stats_leaves_its_values_unstored(tmp_path, attrdb_module):
    import hashlib
    db = str(tmp_path / "s.sqlite")
    store = attrdb_module.open(db)
    kw = dict(coefficients=[0.0, 1.0], components=["L0H0", "embed"], metric="m")
    with store.recorder("r", **kw) as rec:
        rec.log_stats(5, train_loss=1.0)
    with pytest.raises(attrdb_module.Conflict) as caught:
        with store.recorder("r", **kw) as rec:
            rec.log_checkpoint(4, np.zeros((2, 2)), stats={"train_loss": 2.0})
            rec.log_checkpoint(5, np.ones((2, 2)), stats={"train_loss": 3.0}, resid_norms={0: 1.0},
                               weights_hash=hashlib.sha256(b"x").hexdigest())
            rec.log_checkpoint(6, np.ones((2, 2)))
    assert caught.value.call == "log_checkpoint(5)" and "train_loss" in caught.value.message
    assert rec.steps_stored == [4]
    assert store.values("r").checkpoint_step.values.tolist() == [4], "step 5's values went with its stats"
    assert store.sql("SELECT count(*) AS n FROM resid_norm")["n"].tolist() == [0]
    assert store.sql("SELECT coalesce(weights_sha256, 'none') AS h FROM checkpoint WHERE step = 5")["h"].tolist() == ["none"]
    assert store.sql("SELECT value FROM checkpoint_stat JOIN checkpoint USING (checkpoint_id) "
                     "WHERE step = 5")["value"].tolist() == [1.0]


def test_bad_input_in_any_part_of_a_checkpoint_raises_before_anything_is_sent(tmp_path, attrdb_module):
    db = str(tmp_path / "s.sqlite")
    store = attrdb_module.open(db)
    with store.recorder("r", coefficients=[0.0], components=["embed"], metric="m") as rec:
        bad = [dict(stats={"loss": float("nan")}), dict(wov_norms=np.array([1.0, 2.0])),
               dict(resid_norms={0: float("inf")}), dict(weights_hash="00"), dict(values=np.ones((2, 1)))]
        for change in bad:
            kw = dict(values=np.ones((1, 1)), **{k: v for k, v in change.items() if k != "values"})
            if "values" in change:
                kw["values"] = change["values"]
            with pytest.raises(attrdb_module.BadInput):
                rec.log_checkpoint(1, **kw)
        rec.log_checkpoint(2, np.ones((1, 1)), stats={"loss": 0.5})
        rec.flush()
        assert rec.steps_stored == [2] and rec.frames_stored == 1 + 3
    assert store.values("r").checkpoint_step.values.tolist() == [2]
