"""The recorder: logs a run checkpoint by checkpoint from a training loop, through the attrdb binary."""
from __future__ import annotations

import collections
import io
import math
import numbers
import os
import subprocess
import threading
from typing import Any, Iterable, Mapping, Sequence

import numpy as np

from . import _frames
from .errors import AttrdbError, BadInput, StoreError, error_for_status

_INT64 = (-(1 << 63), (1 << 63) - 1)


def _step(step: Any, what: str = "step") -> int:
    """A checkpoint step (or layer) as a Python int, refusing bools, floats with a fraction and
    out-of-range values."""
    if isinstance(step, bool) or not isinstance(step, numbers.Integral):
        if isinstance(step, numbers.Real) and float(step).is_integer():
            step = int(step)
        else:
            raise BadInput(f"{what} must be an integer, got {step!r}")
    step = int(step)
    if not _INT64[0] <= step <= _INT64[1]:
        raise BadInput(f"{what} {step} does not fit a signed 64-bit integer")
    return step


def _number(name: str, value: Any, allow_nonfinite: bool) -> float:
    """A statistic or norm as a float; non-finite values are refused (JSON cannot carry them anyway)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        try:
            value = float(np.asarray(value).item())
        except (TypeError, ValueError):
            raise BadInput(f"{name} must be a number, got {value!r}") from None
    value = float(value)
    if not math.isfinite(value):
        raise BadInput(f"{name} is {value}: statistics and norms must be finite")
    return value


def _header(run: str, coefficients: Sequence[float], components: Sequence[Any], metric: str, scan: str,
            metadata: Mapping[str, Any] | None, tags: Mapping[str, str] | None, replace: bool,
            allow_nonfinite: bool, in_flight: Any, precision: str | None) -> tuple:
    """The stream's header for a recorder's arguments, and the coefficients; raises BadInput for bad ones."""
    if isinstance(in_flight, bool) or not isinstance(in_flight, numbers.Integral) or not 1 <= in_flight <= 64:
        raise BadInput(f"in_flight must be an integer from 1 to 64, got {in_flight!r}")
    if precision not in (None, "f32", "f16", "bf16"):
        raise BadInput(f"precision must be 'f32', 'f16' or 'bf16', got {precision!r}")
    coefs = np.asarray(coefficients, dtype=np.float64).reshape(-1)
    if coefs.size == 0:
        raise BadInput("coefficients is empty")
    if not np.isfinite(coefs).all():
        raise BadInput("coefficients must be finite")
    if len(components) == 0:
        raise BadInput("components is empty")
    metadata = dict(metadata or {})
    header = {
        "run": run, "metric": metric, "scan": scan,
        "coefficients": [float(c) for c in coefs],
        "components": [c if isinstance(c, str) else dict(c) for c in components],
        "model": metadata.get("model"), "task": metadata.get("task"),
        "config": metadata or None,
        "tags": {str(k): str(v) for k, v in tags.items()} if tags else None,
        "replace": bool(replace), "allow_nonfinite": bool(allow_nonfinite),
        # The frames still carry float32: attrdb rounds to the run's precision as it stores them.
        "precision": precision,
    }
    return header, coefs


def spawn(binary: str, db: str) -> subprocess.Popen:
    """Starts `attrdb ingest - --format frames` into `db` for a `Recorder` to take later (its
    `process=`): the binary's start, tens of milliseconds, then overlaps what the caller does
    meanwhile. A process no recorder takes is ended with `discard`: attrdb then stores
    nothing and creates no file."""
    return subprocess.Popen([binary, "--db", db, "ingest", "-", "--format", "frames"], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, bufsize=0)


def discard(process: subprocess.Popen) -> None:
    """Ends a process from `spawn` that was given no stream: closes its pipes and reaps it."""
    for pipe in (process.stdin, process.stdout, process.stderr):
        try:
            pipe.close()
        except OSError:
            pass
    process.wait()


class Recorder:
    """Streams one run into the store through `attrdb ingest - --format frames`.

    Use it as a context manager (`store.recorder(...)`): each `log*` call is one frame (for
    `log_checkpoint`, a group of frames), validated in Python first (so bad input raises `BadInput`
    before anything is sent) and stored in one transaction by the binary. Leaving the block
    normally marks the run complete; leaving it by an exception leaves the run incomplete with every
    logged step kept.

    Up to `in_flight` calls are on their way at once: a call returns once its frames are written to
    the binary, and waits for the acknowledgement of the call `in_flight - 1` calls before it, so
    Python prepares the next checkpoint while the binary commits this one. The binary acknowledges in
    order, so the recorder always knows which frames are stored (`frames_stored`, `steps_stored`). An error
    the binary reports for a frame is raised by the call that waits for that frame's acknowledgement
    (a later `log*`, `flush()` or the end of the block), its `.call` naming the call whose frame was
    refused; every frame before it is stored, none after it. `in_flight=1` waits for each frame's
    acknowledgement before the call returns.

    `process`: a binary started earlier with `spawn(binary, db)`, so that its start overlapped other
    work; by default the recorder starts one. A recorder whose arguments are refused ends it.
    `wait_for_header=False` returns without waiting for the binary to register the run (its first
    commit, synced to disk): the caller goes on meanwhile, and a run the binary refuses is raised by
    the next call that waits for an acknowledgement, its `.call` being "the header"."""

    def __init__(self, binary: str, db: str, run: str, *, coefficients: Sequence[float],
                 components: Sequence[Any], metric: str, scan: str = "default",
                 metadata: Mapping[str, Any] | None = None, tags: Mapping[str, str] | None = None,
                 replace: bool = False, allow_nonfinite: bool = False, in_flight: int = 4,
                 precision: str | None = None, process: subprocess.Popen | None = None,
                 wait_for_header: bool = True):
        try:
            header, coefs = _header(run, coefficients, components, metric, scan, metadata, tags, replace,
                                    allow_nonfinite, in_flight, precision)
        except BaseException:
            if process is not None:
                discard(process)
            raise
        self.run = run
        self.shape = (coefs.size, len(components))
        self.allow_nonfinite = allow_nonfinite
        self._frame = 0
        self._closed = False
        self._in_flight = int(in_flight)
        # What each call sent and not yet acknowledged: ("log(5)", 5, 1) for a checkpoint,
        # ("log_stats(5)", None, 1) otherwise, ("log_checkpoint(5)", [5], n) for a group of n frames
        # (the steps of every checkpoint in it).
        # Acknowledgements arrive in order: the left end is next.
        self._pending: collections.deque = collections.deque()
        self.frames_stored = 0
        """Frames the binary acknowledged (the header counts as one)."""
        self.steps_stored: list = []
        """Steps whose `log` the binary acknowledged, in the order they were logged."""
        self._proc = process if process is not None else spawn(binary, db)
        # stderr is drained on a thread so a chatty binary can never fill the pipe and stall both sides.
        self._stderr = bytearray()
        self._stderr_reader = threading.Thread(target=self._drain_stderr, daemon=True)
        self._stderr_reader.start()
        # Buffered: acknowledgements of frames in flight arrive together and are read in one call.
        self._acks = io.BufferedReader(self._proc.stdout, 4096)
        try:
            self._send([_frames.MAGIC, _frames.json_frame(_frames.HEADER, header)], "the header")
            if wait_for_header:
                self._wait(0)  # the run is registered (or refused) before the constructor returns
        except BaseException:
            self._abandon()
            raise

    # -- logging -------------------------------------------------------------------------------

    def log(self, step: int, values: Any) -> None:
        """Stores the checkpoint `step`: `values` of shape (n_coefficients, n_components), anything
        numpy converts to float32 (a CPU torch tensor via `np.asarray`). One transaction."""
        step = _step(step)
        self._send(self._checkpoint_frame(step, values), f"log({step})", step)

    def log_checkpoint(self, step: int, values: Any, *, stats: Mapping[str, float] | None = None,
                       resid_norms: Mapping[Any, float] | None = None, wov_norms: Any = None,
                       weights_hash: Any = None) -> None:
        """Stores the checkpoint `step` with what else is known of it, in one transaction: its
        `values` (as `log`), and when given its statistics ({name: value}, as `log_stats`), residual
        norms (as `log_resid_norms`, hook resid_pre unless the keys say), W_OV norms (as
        `log_wov_norms`) and weights hash (as `log_weights_hash`). Stored whole or not at all: a
        conflict in any part (a statistic stored with another value, say) leaves every part
        unstored. Everything is checked before anything is sent. One commit instead of one per part,
        which is what makes it cheaper than the separate calls."""
        step = _step(step)
        self._send_checkpoints([(step, self._checkpoint_frames(step, values, stats, resid_norms, wov_norms, weights_hash))])

    def log_checkpoints(self, checkpoints: Iterable[Mapping[str, Any]]) -> None:
        """Stores several checkpoints in one transaction, each a mapping of `log_checkpoint`'s
        arguments (`step`, `values`, and when known `stats`, `resid_norms`, `wov_norms`,
        `weights_hash`): all of them stored or none. Everything is checked before anything is sent.
        For a small model scanned every few tens of milliseconds the commit is most of what storing
        a checkpoint costs; one commit for several costs the binary a third as much a checkpoint."""
        checked = []
        for checkpoint in checkpoints:
            extra = set(checkpoint) - {"step", "values", "stats", "resid_norms", "wov_norms", "weights_hash"}
            if extra or "step" not in checkpoint or "values" not in checkpoint:
                raise BadInput(f"log_checkpoints takes mappings of step, values, stats, resid_norms, wov_norms and "
                               f"weights_hash; got the keys {sorted(map(str, checkpoint))}")
            step = _step(checkpoint["step"])
            parts = {key: value for key, value in checkpoint.items() if key not in ("step", "values")}
            checked.append((step, self._checkpoint_frames(step, checkpoint["values"], **parts)))
        self._send_checkpoints(checked)

    def _checkpoint_frames(self, step: int, values: Any, stats: Mapping[str, float] | None = None,
                           resid_norms: Mapping[Any, float] | None = None, wov_norms: Any = None,
                           weights_hash: Any = None) -> list:
        """The frames of one `log_checkpoint`, each as the list of its parts; raises `BadInput` first."""
        frames = []
        if weights_hash is not None:
            frames.append(self._weights_hash_frame(step, weights_hash))
        if stats:
            frames.append(self._stats_frame(step, stats))
        if resid_norms:
            frames.append(self._resid_norms_frame(step, resid_norms, "resid_pre"))
        if wov_norms is not None:
            frames.append(self._wov_norms_frame(step, wov_norms))
        frames.append(self._checkpoint_frame(step, values))
        return frames

    def _send_checkpoints(self, checked: Sequence[tuple]) -> None:
        """Sends checkpoints as one group, one transaction: each a (step, `_checkpoint_frames`)."""
        if not checked:
            return
        steps = [step for step, _ in checked]
        call = f"log_checkpoint({steps[0]})" if len(steps) == 1 else f"log_checkpoints({', '.join(map(str, steps))})"
        frames = [frame for _, group in checked for frame in group]
        # A G frame makes the binary commit the frames after it together (docs/stream-format.md).
        parts = [_frames.json_frame(_frames.GROUP, {"frames": len(frames)})]
        for frame in frames:
            parts += frame
        self._send(parts, call, steps, frames=len(frames) + 1)

    def _checkpoint_frame(self, step: int, values: Any) -> list:
        array = np.asarray(values)
        if array.dtype.kind not in "fiu":
            raise BadInput(f"step {step}: values must be numeric, got dtype {array.dtype}")
        if array.shape != self.shape:
            raise BadInput(f"step {step}: values have shape {array.shape}, expected {self.shape} "
                           "(n_coefficients, n_components)")
        array = np.ascontiguousarray(array, dtype="<f4")
        if not self.allow_nonfinite and not np.isfinite(array).all():
            bad = np.argwhere(~np.isfinite(array))[0]
            raise BadInput(f"step {step}: non-finite value {array[tuple(bad)]} at coefficient {bad[0]}, "
                           f"component {bad[1]} (open the recorder with allow_nonfinite=True to store it)")
        return [_frames.checkpoint_head(step, array.size), memoryview(array).cast("B")]

    def log_stats(self, step: int, **values: float) -> None:
        """Stores checkpoint statistics (train_loss=…, test_acc=…) for `step`."""
        step = _step(step)
        self._send(self._stats_frame(step, values), f"log_stats({step})")

    def _stats_frame(self, step: int, values: Mapping[str, Any]) -> list:
        if not values:
            raise BadInput(f"step {step}: log_stats needs at least one statistic")
        stats = {name: _number(name, v, False) for name, v in values.items()}
        return [_frames.json_frame(_frames.STATISTICS, {"step": step, "values": stats})]

    def log_resid_norms(self, step: int, norms: Mapping[int, float], hook: str = "resid_pre") -> None:
        """Stores residual-stream norms for `step`: {layer: norm}, all at `hook` (resid_pre or
        resid_post); or {(layer, hook): norm} to mix hooks."""
        step = _step(step)
        self._send(self._resid_norms_frame(step, norms, hook), f"log_resid_norms({step})")

    def _resid_norms_frame(self, step: int, norms: Mapping[Any, float], hook: str) -> list:
        rows = []
        for key, norm in norms.items():
            layer, h = key if isinstance(key, tuple) else (key, hook)
            if h not in ("resid_pre", "resid_post"):
                raise BadInput(f"step {step}: hook must be resid_pre or resid_post, got {h!r}")
            rows.append({"layer": _step(layer, "layer"), "hook": h, "norm": _number(f"norm of layer {layer}", norm, False)})
        return [_frames.json_frame(_frames.RESID_NORMS, {"step": step, "norms": rows})]

    def log_wov_norms(self, step: int, norms: Any) -> None:
        """Stores W_OV Frobenius norms for `step`: an array of shape (n_layers, n_heads)."""
        step = _step(step)
        self._send(self._wov_norms_frame(step, norms), f"log_wov_norms({step})")

    def _wov_norms_frame(self, step: int, norms: Any) -> list:
        array = np.asarray(norms)
        if array.ndim != 2 or array.dtype.kind not in "fiu":
            raise BadInput(f"step {step}: W_OV norms must be a numeric array (n_layers, n_heads), "
                           f"got shape {array.shape} dtype {array.dtype}")
        array = array.astype(np.float64)
        if not np.isfinite(array).all():
            raise BadInput(f"step {step}: W_OV norms must be finite")
        return [_frames.json_frame(_frames.WOV_NORMS, {"step": step, "norms": array.tolist()})]

    def log_weights_hash(self, step: int, sha256: Any) -> None:
        """Stores the SHA-256 of the model's weights at `step`: 64 hex digits, or the 32-byte digest
        (`hashlib.sha256(...).digest()`). Logging the same hash again changes nothing; another hash for
        a step that has one raises `Conflict` unless the recorder was opened with `replace=True`.
        `attrdb check` warns, and `attrdb show` flags, steps of one run with identical weights."""
        step = _step(step)
        self._send(self._weights_hash_frame(step, sha256), f"log_weights_hash({step})")

    def _weights_hash_frame(self, step: int, sha256: Any) -> list:
        if isinstance(sha256, (bytes, bytearray, memoryview)):
            digest = bytes(sha256)
            if len(digest) != 32:
                raise BadInput(f"step {step}: a SHA-256 digest is 32 bytes, got {len(digest)}")
            text = digest.hex()
        elif isinstance(sha256, str):
            text = sha256.lower()
            if len(text) != 64 or any(c not in "0123456789abcdef" for c in text):
                raise BadInput(f"step {step}: a SHA-256 is 64 hex digits, got {sha256[:80]!r} ({len(sha256)} characters)")
        else:
            raise BadInput(f"step {step}: sha256 must be 64 hex digits or 32 bytes, got {type(sha256).__name__}")
        return [_frames.json_frame(_frames.WEIGHTS_HASH, {"step": step, "sha256": text})]

    def flush(self) -> None:
        """Waits until every frame logged so far is stored (or raises the binary's error for it)."""
        if not self._closed:
            self._wait(0)

    # -- ending --------------------------------------------------------------------------------

    def close(self, complete: bool = True) -> None:
        """Ends the stream: with `complete` the run is marked complete (an `E` frame), else the stream
        just ends and the run stays incomplete. Waits until every frame is stored. Idempotent."""
        if self._closed:
            return
        if complete:
            self._send([_frames.json_frame(_frames.END, {"complete": True})], "close()")
        self._wait(0)
        self._finish()

    def __enter__(self) -> "Recorder":
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is None:
            self.close(complete=True)
        else:
            self._abandon()

    # -- the pipe ------------------------------------------------------------------------------

    def _drain_stderr(self) -> None:
        for chunk in iter(lambda: self._proc.stderr.read(65536), b""):
            self._stderr.extend(chunk)

    def _send(self, parts: Sequence[Any], call: str, step: int | list | None = None, frames: int = 1) -> None:
        """Writes one call's `frames` frames — their parts in one `writev`, without joining them: a
        checkpoint's values are not copied — then waits until at most `in_flight - 1` calls are
        unacknowledged; raises the binary's error if it refused a frame meanwhile."""
        if self._closed:
            raise StoreError(f"the recorder of run {self.run!r} is closed")
        self._pending.append((call, step, frames))
        try:
            self._write(parts)
        except BrokenPipeError:
            self._wait(0)  # the binary exited: its acknowledgements, then its error
        self._frame += frames
        self._wait(self._in_flight - 1)

    def _write(self, parts: Sequence[Any]) -> None:
        fd = self._proc.stdin.fileno()
        views = [memoryview(part).cast("B") for part in parts]
        while views:
            written = os.writev(fd, views)
            # A pipe takes a blocking write whole; a signal may cut it short: write the rest.
            while views and written >= len(views[0]):
                written -= len(views[0])
                views.pop(0)
            if views and written:
                views[0] = views[0][written:]

    def _wait(self, unacknowledged: int) -> None:
        """Reads acknowledgements until at most `unacknowledged` calls lack theirs: one `ok` per
        frame, a grouped call's all at once after its commit."""
        while len(self._pending) > unacknowledged:
            _, step, frames = self._pending[0]
            for _ in range(frames):
                try:
                    line = self._acks.readline()
                except OSError:
                    line = b""
                if line != b"ok\n":
                    self._fail(line)
                self.frames_stored += 1
            self._pending.popleft()
            if isinstance(step, list):
                self.steps_stored += step
            elif step is not None:
                self.steps_stored.append(step)

    def _fail(self, line: bytes) -> None:
        """The frame at the left of `_pending` was refused: ends the stream and raises the binary's
        error, naming the call that sent the frame (`.call`)."""
        self._closed = True
        call = self._pending[0][0] if self._pending else "the stream"
        try:
            self._proc.stdin.close()
        except OSError:
            pass
        status = self._proc.wait()
        self._stderr_reader.join()
        stderr = self._stderr.decode("utf-8", "replace")
        if status == 0:
            error: AttrdbError = StoreError(f"attrdb answered {line!r} instead of ok and exited 0: {stderr.strip()}")
        else:
            error = error_for_status(status, stderr)
        error.call = call
        if hasattr(error, "add_note"):
            error.add_note(f"attrdb refused the frame of {call}; the {self.frames_stored} frames before it are "
                           "stored, nothing after it")
        raise error

    def _finish(self) -> None:
        self._closed = True
        self._proc.stdin.close()
        status = self._proc.wait()
        self._stderr_reader.join()
        self._proc.stdout.close()
        if status != 0:
            raise error_for_status(status, self._stderr.decode("utf-8", "replace"))

    def _abandon(self) -> None:
        """Ends the stream without `E`: the binary keeps every committed frame and leaves the run
        incomplete. Errors are not raised here: the exception that got us here is the one to see."""
        if self._closed:
            return
        self._closed = True
        try:
            self._proc.stdin.close()
        except OSError:
            pass
        self._proc.wait()
        self._stderr_reader.join()
        self._proc.stdout.close()
