"""`precision="f16"|"bf16"` (issue 13 §2) from Python: the recorder's header asks for it, the binary
stores numpy's rounding bit for bit, and `store.values` (reading SQLite directly) decodes it to float32."""
import sqlite3

import numpy as np
import pytest

from conftest import cli, needs_frames

pytestmark = needs_frames
LABELS = ["embed", "L0H0", "L0H1", "0_mlp_out", "bias"]


def bf16_reference(x):
    """bfloat16 by round-to-nearest-even on the float32 bits, decoded back to float32."""
    u = np.ascontiguousarray(x, dtype="<f4").view("<u4").astype(np.uint64)
    return (((u + 0x7FFF + ((u >> 16) & 1)) >> 16).astype(np.uint32) << 16).view("<f4")


def record(store, run, data, precision):
    with store.recorder(run, coefficients=np.linspace(-1, 1, data.shape[1]), components=LABELS,
                        metric="logit_diff", precision=precision) as rec:
        for step in range(data.shape[0]):
            rec.log(step * 10, data[step])


@pytest.mark.parametrize("precision", ["f16", "bf16"])
def test_recorder_stores_the_rounding_and_values_reads_it_as_float32(tmp_path, attrdb_module, precision):
    rng = np.random.default_rng(5)
    data = (rng.standard_normal((4, 9, len(LABELS))) * 100).astype(np.float32)
    data[0, 0, :4] = [1 + 2 ** -11, 2 ** -25, 3 * 2 ** -25, -0.0]   # ties and f16 subnormals
    db = str(tmp_path / "s.sqlite")
    store = attrdb_module.open(db)
    record(store, "r", data, precision)
    expected = data.astype(np.float16).astype(np.float32) if precision == "f16" else bf16_reference(data)
    array, axes = store.values("r", as_numpy=True, verify=True)
    assert list(axes["checkpoint_step"]) == [0, 10, 20, 30]
    assert array.dtype == np.float32
    assert np.array_equal(array.view(np.uint32), expected.view(np.uint32))
    con = sqlite3.connect(db)
    assert con.execute("SELECT precision FROM run WHERE name = 'r'").fetchone()[0] == precision
    sizes = {len(b) for (b,) in con.execute("SELECT matrix FROM attribution")}
    assert sizes == {2 * 9 * len(LABELS)}
    cli("--db", db, "check")


def test_a_recorder_asking_another_precision_of_a_run_is_a_conflict(tmp_path, attrdb_module):
    data = np.ones((1, 3, len(LABELS)), dtype=np.float32)
    db = str(tmp_path / "s.sqlite")
    store = attrdb_module.open(db)
    record(store, "r", data, "f16")
    with pytest.raises(attrdb_module.Conflict) as raised:
        record(store, "r", data, "bf16")
    assert "stored in f16" in str(raised.value) and "bf16" in str(raised.value)


def test_an_unknown_precision_is_refused_before_anything_runs(tmp_path, attrdb_module):
    store = attrdb_module.open(str(tmp_path / "s.sqlite"))
    with pytest.raises(attrdb_module.BadInput, match="precision must be"):
        store.recorder("r", coefficients=[0.0], components=LABELS, metric="m", precision="f8")
