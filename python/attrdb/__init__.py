"""attrdb from Python: log attributions from a training loop, read them back as numpy, xarray, pandas.

    store = attrdb.open("attrdb.sqlite")
    with store.recorder("run", coefficients=..., components=[...], metric="logit_diff") as rec:
        rec.log(step, values)
    store.values("run"); store.capacity("run", by="layer")
"""
from ._binary import find_binary
from .errors import AttrdbError, BadInput, BinaryNotFound, Conflict, NotFound, StoreError, UsageError
from .recorder import Recorder
from .store import Store, open

__all__ = ["open", "Store", "Recorder", "find_binary", "AttrdbError", "BadInput", "StoreError",
           "NotFound", "Conflict", "UsageError", "BinaryNotFound"]
__version__ = "0.1.0"
