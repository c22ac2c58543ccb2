"""Reading a store written by the CLI: values bit-exact, runs() typed, errors mapped."""
import json
import sqlite3

import numpy as np
import pytest

from conftest import EXAMPLE, cli


def test_values_of_the_example_are_the_ingested_array_bit_for_bit(example_store, attrdb_module):
    expected = np.load(EXAMPLE / "attributions.npy").astype(np.float32)
    axes = json.loads((EXAMPLE / "axes.json").read_text())
    v = attrdb_module.open(example_store).values("modadd")
    assert v.dims == ("checkpoint_step", "coefficient", "component")
    assert v.dtype == np.float32
    assert np.array_equal(v.values.view(np.uint32), expected.view(np.uint32))
    assert list(v.checkpoint_step.values) == axes["checkpoint_steps"]
    assert np.array_equal(v.coefficient.values, np.array(axes["coefficients"]))
    labels = [c if isinstance(c, str) else c["label"] for c in axes["components"]]
    assert list(v.component.values) == labels
    components = cli("--db", example_store, "export", "components", "--run", "modadd", "--format", "jsonl").stdout
    rows = [json.loads(line) for line in components.splitlines()]
    assert list(v.layer.values) == [r["layer"] for r in rows]
    assert list(v.kind.values) == [r["kind"] for r in rows]


def test_values_as_numpy_gives_the_array_and_its_axes(example_store, attrdb_module):
    array, axes = attrdb_module.open(example_store).values("modadd", as_numpy=True)
    expected = np.load(EXAMPLE / "attributions.npy").astype(np.float32)
    assert array.shape == expected.shape and np.array_equal(array, expected)
    assert set(axes) == {"checkpoint_step", "coefficient", "component", "layer", "kind"}
    assert len(axes["component"]) == expected.shape[2]


def test_values_equal_the_cli_export_on_synthetic_data(tmp_path, attrdb_module):
    rng = np.random.default_rng(7)
    data = rng.standard_normal((5, 9, 6), dtype=np.float32)
    data[0, 0, 0] = np.float32(1e-45)  # a subnormal survives the trip
    folder = tmp_path / "ds"
    folder.mkdir()
    np.save(folder / "attributions.npy", data)
    (folder / "axes.json").write_text(json.dumps({
        "checkpoint_steps": [0, 10, 20, 40, 80], "coefficients": list(np.linspace(-2, 2, 9)),
        "components": ["embed", "L0H0", "L0H1", "0_mlp_out", "L1H0", "bias"], "metric": "loss_reduction"}))
    db = tmp_path / "s.sqlite"
    cli("--db", db, "ingest", folder, "--run", "syn")
    v = attrdb_module.open(str(db)).values("syn", metric="loss_reduction")
    assert np.array_equal(v.values.view(np.uint32), data.view(np.uint32))


def test_values_verifies_checksums_when_asked_and_xxhash_is_there(example_store, attrdb_module):
    pytest.importorskip("xxhash")
    v = attrdb_module.open(example_store).values("modadd", verify=True)
    assert v.shape[0] == 33


def test_values_refuses_a_corrupt_matrix_when_verifying(tmp_path, example_store, attrdb_module):
    pytest.importorskip("xxhash")
    import shutil
    db = tmp_path / "corrupt.sqlite"
    shutil.copy(example_store, db)
    con = sqlite3.connect(db)
    blob = bytearray(con.execute("SELECT matrix FROM attribution ORDER BY attribution_id LIMIT 1").fetchone()[0])
    blob[0] ^= 1
    con.execute("UPDATE attribution SET matrix = ? WHERE attribution_id = (SELECT min(attribution_id) FROM attribution)",
                (bytes(blob),))
    con.commit()
    con.close()
    with pytest.raises(attrdb_module.StoreError, match="checksum"):
        attrdb_module.open(str(db)).values("modadd", verify=True)


def test_values_of_an_unknown_run_raises_not_found(example_store, attrdb_module):
    with pytest.raises(attrdb_module.NotFound) as caught:
        attrdb_module.open(example_store).values("nope")
    assert caught.value.status == 3 and "nope" in caught.value.message


def test_values_never_writes_the_store(example_store, attrdb_module):
    import os
    before = os.stat(example_store).st_mtime_ns, open(example_store, "rb").read()
    attrdb_module.open(example_store).values("modadd")
    assert (os.stat(example_store).st_mtime_ns, open(example_store, "rb").read()) == before


def test_runs_has_the_columns_and_catalog_dtypes_of_attrdb_runs(example_store, attrdb_module):
    import pandas as pd
    frame = attrdb_module.open(example_store).runs()
    cli_frame = pd.read_csv(__import__("io").BytesIO(cli("--db", example_store, "runs", "--format", "csv").stdout))
    assert list(frame.columns) == list(cli_frame.columns)
    assert frame["name"].tolist() == ["modadd"] and frame["checkpoints"].tolist() == [33]
    assert str(frame["checkpoints"].dtype) == "Int64" and str(frame["name"].dtype) == "string"
    assert frame["status"].tolist() == ["complete"]


def test_a_query_error_carries_the_cli_message_and_status(example_store, attrdb_module):
    store = attrdb_module.open(example_store)
    proc = cli("--db", example_store, "top", "--run", "nope", check=False)
    with pytest.raises(attrdb_module.NotFound) as caught:
        store.top("nope")
    assert caught.value.status == proc.returncode == 3
    assert caught.value.message in proc.stderr.decode()
    with pytest.raises(attrdb_module.UsageError) as usage:
        store.top("modadd", no_such_option=1)
    assert usage.value.status == 64


def test_open_creates_a_missing_store(tmp_path, attrdb_module):
    db = tmp_path / "new.sqlite"
    store = attrdb_module.open(str(db))
    assert db.exists() and len(store.runs()) == 0


def test_values_without_xarray_gives_numpy_and_axes(example_store, attrdb_module, monkeypatch):
    import sys
    monkeypatch.setitem(sys.modules, "xarray", None)   # `import xarray` now raises ImportError
    result = attrdb_module.open(example_store).values("modadd")
    assert isinstance(result, tuple)
    array, axes = result
    assert array.shape == (33, 128, 13) and list(axes["layer"][:2]) == [0, 0]


def test_values_of_a_metric_or_scan_without_values_raises_not_found_naming_what_is_stored(tmp_path, attrdb_module):
    db = str(tmp_path / "s.sqlite")
    store = attrdb_module.open(db)
    kw = dict(coefficients=[0.0, 1.0], components=["L0H0", "embed"])
    with store.recorder("r", metric="logit_diff", **kw) as rec:
        rec.log(0, np.ones((2, 2)))
    with store.recorder("other", metric="loss", **kw) as rec:   # 'loss' is a metric of the store, not of r
        rec.log(0, np.ones((2, 2)))
    with store.recorder("r", metric="logit_diff", scan="empty", **kw):
        pass                                                    # a scan registered, no checkpoint logged
    for options, asked in [(dict(scan="default", metric="loss"), "metric 'loss'"),
                           (dict(scan="default", metric="nope"), "metric 'nope'"),
                           (dict(scan="empty"), "scan 'empty'"),
                           (dict(scan="nope"), "scan 'nope'")]:
        with pytest.raises(attrdb_module.NotFound) as caught:
            store.values("r", **options)
        message = caught.value.message
        assert caught.value.status == 3 and asked in message, message
        assert "stores (scan/metric) default/logit_diff (1 checkpoint)" in message, message
