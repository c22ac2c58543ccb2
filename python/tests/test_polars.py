"""polars DataFrames (the optional extra): values in long form and query results, the same numbers and
column types as the pandas and xarray ones. Skipped only when polars is not installed."""
import numpy as np
import pytest

pl = pytest.importorskip("polars")


def test_values_as_polars_is_the_xarray_in_long_form(example_store, attrdb_module):
    store = attrdb_module.open(example_store)
    v = store.values("modadd")
    frame = store.values("modadd", as_="polars")
    assert frame.columns == ["checkpoint_step", "coefficient", "component", "layer", "kind", "value"]
    assert frame.schema["value"] == pl.Float32 and frame.schema["checkpoint_step"] == pl.Int64
    assert frame.height == v.size
    # Row order is the array's: (checkpoint_step, coefficient, component), C order.
    assert np.array_equal(frame["value"].to_numpy().view(np.uint32), v.values.reshape(-1).view(np.uint32))
    steps, coefs, comps = np.meshgrid(v.checkpoint_step.values, v.coefficient.values, np.arange(v.shape[2]), indexing="ij")
    assert np.array_equal(frame["checkpoint_step"].to_numpy(), steps.reshape(-1))
    assert np.array_equal(frame["coefficient"].to_numpy(), coefs.reshape(-1))
    assert frame["component"].cast(pl.String).to_list() == list(v.component.values[comps.reshape(-1)])
    assert np.array_equal(frame["layer"].to_numpy(), v.layer.values[comps.reshape(-1)])
    assert frame["kind"].cast(pl.String).to_list() == list(v.kind.values[comps.reshape(-1)])


def test_query_results_as_polars_equal_the_pandas_ones(example_store, attrdb_module):
    store = attrdb_module.open(example_store)
    for name, call in [("capacity", lambda **kw: store.capacity("modadd", by="layer", checkpoint="every:4", **kw)),
                       ("top", lambda **kw: store.top("modadd", k=5, **kw)),
                       ("runs", lambda **kw: store.runs(**kw)),
                       ("sql", lambda **kw: store.sql("SELECT name, status FROM run", **kw))]:
        pandas_frame, polars_frame = call(), call(as_="polars")
        assert isinstance(polars_frame, pl.DataFrame), name
        assert polars_frame.columns == list(pandas_frame.columns), name
        assert polars_frame.height == len(pandas_frame), name
        for column in pandas_frame.columns:
            left, right = pandas_frame[column], polars_frame[column]
            if left.dtype.kind == "f":
                assert str(left.dtype) == {pl.Float32: "float32", pl.Float64: "float64"}[right.dtype], (name, column)
                assert np.array_equal(left.to_numpy(), right.to_numpy(), equal_nan=True), (name, column)
            else:
                assert left.astype(object).tolist() == right.to_list(), (name, column)
    typed = store.capacity("modadd", as_="polars")
    assert typed.schema["checkpoint_step"] == pl.Int64 and typed.schema["share"] in (pl.Float64, pl.Float32)


def test_as_names_what_it_takes(example_store, attrdb_module):
    store = attrdb_module.open(example_store)
    with pytest.raises(attrdb_module.BadInput, match="polars"):
        store.values("modadd", as_="arrow")
    with pytest.raises(attrdb_module.BadInput, match="polars"):
        store.top("modadd", as_="arrow")
