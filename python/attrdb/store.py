"""`Store`: one attrdb store file, written through the binary, read as numpy, xarray and pandas."""
from __future__ import annotations

import builtins
import os
import tempfile
from typing import Any, Dict, List, Mapping, Sequence, Union

from . import _polars
from ._binary import find_binary, run_binary
from ._catalog import Catalog, round_trip, typed_frame
from .display import Plot, Report
from .errors import BadInput
from .recorder import Recorder, spawn
from .values import read_values

Runs = Union[str, Sequence[str]]


def _options(options: Mapping[str, Any]) -> List[str]:
    """CLI arguments from keyword arguments named as the CLI's options: `by="layer"` → `--by layer`,
    `k=5` → `-k 5`, `coef=(-1, 1)` → `--coef -1:1`, `wide=True` → `--wide`, `layer=[0, 1]` →
    `--layer 0 --layer 1`, `min_mass=0.1` → `--min-mass 0.1`; None and False leave an option out."""
    args: List[str] = []
    for name, value in options.items():
        if value is None or value is False:
            continue
        flag = "-" + name if len(name) == 1 else "--" + name.replace("_", "-")
        if value is True:
            args.append(flag)
        elif name == "coef" and isinstance(value, (tuple, list)) and len(value) == 2:
            args += [flag, f"{value[0]}:{value[1]}"]
        elif isinstance(value, Mapping):
            for k, v in value.items():
                args += [flag, f"{k}={v}"]
        elif isinstance(value, (tuple, list)):
            for v in value:
                args += [flag, str(v)]
        else:
            args += [flag, str(value)]
    return args


def _runs(run: Runs) -> List[str]:
    names = [run] if isinstance(run, str) else list(run)
    return [a for name in names for a in ("--run", name)]


class Store:
    """One attrdb store: the same SQLite file the CLI uses (`attrdb.open(path)`)."""

    def __init__(self, path: str, binary: str | None = None):
        self.path = os.fspath(path)
        self.binary = binary or find_binary()
        self._catalog: Catalog | None = None
        if not os.path.exists(self.path):
            self._run(["init"])

    def __repr__(self) -> str:
        return f"attrdb.Store({self.path!r})"

    def _run(self, args: Sequence[str]) -> bytes:
        return run_binary(self.binary, ["--db", self.path, *args])

    def _table(self, command: Sequence[str], args: List[str], as_: str = "pandas"):
        """Runs a query command with `--format csv`; its DataFrame typed by the column catalog, a
        pandas one or (`as_="polars"`) a polars one."""
        if as_ not in ("pandas", "polars"):
            raise BadInput(f'as_ must be "pandas" or "polars", got {as_!r}')
        if as_ == "polars":
            _polars.polars()  # before the binary runs: a missing polars is the error to see
        if self._catalog is None:
            self._catalog = Catalog(run_binary(self.binary, ["columns", "--format", "json"]))
        csv = self._run([*command, *args, "--format", "csv"])
        types = self._catalog.columns(command[0], args)
        return _polars.typed_frame(csv, types) if as_ == "polars" else typed_frame(csv, types)

    # -- writing -------------------------------------------------------------------------------

    def recorder(self, run: str, *, coefficients: Sequence[float], components: Sequence[Any],
                 metric: str, scan: str = "default", metadata: Mapping[str, Any] | None = None,
                 tags: Mapping[str, str] | None = None, replace: bool = False,
                 allow_nonfinite: bool = False, in_flight: int = 4, precision: str | None = None,
                 process: Any = None, wait_for_header: bool = True) -> Recorder:
        """A `Recorder` logging `run` (created incomplete, or reopened if it matches). `components` are
        TransformerLens labels ("L0H1", "0_mlp_out", "embed") or dicts {label, layer, kind, index};
        `metadata`'s model and task fill the run's columns and the whole of it is the run's config.
        `in_flight`: how many frames may await the binary's acknowledgement at once (1: each call
        returns once its frame is stored; see `Recorder`). `precision` ("f32", "f16" or "bf16") is how
        a new run stores its values (`ingest --precision`); None: f32 for a new run, the run's own for
        an existing one. `process`: the binary already started for this store (`self.spawn()`), so
        that its start overlapped other work; `wait_for_header=False`: see `Recorder`."""
        return Recorder(self.binary, self.path, run, coefficients=coefficients, components=components,
                        metric=metric, scan=scan, metadata=metadata, tags=tags, replace=replace,
                        allow_nonfinite=allow_nonfinite, in_flight=in_flight, precision=precision,
                        process=process, wait_for_header=wait_for_header)

    def spawn(self) -> Any:
        """Starts the binary a recorder of this store will take (`recorder(..., process=)`), ahead of
        time; `attrdb.recorder.discard(process)` ends one no recorder took, storing nothing."""
        return spawn(self.binary, self.path)

    # -- reading -------------------------------------------------------------------------------

    def runs(self, tag: Mapping[str, str] | None = None, *, as_: str = "pandas"):
        """The runs, as `attrdb runs` lists them (tag={"seed": "0"} keeps runs with those tags)."""
        return self._table(["runs"], _options({"tag": tag}), as_)

    def values(self, run: str, scan: str | None = None, metric: str | None = None, *,
               as_numpy: bool = False, as_: str = "xarray", verify: bool | None = None):
        """The run's values: an xarray.DataArray with dims (checkpoint_step, coefficient, component)
        and coords layer and kind on component; with `as_numpy=True` (or `as_="numpy"`), or without
        xarray installed, a tuple (float32 array, axes dict); with `as_="polars"` a polars DataFrame
        in long form (checkpoint_step, coefficient, component, layer, kind, value). Read from the
        file directly, in one read transaction. `verify`: check each matrix's xxHash64 (None: when
        the `xxhash` package is installed)."""
        if as_ not in ("xarray", "numpy", "polars"):
            raise BadInput(f'as_ must be "xarray", "numpy" or "polars", got {as_!r}')
        if as_ == "polars":
            _polars.polars()
        array, axes = read_values(self.path, run, scan, metric, verify)
        if as_ == "polars":
            return _polars.values_frame(array, axes)
        as_numpy = as_numpy or as_ == "numpy"
        if not as_numpy:
            try:
                import xarray as xr
            except ImportError:
                as_numpy = True
        if as_numpy:
            return array, axes
        return xr.DataArray(array, dims=("checkpoint_step", "coefficient", "component"), name=run,
                            coords={"checkpoint_step": axes["checkpoint_step"],
                                    "coefficient": axes["coefficient"],
                                    "component": axes["component"],
                                    "layer": ("component", axes["layer"]),
                                    "kind": ("component", axes["kind"])})

    def checkpoints(self, run: str, *, as_: str = "pandas"):
        """`attrdb export checkpoints`: the run's checkpoints (checkpoint_step, tokens_seen, matrices,
        weights_sha256: the weights hash `rec.log_weights_hash` logged, empty when none was)."""
        return self._table(["export"], ["checkpoints", "--run", run], as_)

    # -- the query commands: the CLI's options as keyword arguments ----------------------------

    def capacity(self, run: Runs, *, as_: str = "pandas", **options):
        """`attrdb capacity`: mass and share per checkpoint and group (by=, wide=, signed=, squared=, …)."""
        return self._table(["capacity"], _runs(run) + _options(options), as_)

    def top(self, run: Runs, *, as_: str = "pandas", **options):
        """`attrdb top`: the k components with the largest |value| (k=, checkpoint=, coef=, …)."""
        return self._table(["top"], _runs(run) + _options(options), as_)

    def profile(self, run: Runs, *, as_: str = "pandas", **options):
        """`attrdb profile`: values against the coefficient (summary=True for slopes and saturation)."""
        return self._table(["profile"], _runs(run) + _options(options), as_)

    def clusters(self, run: Runs, *, as_: str = "pandas", **options):
        """`attrdb clusters`: components grouped by profile shape (k=, method=, distance=, seed=, centroids=)."""
        return self._table(["clusters"], _runs(run) + _options(options), as_)

    def turnover(self, run: Runs, *, as_: str = "pandas", **options):
        """`attrdb turnover`: components crossing a share cut-off (cutoff=, summary=)."""
        return self._table(["turnover"], _runs(run) + _options(options), as_)

    def concentration(self, run: Runs, *, as_: str = "pandas", **options):
        """`attrdb concentration`: entropy, effective components, Gini, top-k share (top=)."""
        return self._table(["concentration"], _runs(run) + _options(options), as_)

    def norms(self, run: Runs, *, as_: str = "pandas", **options):
        """`attrdb norms`: residual norm growth (wide=True for each hook) or W_OV norms (wov=True)."""
        return self._table(["norms"], _runs(run) + _options(options), as_)

    def compare(self, run_a: str, run_b: str, *, as_: str = "pandas", **options):
        """`attrdb compare`: two runs side by side (what="capacity"|"top", align=, k=)."""
        return self._table(["compare"], _runs([run_a, run_b]) + _options(options), as_)

    def sql(self, statement: str, *, as_: str = "pandas", **options):
        """`attrdb sql`: one read-only statement (max_rows=, timeout=); columns typed by pandas (or
        by polars, `as_="polars"`)."""
        import io

        if as_ not in ("pandas", "polars"):
            raise BadInput(f'as_ must be "pandas" or "polars", got {as_!r}')
        if as_ == "polars":
            pl = _polars.polars()
            csv = self._run(["sql", statement, *_options(options), "--format", "csv"])
            return pl.read_csv(io.BytesIO(csv), infer_schema_length=None) if csv.strip() else pl.DataFrame()
        import pandas as pd

        csv = self._run(["sql", statement, *_options(options), "--format", "csv"])
        if not csv.strip():
            return pd.DataFrame()
        return pd.read_csv(io.BytesIO(csv), **round_trip(pd))

    # -- pictures ------------------------------------------------------------------------------

    def report(self, run: str, **options) -> Report:
        """`attrdb report`: the run's HTML page, shown inline in Jupyter."""
        return Report(self._to_file(["report", *_runs(run), *_options(options)], ".html"))

    def plot(self, kind: str, run: Runs, **options) -> Plot:
        """`attrdb plot KIND`: capacity, shares, profile, clusters, norms or concentration, as SVG."""
        return Plot(self._to_file(["plot", kind, *_runs(run), *_options(options)], ".svg"))

    def _to_file(self, args: List[str], suffix: str) -> str:
        with tempfile.TemporaryDirectory(prefix="attrdb-") as folder:
            path = os.path.join(folder, "out" + suffix)
            self._run([*args, "-o", path])
            with builtins.open(path, encoding="utf-8") as f:
                return f.read()


def open(path: str = "attrdb.sqlite", binary: str | None = None) -> Store:  # noqa: A001 (attrdb.open)
    """Opens the store at `path` (created if missing), with the attrdb binary found as `find_binary` says."""
    return Store(path, binary)
