"""The injection-coefficient scan over training checkpoints, on TransformerLens, logged as it runs.

    from attrdb import scan
    r = scan.injection_scan(model, prompt, counterfactual, hook="blocks.1.hook_resid_pre",
                            answer=37, counter_answer=19)
    scan.scan_checkpoints(store, "run", ((step, loader) ...), prompt=..., counterfactual=..., ...)

Needs the extra `attrdb[scan]` (torch and a TransformerLens that has `HookedTransformer`).
"""
from __future__ import annotations

import collections
import copy
import hashlib
import math
import numbers
import re
import time
from concurrent import futures
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, Callable, Deque, Dict, Iterable, List, Mapping, Optional, Sequence, Set, Tuple, Union

import numpy as np

try:
    import torch
    from transformer_lens import ActivationCache, HookedTransformer
except ImportError as error:  # pragma: no cover - the message is the point
    raise ImportError("attrdb.scan needs torch and transformer-lens: pip install 'attrdb[scan]' "
                      f"({error})") from error

from .errors import BadInput, StoreError
from .recorder import discard
from .values import connect_read_only

#: The default coefficient grid: 128 values from −10 to 10.
DEFAULT_COEFFICIENTS = np.linspace(-10.0, 10.0, 128)

_RESID_HOOK = re.compile(r"^blocks\.(\d+)\.hook_resid_(pre|mid|post)$")
# The activations get_full_resid_decomposition and apply_ln_to_stack read (embeddings, head z, MLP
# outputs and neurons, the final LayerNorm's scale), each with the position at dim 1.
_DECOMPOSED = re.compile(r"^(hook_embed|hook_pos_embed|ln_final\.hook_scale|"
                         r"blocks\.\d+\.(attn\.hook_z|hook_mlp_out|mlp\.hook_post))$")

# The dtypes weights_hash reads through numpy, whose bytes are torch's (bfloat16 and the rest go by torch).
_NUMPY_DTYPES = frozenset({torch.float64, torch.float32, torch.float16, torch.int64, torch.int32, torch.int16,
                           torch.int8, torch.uint8, torch.bool})

Tokens = Union[str, Sequence[int], np.ndarray, "torch.Tensor"]
Answer = Union[int, str]


@dataclass(frozen=True)
class ScanResult:
    """One checkpoint's scan: `values[i, j]` is component `labels[j]`'s contribution to the logit
    difference at `coefficients[i]`."""

    values: np.ndarray          #: float32 (n_coefficients, n_components)
    labels: List[str]           #: TransformerLens labels, in the decomposition's order
    coefficients: np.ndarray    #: float64 (n_coefficients,)
    logit_diff: np.ndarray      #: float64 (n_coefficients,): the model's own logit difference
    identity_error: float       #: max |reconstruction − logit_diff| / max |logit_diff| over the grid


# -- inputs ------------------------------------------------------------------------------------------


def _tokens(model: HookedTransformer, prompt: Tokens, what: str) -> "torch.Tensor":
    """A prompt as a (1, pos) tensor of token ids: a string through the model's tokenizer (with its
    BOS rule, as `model.to_tokens`), ids as given."""
    if isinstance(prompt, str):
        if model.tokenizer is None:
            raise BadInput(f"{what} is a string but the model has no tokenizer; pass token ids")
        return model.to_tokens(prompt)
    try:
        ids = torch.as_tensor(np.asarray(prompt.cpu() if isinstance(prompt, torch.Tensor) else prompt))
    except (TypeError, ValueError):
        raise BadInput(f"{what} must be a string or token ids, got {type(prompt).__name__}") from None
    if ids.dim() == 2 and ids.shape[0] == 1:
        ids = ids[0]
    if ids.dim() != 1 or ids.numel() == 0:
        raise BadInput(f"{what} must be a non-empty sequence of token ids, got shape {tuple(ids.shape)}")
    if ids.dtype.is_floating_point or ids.dtype == torch.bool or ids.is_complex():
        raise BadInput(f"{what}: token ids must be integers, got {ids.dtype}")
    bad = (ids < 0) | (ids >= model.cfg.d_vocab)
    if bad.any():
        i = int(bad.nonzero()[0])
        raise BadInput(f"{what}: token {int(ids[i])} at position {i} is outside the vocabulary "
                       f"[0, {model.cfg.d_vocab})")
    if model.cfg.n_ctx and ids.numel() > model.cfg.n_ctx:
        raise BadInput(f"{what} has {ids.numel()} tokens, more than the model's context of {model.cfg.n_ctx}")
    return ids.to(torch.long)[None].to(model.cfg.device)


def _token(model: HookedTransformer, answer: Answer, what: str) -> int:
    """An answer token id: an int, or a string that the tokenizer makes one token."""
    if isinstance(answer, str):
        if model.tokenizer is None:
            raise BadInput(f"{what} is a string but the model has no tokenizer; pass a token id")
        try:
            return int(model.to_single_token(answer))
        except Exception as error:  # TransformerLens raises AssertionError for several tokens
            raise BadInput(f"{what} {answer!r} is not a single token: {error}") from None
    if isinstance(answer, bool) or not isinstance(answer, numbers.Integral):
        raise BadInput(f"{what} must be a token id or a string, got {answer!r}")
    if not 0 <= int(answer) < model.cfg.d_vocab:
        raise BadInput(f"{what} {answer} is outside the vocabulary [0, {model.cfg.d_vocab})")
    return int(answer)


def _check_hook(model: HookedTransformer, hook: str) -> str:
    """The hook, if it is a residual-stream hook of this model: the steering vector is added to the
    residual stream, which is what makes the decomposition's identity hold."""
    match = _RESID_HOOK.match(hook) if isinstance(hook, str) else None
    if not match or hook not in model.hook_dict:
        raise BadInput(f"hook {hook!r} is not a residual-stream hook of this model: expected "
                       f"blocks.L.hook_resid_pre, hook_resid_mid or hook_resid_post with L in "
                       f"0..{model.cfg.n_layers - 1}")
    return hook


def _coefficients(coefficients: Any) -> np.ndarray:
    coefs = np.asarray(coefficients, dtype=np.float64).reshape(-1)
    if coefs.size == 0:
        raise BadInput("coefficients is empty")
    if not np.isfinite(coefs).all():
        raise BadInput("coefficients must be finite")
    return coefs


def _processed(model: HookedTransformer) -> HookedTransformer:
    """The model with its weights processed as `HookedTransformer.from_pretrained` does by default
    (fold_ln, center_writing_weights, center_unembed), a copy when it is not already: with a
    LayerNorm's weight and bias folded away, the final LayerNorm is a division by the cached scale,
    so the components add up to the logits exactly. The model given is never modified."""
    norm = model.cfg.normalization_type
    if norm not in ("LN", "RMS"):
        return model  # already folded (LNPre, RMSPre) or no normalisation: nothing to fold
    processed = copy.deepcopy(model)
    # Centring the writing weights leaves the computation unchanged only under a centring LayerNorm.
    processed.process_weights_(fold_ln=True, center_writing_weights=norm == "LN", center_unembed=True)
    processed.eval()
    return processed


# -- the scan ----------------------------------------------------------------------------------------


def injection_scan(model: HookedTransformer, prompt: Tokens, counterfactual: Tokens, *, hook: str,
                   answer: Answer, counter_answer: Answer, coefficients: Any = DEFAULT_COEFFICIENTS,
                   expand_neurons: bool = False) -> ScanResult:
    """The injection-coefficient scan of one model (issue 12's method).

    The steering vector resid(counterfactual) − resid(prompt) at `hook` (every position) is added,
    scaled by each coefficient, to the prompt repeated once per coefficient (one batch); the final
    position's residual stream is decomposed per component
    (`get_full_resid_decomposition(expand_neurons=…, pos_slice=-1)`), scaled by the final LayerNorm
    (`apply_ln_to_stack(…, layer=-1, pos_slice=-1)`) and dotted with W_U[:, answer] −
    W_U[:, counter_answer]. Runs on a weight-processed copy when the model is not processed, so that
    components + the injected vector's term + the unembedding-bias difference = the logit difference;
    `identity_error` is how far from that the computation came."""
    if not isinstance(model, HookedTransformer):
        raise BadInput(f"model must be a transformer_lens.HookedTransformer, got {type(model).__name__}")
    _check_hook(model, hook)
    coefs = _coefficients(coefficients)
    tokens = _tokens(model, prompt, "prompt")
    counter = _tokens(model, counterfactual, "counterfactual")
    if tokens.shape != counter.shape:
        raise BadInput(f"prompt has {tokens.shape[1]} tokens and counterfactual {counter.shape[1]}: "
                       "the steering vector needs prompts of the same length")
    a = _token(model, answer, "answer")
    b = _token(model, counter_answer, "counter_answer")

    with torch.inference_mode():
        tl = _processed(model)
        _, clean = tl.run_with_cache(tokens, names_filter=hook)
        _, cf = tl.run_with_cache(counter, names_filter=hook)
        vector = cf[hook][0] - clean[hook][0]                                  # (pos, d_model)
        scale = torch.as_tensor(coefs, dtype=vector.dtype, device=vector.device)[:, None, None]

        def inject(resid, hook):  # noqa: ARG001 (TransformerLens passes the hook point)
            return resid + scale * vector

        with tl.hooks(fwd_hooks=[(hook, inject)]):
            logits, full = tl.run_with_cache(tokens.expand(coefs.size, -1),
                                             names_filter=lambda name: bool(_DECOMPOSED.match(name)))
        # Only the final position is decomposed: slicing the cache to it first spares TransformerLens
        # computing every head's output at every position (measured: half the scan's time at 10 M
        # parameters). pos_slice=-1 below then picks that one position, as on the full cache.
        cache = ActivationCache({name: act[:, -1:] for name, act in full.items()}, tl)
        direction = tl.W_U[:, a] - tl.W_U[:, b]
        if expand_neurons:
            # Every neuron's write as a d_model vector would be n_neurons × n_coef × d_model floats
            # (1.5 GB for 5 layers of 1536 neurons at d_model 384): TransformerLens projects onto the
            # direction before expanding, with the same cached-scale LayerNorm, so only the
            # (n_comp, n_coef) values are ever held.
            values, labels = cache.get_full_resid_decomposition(
                expand_neurons=True, pos_slice=-1, return_labels=True, apply_ln=True,
                project_output_onto=direction)
        else:
            stack, labels = cache.get_full_resid_decomposition(expand_neurons=False, pos_slice=-1,
                                                               return_labels=True)
            stack = cache.apply_ln_to_stack(stack, layer=-1, pos_slice=-1)   # (n_comp, n_coef, d_model)
            values = stack @ direction                                        # (n_comp, n_coef)
        injected = cache.apply_ln_to_stack((scale[:, 0, :] * vector[-1])[None], layer=-1, pos_slice=-1)[0]
        logit_diff = (logits[:, -1, a] - logits[:, -1, b]).double()
        reconstruction = (values.double().sum(0) + (injected @ direction).double()
                          + float(tl.b_U[a] - tl.b_U[b]))
        size = float(logit_diff.abs().max())
        error = float((reconstruction - logit_diff).abs().max()) / max(size, 1e-12)
        out = values.T.float().cpu().numpy()
    return ScanResult(values=np.ascontiguousarray(out), labels=list(labels), coefficients=coefs,
                      logit_diff=logit_diff.cpu().numpy(), identity_error=error)


# -- circuit economics and the weights hash ----------------------------------------------------------


def economics(model: HookedTransformer, tokens: Tokens) -> Dict[str, Any]:
    """The circuit-economics quantities of the model as given: `resid_norms`, the mean L2 norm over
    the batch of the final position's residual stream at each layer's `resid_pre` ({layer: norm}) and
    at the last `resid_post` (key `(n_layers, "resid_post")`, as attrdb stores it) — a mapping
    `Recorder.log_resid_norms` takes as is; and `wov_norms`, the Frobenius norm of W_V·W_O per head,
    float64 (n_layers, n_heads)."""
    if isinstance(tokens, str):
        ids = _tokens(model, tokens, "tokens")
    else:
        ids = torch.as_tensor(np.asarray(tokens.cpu() if isinstance(tokens, torch.Tensor) else tokens))
        ids = _tokens(model, ids, "tokens") if ids.dim() == 1 or ids.shape[0] == 1 else \
            torch.cat([_tokens(model, row, f"tokens row {i}") for i, row in enumerate(ids)])
    n_layers = model.cfg.n_layers
    last = f"blocks.{n_layers - 1}.hook_resid_post"
    with torch.inference_mode():
        _, cache = model.run_with_cache(ids, names_filter=lambda name: name.endswith("hook_resid_pre")
                                        or name == last)
        resid_norms: Dict[Any, float] = {
            layer: float(cache[f"blocks.{layer}.hook_resid_pre"][:, -1].double().norm(dim=-1).mean())
            for layer in range(n_layers)}
        resid_norms[(n_layers, "resid_post")] = float(cache[last][:, -1].double().norm(dim=-1).mean())
        wov = torch.linalg.matrix_norm((model.W_V.double() @ model.W_O.double()), ord="fro")
    return {"resid_norms": resid_norms, "wov_norms": wov.cpu().numpy()}


def weights_hash(model: "torch.nn.Module") -> str:
    """SHA-256 (hex) of the state dict: for each entry in sorted key order, its name, dtype and shape,
    then its raw bytes (C order). Two checkpoints with the same hash have identical weights."""
    return _state_hash(model.state_dict())


def _state_hash(state: Mapping[str, "torch.Tensor"]) -> str:
    """`weights_hash` of a state dict."""
    digest = hashlib.sha256()
    for key in sorted(state):
        tensor = state[key]
        dtype = tensor.dtype
        digest.update(f"{key}\0{dtype}\0{tuple(tensor.shape)}\0".encode())
        if tensor.device.type == "cpu" and dtype in _NUMPY_DTYPES:
            # One torch call instead of six: a scan hashes every checkpoint on a thread, and each
            # torch call holds the GIL the scan needs (0.8 ms per checkpoint of the tiny model). The
            # state dict's tensors are detached; numpy's view of them has the same bytes, in C order
            # when contiguous and through tobytes() (a C-order copy) when not.
            array = tensor.numpy()
            digest.update(array.data if array.flags.c_contiguous else array.tobytes())
        else:
            tensor = tensor.detach().cpu().contiguous()
            # Viewed as bytes, any dtype (bfloat16 too, which numpy lacks) hashes without conversion.
            digest.update(tensor.reshape(-1).view(torch.uint8).numpy().data)
    return digest.hexdigest()


# -- over checkpoints, logged ------------------------------------------------------------------------


def stored_steps(store: Any, run: str, scan: str = "default", metric: str = "logit_diff") -> Set[int]:
    """The steps of `run` whose values for (`scan`, `metric`) are stored; empty when the run is not."""
    try:
        con = connect_read_only(store.path)
    except StoreError:
        return set()
    try:
        rows = con.execute(
            "SELECT c.step FROM attribution a JOIN checkpoint c USING (checkpoint_id) "
            "JOIN scan s ON s.scan_id = a.scan_id JOIN run r ON r.run_id = s.run_id "
            "JOIN metric m ON m.metric_id = a.metric_id WHERE r.name = ? AND s.name = ? AND m.name = ?",
            (run, scan, metric)).fetchall()
    finally:
        con.close()
    return {int(r[0]) for r in rows}


def _stored_labels(store: Any, run: str) -> List[str]:
    con = connect_read_only(store.path)
    try:
        return [r[0] for r in con.execute(
            "SELECT label FROM component JOIN run USING (run_id) WHERE run.name = ? ORDER BY position", (run,))]
    finally:
        con.close()


def _plain(tokens: Any) -> Any:
    """Prompts and answers for the run's JSON config: strings as they are, token ids as ints."""
    if isinstance(tokens, str):
        return tokens
    if isinstance(tokens, torch.Tensor):
        tokens = tokens.cpu()
    array = np.asarray(tokens)
    return int(array) if array.ndim == 0 else [int(t) for t in array.reshape(-1)]


def _progress(total: Optional[int], run: str, enabled: bool):
    """A tqdm bar when tqdm is installed and `enabled`, else None (quiet)."""
    if not enabled:
        return None
    try:
        from tqdm.auto import tqdm
    except ImportError:
        return None
    return tqdm(total=total, desc=run, unit="checkpoint")


def scan_checkpoints(store: Any, run: str, checkpoints: Iterable[Tuple[int, Any]], *, prompt: Tokens,
                     counterfactual: Tokens, hook: str, answer: Answer, counter_answer: Answer,
                     coefficients: Any = DEFAULT_COEFFICIENTS, expand_neurons: bool = False,
                     stats: Optional[Callable[[HookedTransformer], Mapping[str, float]]] = None,
                     metric: str = "logit_diff", scan: str = "default",
                     metadata: Optional[Mapping[str, Any]] = None, tags: Optional[Mapping[str, str]] = None,
                     progress: bool = True) -> List[int]:
    """Scans every checkpoint and logs it into `store` as run `run` while it runs; returns the steps
    scanned now.

    `checkpoints` yields `(step, model)` or `(step, loader)`, a loader being a callable returning the
    model (so one model is held at a time). Per checkpoint it logs, in one transaction
    (`Recorder.log_checkpoint`), the values, its weights hash, `stats(model)` and
    `decomposition_rel_err` (the identity error) as statistics, and the economics (residual norms
    over the prompt, W_OV norms): a checkpoint is stored whole or not at all. Resumable: steps
    already stored are skipped without loading their model, and an incomplete run is reopened.
    Nothing is stored before the first checkpoint scanned without error (a wrong hook or token fails
    first).

    What attrdb adds is kept off the scan's path where that pays: a large model's weights are hashed
    on a thread while the same checkpoint is scanned (the model is not modified meanwhile: the
    iterable, which may train it in place, is advanced and `stats` called only once the hash is
    done), and a large checkpoint is logged on another thread while the next one is scanned. A small
    model's hash and checkpoint take less time than handing them to a thread (`_Logger`). The
    binary starts when the scan begins; the recorder is opened on it with the first checkpoint."""
    coefs = _coefficients(coefficients)
    done = stored_steps(store, run, scan, metric)
    # A generator is read lazily (one model at a time); a sized iterable also gives the bar its total.
    bar = _progress(len(checkpoints) if hasattr(checkpoints, "__len__") else None, run, progress)
    info = {"method": "attrdb.scan.injection_scan", "hook": hook, "expand_neurons": bool(expand_neurons),
            "answer": _plain(answer), "counter_answer": _plain(counter_answer),
            "prompt": _plain(prompt), "counterfactual": _plain(counterfactual)}
    info.update(metadata or {})

    def open_recorder(labels: Sequence[str], process: Any) -> Any:
        return store.recorder(run, coefficients=coefs, components=labels, metric=metric, scan=scan,
                              metadata=info, tags=tags, process=process, wait_for_header=False)

    # The binary starts now, while the first checkpoint is scanned; the header, which needs the
    # component labels, follows once it is.
    logger = _Logger(store.spawn(), open_recorder)
    scanned: List[int] = []
    try:
        for step, source in checkpoints:
            if int(step) in done:
                if bar is not None:
                    bar.update(1)
                continue
            model = source if isinstance(source, torch.nn.Module) else source()
            if not isinstance(model, HookedTransformer):
                raise BadInput(f"step {step}: the checkpoint (or its loader) gave a {type(model).__name__}, "
                               "not a transformer_lens.HookedTransformer")
            if "model" not in info and getattr(model.cfg, "model_name", None):
                info["model"] = model.cfg.model_name
            started = time.perf_counter()
            hashing = logger.hash(model)
            try:
                result = injection_scan(model, prompt, counterfactual, hook=hook, answer=answer,
                                        counter_answer=counter_answer, coefficients=coefs,
                                        expand_neurons=expand_neurons)
                econ = economics(model, prompt)
            finally:
                futures.wait([hashing])  # the model is the caller's again only once it is hashed
            digest = hashing.result()
            extra = dict(stats(model)) if stats is not None else {}
            logger.submit(int(step), result, econ, extra, digest)
            scanned.append(int(step))
            if bar is not None:
                elapsed = time.perf_counter() - started
                bar.set_postfix(step=int(step), values_per_s=f"{result.values.size / max(elapsed, 1e-9):.3g}")
                bar.update(1)
            del model
        logger.wait()
        if logger.rec is None:
            if not done:
                raise BadInput(f"run {run!r}: no checkpoints to scan")
            # Every step was stored by an earlier call: reopen the run only to mark it complete.
            logger.rec = logger.open(_stored_labels(store, run))
    except BaseException:
        logger.abandon()  # the exception raised here is the one to see
        raise
    finally:
        if bar is not None:
            bar.close()
    logger.close()
    return scanned


class _Logger:
    """The scan's logging, beside the scan: a large model's weights are hashed on a thread while it
    is scanned (hashlib releases the GIL), and a large checkpoint is written on another while the
    next ones are scanned — creating the recorder with the first, on the binary started when the
    scan began. Writes run one at a time in step order; up to `depth` checkpoints may wait for
    theirs, so that a slow moment of the binary (a busy disk) does not stop the scan, while memory
    holds at most `depth` pending results. A write's error is raised by a later `submit` or by
    `wait`.

    Small work is done on the scan's own thread instead (``INLINE_HASH_BYTES``,
    ``INLINE_WRITE_BYTES``): for a small model the scan holds the GIL nearly all the time, and a
    thread's few hundred microseconds of Python then cost the scan more in handing the GIL back and
    forth than the work itself. Small checkpoints that come fast are written several to a
    transaction (``BATCH_SECONDS``). On the tiny model of Benchmarks/bench_scan.py (32 checkpoints of
    ~44 ms, 2 cores, alternating A/B rounds) the threads added 205 and 120 ms of wall time and 296
    and 208 ms of CPU; the same work inline added 137 and 84 ms, and 196 and 123 ms of CPU."""

    #: Weights of at most this many bytes are hashed on the scan's thread (about 2 ms of hashing).
    INLINE_HASH_BYTES = 4 << 20
    #: Checkpoints of at most this many bytes of values are written on the scan's thread: their
    #: frames fit in the pipe the binary reads (which it enlarges to 1 MiB), so writing them never
    #: waits for the binary.
    INLINE_WRITE_BYTES = 256 << 10
    #: Such a checkpoint scanned within this many seconds of the last write waits for the next
    #: ones, and they are written together, in one transaction (`Recorder.log_checkpoints`): a
    #: commit writes the same pages of the store's tables and indexes whatever it holds, and for a
    #: small model that was most of what storing a checkpoint cost the binary (1.7 ms a checkpoint
    #: of the tiny model one a commit, 0.64 ms eight a commit). A slower scan writes each at once.
    BATCH_SECONDS = 0.25
    #: At most this many checkpoints a transaction.
    BATCH_CHECKPOINTS = 16

    def __init__(self, process: Any, open_recorder: Callable[[Sequence[str], Any], Any], depth: int = 4) -> None:
        self._process = process
        self._open = open_recorder
        self._depth = depth
        self._hasher = ThreadPoolExecutor(max_workers=1, thread_name_prefix="attrdb-scan-hash")
        self._writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="attrdb-scan-write")
        self._writing: Deque[Future] = collections.deque()
        # Small checkpoints checked and waiting to be written together: (step, their frames).
        self._batch: List[Tuple[int, list]] = []
        self._last_write = -math.inf
        self.rec: Any = None

    def hash(self, model: "torch.nn.Module") -> Future:
        """The model's `weights_hash`: computed now for small weights, else on a thread."""
        state = model.state_dict()  # one walk of the modules, which is most of a small model's hash
        if sum(t.numel() * t.element_size() for t in state.values()) > self.INLINE_HASH_BYTES:
            return self._hasher.submit(_state_hash, state)
        done: Future = Future()
        try:
            done.set_result(_state_hash(state))
        except Exception as error:  # raised where the thread's would be: by result()
            done.set_exception(error)
        return done

    def submit(self, step: int, result: ScanResult, econ: Mapping[str, Any], extra: Mapping[str, float],
               digest: str) -> None:
        # The writes done so far raise their errors now; the oldest is waited for when too many wait.
        while self._writing and (self._writing[0].done() or len(self._writing) >= self._depth):
            self._writing.popleft().result()
        if not self._writing and result.values.nbytes <= self.INLINE_WRITE_BYTES:
            # On this thread (nothing waits before it: step order holds), checked now so that a bad
            # checkpoint raises here with the ones before it still to be written.
            if self.rec is None:
                self.rec = self.open(result.labels)
            self._batch.append((step, self.rec._checkpoint_frames(step, result.values, **self._parts(result, econ, extra, digest))))
            if len(self._batch) >= self.BATCH_CHECKPOINTS or time.perf_counter() - self._last_write >= self.BATCH_SECONDS:
                self._flush()
            return
        self._flush()
        self._writing.append(self._writer.submit(self._write, step, result, econ, extra, digest))

    @staticmethod
    def _parts(result: ScanResult, econ: Mapping[str, Any], extra: Mapping[str, float], digest: str) -> Dict[str, Any]:
        """`log_checkpoint`'s keyword arguments besides the values, for a scanned checkpoint."""
        return dict(stats={**extra, "decomposition_rel_err": result.identity_error}, resid_norms=econ["resid_norms"],
                    wov_norms=econ["wov_norms"], weights_hash=digest)

    def _flush(self) -> None:
        """Writes the checkpoints waiting in the batch, in one transaction."""
        batch, self._batch = self._batch, []
        if batch:
            self.rec._send_checkpoints(batch)
            self._last_write = time.perf_counter()

    def _write(self, step: int, result: ScanResult, econ: Mapping[str, Any], extra: Mapping[str, float],
               digest: str) -> None:
        if self.rec is None:
            self.rec = self.open(result.labels)
        self.rec.log_checkpoint(step, result.values, **self._parts(result, econ, extra, digest))

    def open(self, labels: Sequence[str]) -> Any:
        """The recorder, with these component labels, on the binary started for it."""
        return self._open(labels, self._take_process())

    def _take_process(self) -> Any:
        process, self._process = self._process, None
        return process

    def wait(self) -> None:
        """Waits for every checkpoint submitted to be written; raises the first error."""
        self._flush()  # only ever holds checkpoints when no thread is writing
        while self._writing:
            self._writing.popleft().result()

    def close(self) -> None:
        """Marks the run complete once every checkpoint is stored."""
        self._shutdown()
        self.rec.close(complete=True)

    def _shutdown(self) -> None:
        self._hasher.shutdown()
        self._writer.shutdown()

    def abandon(self) -> None:
        """Leaves the run incomplete with every checkpoint scanned so far stored; raises nothing."""
        # The checkpoints waiting for their write were scanned whole: they are written before the
        # run is left (an exception keeps every logged step). After a write's own error the later
        # ones are refused by the recorder at once.
        try:
            self._flush()
        except BaseException:  # noqa: BLE001 (the exception being handled is the one to see)
            pass
        while self._writing:
            try:
                self._writing.popleft().result()
            except BaseException:  # noqa: BLE001 (the exception being handled is the one to see)
                pass
        self._shutdown()
        if self.rec is not None:
            self.rec.__exit__(RuntimeError, None, None)
        process = self._take_process()
        if process is not None:
            discard(process)  # no recorder took it: it stores nothing
