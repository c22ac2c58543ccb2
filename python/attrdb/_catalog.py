"""The typed column catalog (`attrdb columns --format json`) and DataFrames typed by it."""
from __future__ import annotations

import io
import json
import re
from typing import Dict, List, Sequence

# integer → nullable Int64 (a NULL stays missing), float32 → float32 (the stored values exactly),
# double → float64, text → pandas' string dtype; "mixed" is left to pandas.
_DTYPES = {"integer": "Int64", "float32": "float32", "double": "float64", "text": "string"}
_NA = ["", "nan", "NaN", "-nan", "inf", "-inf"]


class Catalog:
    """Every command's columns and types, as the binary declares them."""

    def __init__(self, raw: bytes):
        self._by_key: Dict[str, List[dict]] = {}
        for entry in json.loads(raw):
            self._by_key.setdefault(entry["command"], []).append(entry)

    def columns(self, command: str, args: Sequence[str]) -> Dict[str, str]:
        """Column name → catalog type for `command` run with `args`: the catalog's entry whose extra
        words (`--wide`, `--what top`) all appear in the arguments, the most specific winning, plus
        the `run` column of several-run output. Placeholders like `<group>` are kept as keys."""
        joined = " " + " ".join(args) + " "
        best, best_len = None, -1
        for key in self._by_key:
            words = key.split(" ")
            if words[0] != command:
                continue
            extra = " ".join(words[1:])
            if extra and f" {extra} " not in joined:
                continue
            if len(words) > best_len:
                best, best_len = key, len(words)
        types = {e["column"]: e["type"] for e in self._by_key.get(best, [])}
        for e in self._by_key.get("(several --run)", []):
            types.setdefault(e["column"], e["type"])
        return types


def round_trip(pd) -> dict:
    """read_csv's option for exact floats: pandas before 3 needs float_precision="round_trip" (its
    default parser can be an ulp off); pandas 3 parses exactly by default and deprecates the option."""
    return {"float_precision": "round_trip"} if int(pd.__version__.split(".")[0]) < 3 else {}


def typed_frame(csv: bytes, types: Dict[str, str]):
    """A DataFrame from the binary's CSV with each column's dtype from the catalog; a column the
    catalog names by placeholder (`<group>`, `<hook>_<layer>`) takes the placeholder's type."""
    import pandas as pd

    if not csv.strip():
        return pd.DataFrame({name: pd.Series(dtype=_DTYPES.get(t, "object"))
                             for name, t in types.items() if "<" not in name})
    header = pd.read_csv(io.BytesIO(csv), nrows=0).columns
    placeholder = next((t for name, t in types.items() if "<" in name), None)
    # `concentration --top 3` names its column top_3_share where the catalog says top_k_share.
    resolved = {name: types.get(name, types.get(re.sub(r"\d+", "k", name), placeholder)) for name in header}
    numeric = {name: _NA for name, t in resolved.items() if t in ("integer", "float32", "double")}
    # round_trip: pandas' default float parser may be one ulp off; the CLI prints shortest round-trip
    # decimals, so this gives back its doubles and float32s bit for bit.
    return pd.read_csv(io.BytesIO(csv), keep_default_na=False, na_values=numeric, **round_trip(pd),
                       dtype={name: _DTYPES[t] for name, t in resolved.items() if t in _DTYPES})
