"""polars DataFrames (the optional extra `attrdb[polars]`): query results typed by the column catalog,
and a run's values in long form."""
from __future__ import annotations

import io
import re
from typing import Dict

import numpy as np

from .errors import BadInput


def polars():
    """The polars module, or BadInput saying how to get it (it is an optional extra)."""
    try:
        import polars as pl
    except ImportError:
        raise BadInput('as_="polars" needs the polars package (pip install "attrdb[polars]")') from None
    return pl


def typed_frame(csv: bytes, types: Dict[str, str]):
    """A polars DataFrame from the binary's CSV, each column's dtype from the catalog as
    `_catalog.typed_frame` gives pandas its: integer → Int64 (empty fields null), float32 → Float32
    (the stored values exactly: the CLI prints shortest round-trip decimals), double → Float64,
    text → String (an empty field stays "", as in the pandas frame)."""
    pl = polars()
    dtypes = {"integer": pl.Int64, "float32": pl.Float32, "double": pl.Float64, "text": pl.String}
    if not csv.strip():
        return pl.DataFrame(schema={name: dtypes.get(t, pl.String) for name, t in types.items() if "<" not in name})
    names = pl.read_csv(io.BytesIO(csv), n_rows=0).columns
    placeholder = next((t for name, t in types.items() if "<" in name), None)
    resolved = {name: types.get(name, types.get(re.sub(r"\d+", "k", name), placeholder)) for name in names}
    frame = pl.read_csv(io.BytesIO(csv), infer_schema_length=None,
                        schema_overrides={name: dtypes[t] for name, t in resolved.items() if t in dtypes})
    # polars reads an empty field as null in every column; the CLI's empty text is "".
    return frame.with_columns(pl.col(pl.String).fill_null(""))


def values_frame(array: np.ndarray, axes: dict):
    """A run's values in long form, one row per value in the array's order: checkpoint_step (Int64),
    coefficient (Float64), component, kind (Enums of the run's labels and kinds), layer (Int64),
    value (Float32)."""
    pl = polars()
    n_steps, n_coefs, n_comps = array.shape
    labels = [str(label) for label in axes["component"]]
    kinds = sorted({str(kind) for kind in axes["kind"]})
    kind_codes = np.array([kinds.index(str(kind)) for kind in axes["kind"]], dtype=np.uint32)
    per_step = n_coefs * n_comps
    component = np.tile(np.arange(n_comps, dtype=np.uint32), n_steps * n_coefs)
    return pl.DataFrame([
        pl.Series("checkpoint_step", np.repeat(axes["checkpoint_step"].astype(np.int64), per_step)),
        pl.Series("coefficient", np.tile(np.repeat(axes["coefficient"].astype(np.float64), n_comps), n_steps)),
        pl.Series("component", labels, dtype=pl.Enum(labels)).gather(component),
        pl.Series("layer", axes["layer"].astype(np.int64)[component]),
        pl.Series("kind", kinds, dtype=pl.Enum(kinds)).gather(kind_codes[component]),
        pl.Series("value", np.ascontiguousarray(array).reshape(-1)),
    ])
