"""Every query method gives the CLI's CSV for the same options: same columns, same numbers, and the
dtypes the typed column catalog declares."""
import io
import json
import re

import numpy as np
import pandas as pd
import pytest

from attrdb._catalog import round_trip
from conftest import cli

DTYPES = {"integer": "Int64", "float32": "float32", "double": "float64", "text": "string"}

# (method, keyword arguments, the same options as the CLI takes them, the catalog entry)
CASES = [
    ("capacity", {}, [], "capacity"),
    ("capacity", {"by": "layer", "checkpoint": "every:4", "coef": (-1, 1)},
     ["--by", "layer", "--checkpoint", "every:4", "--coef", "-1:1"], "capacity"),
    ("capacity", {"by": "component", "squared": True}, ["--by", "component", "--squared"], "capacity"),
    ("capacity", {"wide": True}, ["--wide"], "capacity --wide"),
    ("top", {"k": 5, "checkpoint": "last"}, ["-k", "5", "--checkpoint", "last"], "top"),
    ("top", {"k": 3, "layer": [0, 1], "coef": 2.5}, ["-k", "3", "--layer", "0", "--layer", "1", "--coef", "2.5"], "top"),
    ("profile", {"component": ["L0H0", "1_mlp_out"], "checkpoint": "last"},
     ["--component", "L0H0", "--component", "1_mlp_out", "--checkpoint", "last"], "profile"),
    ("profile", {"summary": True, "component": "L1H3"}, ["--summary", "--component", "L1H3"], "profile --summary"),
    ("clusters", {"k": 3, "seed": 1}, ["-k", "3", "--seed", "1"], "clusters"),
    ("clusters", {"k": 2, "method": "hierarchical", "distance": "correlation", "centroids": True},
     ["-k", "2", "--method", "hierarchical", "--distance", "correlation", "--centroids"], "clusters --centroids"),
    ("turnover", {"cutoff": 0.1}, ["--cutoff", "0.1"], "turnover"),
    ("turnover", {"summary": True, "cutoff": 0.05}, ["--summary", "--cutoff", "0.05"], "turnover --summary"),
    ("concentration", {"top": 3}, ["--top", "3"], "concentration"),
    ("norms", {}, [], "norms"),
    ("norms", {"wide": True}, ["--wide"], "norms"),
    ("norms", {"wov": True}, ["--wov"], "norms --wov"),
]


@pytest.fixture(scope="module")
def catalog():
    entries = json.loads(cli("columns", "--format", "json").stdout)
    by_key = {}
    for e in entries:
        by_key.setdefault(e["command"], {})[e["column"]] = e["type"]
    return by_key


def cli_frame(db, args):
    return pd.read_csv(io.BytesIO(cli("--db", db, *args, "--format", "csv").stdout), **round_trip(pd),
                       keep_default_na=False, na_values=["", "nan"])


def assert_same(frame, expected, types):
    assert list(frame.columns) == list(expected.columns)
    assert len(frame) == len(expected) > 0
    placeholder = next((t for c, t in types.items() if "<" in c), None)
    for column in frame.columns:
        kind = types.get(column, types.get(re.sub(r"\d+", "k", column), placeholder))
        assert kind is not None, f"column {column} is not in the catalog"
        assert str(frame[column].dtype) == DTYPES[kind], (column, frame[column].dtype, kind)
        if kind == "text":
            assert frame[column].astype(object).tolist() == expected[column].astype(str).tolist(), column
        else:
            got = frame[column].astype("float64").to_numpy(na_value=np.nan)
            want = expected[column].to_numpy(dtype="float64")
            if kind == "float32":
                want = want.astype(np.float32).astype(np.float64)
            assert np.array_equal(got, want, equal_nan=True), column


@pytest.mark.parametrize("method,kwargs,args,key", CASES, ids=[f"{c[0]}{c[2]}" for c in CASES])
def test_query_method_equals_the_cli(example_store, attrdb_module, catalog, method, kwargs, args, key):
    frame = getattr(attrdb_module.open(example_store), method)("modadd", **kwargs)
    assert_same(frame, cli_frame(example_store, [method, "--run", "modadd", *args]), catalog[key])


@pytest.mark.parametrize("kwargs,args,key", [({}, [], "compare"),
                                             ({"what": "top", "k": 4}, ["--what", "top", "-k", "4"], "compare --what top")])
def test_compare_equals_the_cli(two_run_store, attrdb_module, catalog, kwargs, args, key):
    frame = attrdb_module.open(two_run_store).compare("a", "b", **kwargs)
    assert_same(frame, cli_frame(two_run_store, ["compare", "--run", "a", "--run", "b", *args]), catalog[key])


def test_several_runs_add_the_run_column(two_run_store, attrdb_module, catalog):
    frame = attrdb_module.open(two_run_store).capacity(["a", "b"])
    types = dict(catalog["capacity"], **catalog["(several --run)"])
    assert_same(frame, cli_frame(two_run_store, ["capacity", "--run", "a", "--run", "b"]), types)
    assert set(frame["run"]) == {"a", "b"}


def test_sql_returns_the_statement_rows(example_store, attrdb_module):
    frame = attrdb_module.open(example_store).sql(
        "SELECT c.step, f32_len(a.matrix) AS n FROM attribution a JOIN checkpoint c USING (checkpoint_id) ORDER BY c.step")
    assert list(frame.columns) == ["step", "n"]
    assert len(frame) == 33 and set(frame["n"]) == {128 * 13}


def test_report_and_plot_display_inline(example_store, attrdb_module):
    store = attrdb_module.open(example_store)
    page = store.report("modadd")
    assert "<html" in page.html.lower() and page._repr_html_().startswith("<iframe")
    svg = store.plot("capacity", "modadd")._repr_svg_()
    assert svg.lstrip().startswith("<svg") or "<svg" in svg[:200]
