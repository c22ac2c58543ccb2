"""attrdb.scan on tiny TransformerLens models trained a few steps on CPU (no model hub): the values
against a computation written here with plain hooks, the decomposition's identity, neuron labels, the
logged run (check, capacity, statistics, norms), resuming, duplicate weights and the errors."""
import copy
import hashlib
import json
import re

import numpy as np
import pytest

torch = pytest.importorskip("torch", reason="attrdb[scan] is not installed (torch)")
tl = pytest.importorskip("transformer_lens", reason="attrdb[scan] is not installed (transformer-lens)")

from conftest import cli, needs_frames  # noqa: E402

# The models are tiny: one thread avoids paying for intra-op threads on a shared machine.
torch.set_num_threads(1)

HOOK = "blocks.1.hook_resid_pre"
PROMPT, COUNTER = [3, 14, 15, 9, 2, 6], [3, 14, 27, 9, 2, 6]
ANSWER, COUNTER_ANSWER = 37, 19
COEFS = np.linspace(-10, 10, 16)


def config(**overrides):
    settings = dict(n_layers=2, d_model=32, n_heads=4, d_head=8, d_mlp=64, n_ctx=8, d_vocab=48,
                    act_fn="gelu", normalization_type="LN", seed=0, device="cpu")
    settings.update(overrides)
    return tl.HookedTransformerConfig(**settings)


@pytest.fixture(scope="module")
def checkpoints():
    """Three checkpoints (steps 0, 4, 8) of a 2-layer model trained with Adam on a fixed random
    next-token task, as state dicts."""
    torch.manual_seed(0)
    model = tl.HookedTransformer(config())
    data = torch.randint(0, 48, (64, 8), generator=torch.Generator().manual_seed(1))
    optimiser = torch.optim.Adam(model.parameters(), lr=1e-2)
    saved = {0: copy.deepcopy(model.state_dict())}
    for step in range(1, 9):
        optimiser.zero_grad()
        model(data, return_type="loss").backward()
        optimiser.step()
        if step % 4 == 0:
            saved[step] = copy.deepcopy(model.state_dict())
    return saved


def load(state):
    model = tl.HookedTransformer(config())
    model.load_state_dict(state)
    return model.eval()


@pytest.fixture
def scan():
    from attrdb import scan
    return scan


@pytest.fixture(params=["inline", "batched", "threads"])
def logging_path(request, monkeypatch, scan):
    """Each way scan_checkpoints logs: a small model's hash and checkpoints on the scan's own thread,
    each checkpoint in a transaction of its own (a slow scan) or all of them together (a fast one);
    and a large model's on threads beside the scan. Forced here: these tiny models would mix them."""
    if request.param == "inline":
        monkeypatch.setattr(scan._Logger, "BATCH_SECONDS", 0)
    elif request.param == "batched":
        monkeypatch.setattr(scan._Logger, "BATCH_SECONDS", 1e9)
        monkeypatch.setattr(scan._Logger, "BATCH_CHECKPOINTS", 1000)
    else:
        monkeypatch.setattr(scan._Logger, "INLINE_HASH_BYTES", -1)
        monkeypatch.setattr(scan._Logger, "INLINE_WRITE_BYTES", -1)
    return request.param


def direct(model, hook, coefs):
    """The scan computed here with plain forward hooks (no ActivationCache decomposition): each
    component's final-position write to the residual stream, centred and divided by the final
    LayerNorm's scale, dotted with W_U[:, a] − W_U[:, b], on a processed copy of the model."""
    m = copy.deepcopy(model)
    m.process_weights_(fold_ln=True, center_writing_weights=True, center_unembed=True)
    seen = {}

    def grab(name):
        def f(x, hook):
            seen[name] = x.detach().clone()
        return f

    with torch.no_grad():
        m.run_with_hooks(torch.tensor([PROMPT]), fwd_hooks=[(hook, grab("clean"))])
        m.run_with_hooks(torch.tensor([COUNTER]), fwd_hooks=[(hook, grab("counter"))])
        vector = seen["counter"][0] - seen["clean"][0]
        c = torch.tensor(coefs, dtype=torch.float32)[:, None, None]
        names = ["hook_embed", "hook_pos_embed", "ln_final.hook_scale"]
        names += [f"blocks.{l}.{n}" for l in range(2) for n in ("attn.hook_z", "hook_mlp_out")]
        logits = m.run_with_hooks(torch.tensor([PROMPT] * len(coefs)),
                                  fwd_hooks=[(hook, lambda x, hook: x + c * vector)] + [(n, grab(n)) for n in names])
        scale = seen["ln_final.hook_scale"][:, -1]
        d = m.W_U[:, ANSWER] - m.W_U[:, COUNTER_ANSWER]

        def term(x):
            x = x - x.mean(-1, keepdim=True)
            return ((x / scale) @ d).double().numpy()

        out = {}
        for l in range(2):
            z = seen[f"blocks.{l}.attn.hook_z"][:, -1]                     # (n, head, d_head)
            for h in range(4):
                out[f"L{l}H{h}"] = term(z[:, h] @ m.W_O[l, h])
        for l in range(2):
            out[f"{l}_mlp_out"] = term(seen[f"blocks.{l}.hook_mlp_out"][:, -1])
        out["embed"] = term(seen["hook_embed"][:, -1])
        out["pos_embed"] = term(seen["hook_pos_embed"][:, -1])
        out["bias"] = term((m.b_O[0] + m.b_O[1]).expand(len(coefs), -1))   # MLP biases are in mlp_out
        injected = term(c[:, 0] * vector[-1])
        diff = (logits[:, -1, ANSWER] - logits[:, -1, COUNTER_ANSWER]).double().numpy()
        unembed_bias = float(m.b_U[ANSWER] - m.b_U[COUNTER_ANSWER])
    return out, injected, unembed_bias, diff


def test_values_match_a_computation_with_plain_hooks_and_the_identity_holds(checkpoints, scan):
    model = load(checkpoints[8])
    before = scan.weights_hash(model)
    r = scan.injection_scan(model, PROMPT, COUNTER, hook=HOOK, answer=ANSWER, counter_answer=COUNTER_ANSWER,
                            coefficients=COEFS)
    expected, injected, unembed_bias, diff = direct(model, HOOK, COEFS)
    assert r.values.dtype == np.float32 and r.values.shape == (16, 13)
    assert sorted(r.labels) == sorted(expected)
    assert r.labels[:8] == [f"L{l}H{h}" for l in range(2) for h in range(4)]
    for j, label in enumerate(r.labels):
        np.testing.assert_allclose(r.values[:, j], expected[label], rtol=1e-4, atol=1e-5, err_msg=label)
    # The identity, with the sums made here: components + injected term + unembedding bias = logit diff.
    total = sum(expected.values()) + injected + unembed_bias
    assert np.abs(total - diff).max() <= 1e-4 * np.abs(diff).max()
    assert r.identity_error <= 1e-4
    np.testing.assert_allclose(r.logit_diff, diff, rtol=1e-4, atol=1e-5)
    assert np.abs(r.logit_diff).max() > 0.1   # the check is not vacuous: the injection moves the logits
    # The model's own logit difference, from the unprocessed model with the vector injected there.
    with torch.no_grad():
        _, a = model.run_with_cache(torch.tensor([PROMPT]), names_filter=HOOK)
        _, b = model.run_with_cache(torch.tensor([COUNTER]), names_filter=HOOK)
        v = b[HOOK][0] - a[HOOK][0]
        c = torch.tensor(COEFS, dtype=torch.float32)[:, None, None]
        raw = model.run_with_hooks(torch.tensor([PROMPT] * 16), fwd_hooks=[(HOOK, lambda x, hook: x + c * v)])
    np.testing.assert_allclose(r.logit_diff, (raw[:, -1, ANSWER] - raw[:, -1, COUNTER_ANSWER]).numpy(),
                               rtol=1e-4, atol=1e-4)
    assert scan.weights_hash(model) == before   # the model given is not processed in place
    assert model.cfg.normalization_type == "LN"


def test_expand_neurons_labels_each_neuron_and_they_add_up_to_the_mlp(checkpoints, scan):
    model = load(checkpoints[4])
    kw = dict(hook=HOOK, answer=ANSWER, counter_answer=COUNTER_ANSWER, coefficients=COEFS)
    layers = scan.injection_scan(model, PROMPT, COUNTER, **kw)
    neurons = scan.injection_scan(model, PROMPT, COUNTER, expand_neurons=True, **kw)
    assert len(neurons.labels) == 8 + 2 * 64 + 3
    assert "L1N17" in neurons.labels and "L0N63" in neurons.labels and "1_mlp_out" not in neurons.labels
    assert neurons.labels.index("L1N17") == 8 + 64 + 17
    assert neurons.identity_error <= 1e-4
    # The values as the method states it, written here: the whole decomposition, the final
    # LayerNorm applied to the stack, then the dot product (attrdb projects before expanding).
    m = copy.deepcopy(model)
    m.process_weights_()
    with torch.no_grad():
        _, a = m.run_with_cache(torch.tensor([PROMPT]), names_filter=HOOK)
        _, b = m.run_with_cache(torch.tensor([COUNTER]), names_filter=HOOK)
        v = b[HOOK][0] - a[HOOK][0]
        c = torch.tensor(COEFS, dtype=torch.float32)[:, None, None]
        with m.hooks(fwd_hooks=[(HOOK, lambda x, hook: x + c * v)]):
            _, cache = m.run_with_cache(torch.tensor([PROMPT] * 16))
        stack, labels = cache.get_full_resid_decomposition(expand_neurons=True, pos_slice=-1, return_labels=True)
        stack = cache.apply_ln_to_stack(stack, layer=-1, pos_slice=-1)
        literal = (stack @ (m.W_U[:, ANSWER] - m.W_U[:, COUNTER_ANSWER])).T.numpy()
    assert labels == neurons.labels
    np.testing.assert_allclose(neurons.values, literal, rtol=1e-4, atol=1e-5)
    # Expanded, the MLP output biases move into `bias`: the neurons plus that move make the MLP outputs.
    col = {label: j for j, label in enumerate(neurons.labels)}
    mlp = {label: j for j, label in enumerate(layers.labels)}
    moved = neurons.values[:, col["bias"]].astype(np.float64) - layers.values[:, mlp["bias"]]
    total_mlp = sum(layers.values[:, mlp[f"{l}_mlp_out"]].astype(np.float64) for l in range(2))
    total_neurons = neurons.values[:, [col[f"L{l}N{n}"] for l in range(2) for n in range(64)]].astype(np.float64).sum(1)
    np.testing.assert_allclose(total_neurons + moved, total_mlp, rtol=1e-4, atol=1e-4)
    for label in layers.labels[:8] + ["embed", "pos_embed"]:
        np.testing.assert_allclose(neurons.values[:, col[label]], layers.values[:, mlp[label]], rtol=1e-5, atol=1e-6)


def test_economics_against_the_cache_and_the_weights(checkpoints, scan):
    model = load(checkpoints[8])
    tokens = np.array([PROMPT, COUNTER])
    econ = scan.economics(model, tokens)
    _, cache = model.run_with_cache(torch.tensor(tokens))
    for layer in range(2):
        norm = cache[f"blocks.{layer}.hook_resid_pre"][:, -1].norm(dim=-1).mean().item()
        assert econ["resid_norms"][layer] == pytest.approx(norm, rel=1e-5)
    assert econ["resid_norms"][(2, "resid_post")] == pytest.approx(
        cache["blocks.1.hook_resid_post"][:, -1].norm(dim=-1).mean().item(), rel=1e-5)
    wv, wo = model.W_V.detach().double().numpy(), model.W_O.detach().double().numpy()
    expected = np.array([[np.linalg.norm(wv[l, h] @ wo[l, h]) for h in range(4)] for l in range(2)])
    np.testing.assert_allclose(econ["wov_norms"], expected, rtol=1e-10)


def test_weights_hash_follows_the_weights_not_the_object(checkpoints, scan):
    a, b = load(checkpoints[4]), load(checkpoints[4])
    assert scan.weights_hash(a) == scan.weights_hash(b)
    assert re.fullmatch(r"[0-9a-f]{64}", scan.weights_hash(a))
    assert scan.weights_hash(a) != scan.weights_hash(load(checkpoints[8]))
    with torch.no_grad():
        b.blocks[0].attn.W_Q[0, 0, 0] += 1e-7
    assert scan.weights_hash(a) != scan.weights_hash(b)


def _former_weights_hash(model):
    """weights_hash as first defined (its digests are stored): every tensor through torch's bytes."""
    digest = hashlib.sha256()
    state = model.state_dict()
    for key in sorted(state):
        tensor = state[key].detach().cpu().contiguous()
        digest.update(f"{key}\0{tensor.dtype}\0{tuple(tensor.shape)}\0".encode())
        digest.update(tensor.reshape(-1).view(torch.uint8).numpy().data)
    return digest.hexdigest()


def test_weights_hash_is_the_stored_definition_for_every_dtype_and_layout(checkpoints, scan):
    model = load(checkpoints[4])
    assert scan.weights_hash(model) == _former_weights_hash(model)

    class Odd(torch.nn.Module):
        """Buffers numpy reads (several dtypes, a 0-d one, a non-contiguous one) and one it cannot (bfloat16)."""
        def __init__(self):
            super().__init__()
            base = torch.arange(24, dtype=torch.float32).reshape(4, 6)
            self.register_buffer("transposed", base.t())
            self.register_buffer("strided", base[:, ::2])
            self.register_buffer("scalar", torch.tensor(3.5, dtype=torch.float64))
            self.register_buffer("f16", base.to(torch.float16))
            self.register_buffer("i64", torch.arange(5, dtype=torch.int64))
            self.register_buffer("flags", torch.tensor([True, False]))
            self.register_buffer("brain", base.to(torch.bfloat16))
            self.weight = torch.nn.Parameter(torch.randn(3, 2))

    odd = Odd()
    assert not odd.transposed.is_contiguous() and not odd.strided.is_contiguous()
    assert scan.weights_hash(odd) == _former_weights_hash(odd)
    before = scan.weights_hash(odd)
    with torch.no_grad():
        odd.strided[1, 1] += 1   # the non-contiguous buffer's own bytes, not its base's, are hashed
    assert scan.weights_hash(odd) != before and scan.weights_hash(odd) == _former_weights_hash(odd)


def _scan_kw(**overrides):
    kw = dict(prompt=PROMPT, counterfactual=COUNTER, hook=HOOK, answer=ANSWER, counter_answer=COUNTER_ANSWER,
              coefficients=COEFS, progress=False)
    kw.update(overrides)
    return kw


def loaders(checkpoints, calls=None):
    def loader(step):
        def f():
            if calls is not None:
                calls.append(step)
            return load(checkpoints[step])
        return f
    return [(step, loader(step)) for step in sorted(checkpoints)]


def _layer(label):
    """The layer attrdb files a TransformerLens label under (schema/README.md), parsed here."""
    if label in ("embed", "pos_embed"):
        return -1
    if label == "bias":
        return 2
    m = re.match(r"L(\d+)[HN]\d+$", label) or re.match(r"(\d+)_mlp_out$", label)
    return int(m.group(1))


@needs_frames
def test_scan_checkpoints_logs_a_run_that_passes_check_with_capacity_matching_numpy(tmp_path, checkpoints, scan, logging_path,
                                                                                      attrdb_module):
    db = str(tmp_path / "s.sqlite")
    store = attrdb_module.open(db)
    losses = {}

    def stats(model):
        with torch.no_grad():
            loss = float(model(torch.tensor([PROMPT]), return_type="loss"))
        losses[len(losses)] = loss
        return {"train_loss": loss}

    steps = scan.scan_checkpoints(store, "tiny", loaders(checkpoints), stats=stats,
                                  metadata={"task": "random next token"}, **_scan_kw())
    assert steps == [0, 4, 8]
    cli("--db", db, "check")
    runs = store.runs()
    assert runs["status"].tolist() == ["complete"] and runs["checkpoints"].tolist() == [3]
    assert runs["task"].tolist() == ["random next token"]
    values = store.values("tiny")
    expected = np.stack([scan.injection_scan(load(checkpoints[s]), PROMPT, COUNTER, hook=HOOK, answer=ANSWER,
                                             counter_answer=COUNTER_ANSWER, coefficients=COEFS).values
                         for s in (0, 4, 8)])
    assert np.array_equal(values.values, expected)
    assert not np.array_equal(expected[0], expected[2])   # training made distinct checkpoints
    labels = list(values.component.values)
    # capacity by layer: mass = Σ|value| over the layer's components and all coefficients.
    capacity = store.capacity("tiny", by="layer")
    layers = np.array([_layer(label) for label in labels])
    for _, row in capacity.iterrows():
        step = [0, 4, 8].index(int(row["checkpoint_step"]))
        mass = np.abs(expected[step][:, layers == int(row["layer"])].astype(np.float64)).sum()
        total = np.abs(expected[step].astype(np.float64)).sum()
        assert row["mass"] == pytest.approx(mass, rel=1e-6)
        assert row["share"] == pytest.approx(mass / total, rel=1e-6)
    assert len(capacity) == 3 * 4
    exported = [json.loads(l) for l in
                cli("--db", db, "export", "losses", "--run", "tiny", "--format", "jsonl").stdout.splitlines()]
    assert [r["train_loss"] for r in exported] == [losses[0], losses[1], losses[2]]
    assert all(0 <= r["decomposition_rel_err"] <= 1e-4 for r in exported)
    norms = store.norms("tiny", wide=True)
    assert len(norms) == 3
    wov = store.norms("tiny", wov=True)
    assert len(wov) == 3 * 2 * 4
    final = scan.economics(load(checkpoints[8]), PROMPT)["wov_norms"]
    got = wov[wov["checkpoint_step"] == 8].sort_values(["layer", "head"])["frobenius_norm"].to_numpy()
    np.testing.assert_allclose(got, final.reshape(-1), rtol=1e-9)


@needs_frames
def test_a_resumed_run_skips_stored_steps_without_loading_them(tmp_path, checkpoints, scan, attrdb_module):
    db = str(tmp_path / "s.sqlite")
    store = attrdb_module.open(db)
    broken = loaders(checkpoints)
    broken[2] = (8, lambda: (_ for _ in ()).throw(RuntimeError("node lost")))
    with pytest.raises(RuntimeError, match="node lost"):
        scan.scan_checkpoints(store, "r", broken, **_scan_kw())
    runs = store.runs()
    assert runs["status"].tolist() == ["incomplete"] and runs["checkpoints"].tolist() == [2]
    calls = []
    assert scan.scan_checkpoints(store, "r", loaders(checkpoints, calls), **_scan_kw()) == [8]
    assert calls == [8]
    runs = store.runs()
    assert runs["status"].tolist() == ["complete"] and runs["checkpoints"].tolist() == [3]
    fresh = attrdb_module.open(str(tmp_path / "fresh.sqlite"))
    # A generator, numpy token ids and the progress bar (tqdm, when installed) take the same path.
    scan.scan_checkpoints(fresh, "r", (c for c in loaders(checkpoints)),
                          **_scan_kw(answer=np.int64(ANSWER), prompt=np.array(PROMPT), progress=True))
    assert np.array_equal(store.values("r").values, fresh.values("r").values)
    cli("--db", db, "check")
    # A call with every step stored loads nothing and leaves the run complete.
    calls.clear()
    assert scan.scan_checkpoints(store, "r", loaders(checkpoints, calls), **_scan_kw()) == []
    assert calls == [] and store.runs()["status"].tolist() == ["complete"]


@needs_frames
def test_duplicate_weights_are_flagged(tmp_path, checkpoints, scan, attrdb_module):
    if not hasattr(attrdb_module.Recorder, "log_weights_hash"):
        pytest.skip("this recorder has no log_weights_hash yet (the stream part of issue 11/12 adds it)")
    db = str(tmp_path / "s.sqlite")
    store = attrdb_module.open(db)
    same = [(0, load(checkpoints[0])), (4, load(checkpoints[4])), (5, load(checkpoints[4]))]
    scan.scan_checkpoints(store, "dup", same, **_scan_kw())
    hashes = store.sql("SELECT step, weights_sha256 FROM checkpoint ORDER BY step")
    assert hashes["weights_sha256"].tolist() == [scan.weights_hash(m) for _, m in same]
    check = cli("--db", db, "check", check=False)
    said = (check.stdout + check.stderr).decode()
    assert "4" in said and "5" in said and "weight" in said.lower()


@needs_frames
def test_a_wrong_hook_or_token_fails_before_anything_is_stored(tmp_path, checkpoints, scan, attrdb_module):
    store = attrdb_module.open(str(tmp_path / "s.sqlite"))
    bad = [dict(hook="blocks.7.hook_resid_pre"), dict(hook="blocks.1.attn.hook_z"), dict(hook="blocks.1.hook_resid"),
           dict(answer=48), dict(counter_answer=-1), dict(prompt=[1, 2, 3]), dict(prompt=[1.5, 2, 3, 4, 5, 6]),
           dict(coefficients=[0.0, float("nan")])]
    for change in bad:
        with pytest.raises(attrdb_module.BadInput) as caught:
            scan.scan_checkpoints(store, "r", loaders(checkpoints), **_scan_kw(**change))
        assert caught.value.status == 1
        assert len(store.runs()) == 0, change
    with pytest.raises(attrdb_module.BadInput, match="blocks.7.hook_resid_pre.*not a residual-stream hook"):
        scan.injection_scan(load(checkpoints[0]), PROMPT, COUNTER, hook="blocks.7.hook_resid_pre",
                            answer=ANSWER, counter_answer=COUNTER_ANSWER)


def test_strings_need_a_tokenizer_and_token_ids_work_in_any_form(checkpoints, scan, attrdb_module):
    # No tokenizer can be fetched offline: the model is built without one, so strings are refused clearly.
    model = load(checkpoints[4])
    assert model.tokenizer is None
    kw = dict(hook=HOOK, answer=ANSWER, counter_answer=COUNTER_ANSWER, coefficients=COEFS)
    with pytest.raises(attrdb_module.BadInput, match="prompt is a string but the model has no tokenizer"):
        scan.injection_scan(model, "The Eiffel Tower is in", COUNTER, **kw)
    with pytest.raises(attrdb_module.BadInput, match="answer is a string"):
        scan.injection_scan(model, PROMPT, COUNTER, **dict(kw, answer=" Paris"))
    ref = scan.injection_scan(model, PROMPT, COUNTER, **kw).values
    for form in (np.array(PROMPT), torch.tensor([PROMPT]), tuple(PROMPT)):
        assert np.array_equal(scan.injection_scan(model, form, COUNTER, **kw).values, ref)


@needs_frames
def test_an_error_writing_a_checkpoint_stops_the_scan_with_the_earlier_ones_kept(tmp_path, checkpoints, scan, logging_path,
                                                                                attrdb_module):
    # Frames written on a thread while the next checkpoint is scanned, or on the scan's own thread:
    # either way the error stops the scan.
    store = attrdb_module.open(str(tmp_path / "s.sqlite"))
    loss = {0: 1.0, 4: float("nan"), 8: 0.5}
    calls = []
    with pytest.raises(attrdb_module.BadInput, match="train_loss is nan"):
        scan.scan_checkpoints(store, "r", loaders(checkpoints, calls), **_scan_kw(),
                              stats=lambda m: {"train_loss": loss[[0, 4, 8][len(calls) - 1]]})
    runs = store.runs()
    assert runs["status"].tolist() == ["incomplete"]
    assert store.values("r").checkpoint_step.values.tolist() == [0]


@needs_frames
def test_a_model_trained_in_place_between_checkpoints_is_hashed_and_scanned_as_yielded(tmp_path, checkpoints, scan, logging_path,
                                                                                    attrdb_module):
    # A large model's weights are hashed on a thread beside the scan: the iterable, which changes the
    # same model in place, must not run before the hash of the checkpoint it yielded is done.
    store = attrdb_module.open(str(tmp_path / "s.sqlite"))
    model = load(checkpoints[0])
    expected = {}

    def training():
        for step in (0, 4, 8):
            model.load_state_dict(checkpoints[step])   # copies into the same tensors
            expected[step] = scan.weights_hash(model)
            yield step, model

    scan.scan_checkpoints(store, "in-place", training(), **_scan_kw())
    hashes = store.sql("SELECT step, weights_sha256 FROM checkpoint ORDER BY step")
    assert hashes["weights_sha256"].tolist() == [expected[s] for s in (0, 4, 8)]
    assert len(set(expected.values())) == 3
    values = store.values("in-place").values
    for i, step in enumerate((0, 4, 8)):
        ref = scan.injection_scan(load(checkpoints[step]), PROMPT, COUNTER, hook=HOOK, answer=ANSWER,
                                  counter_answer=COUNTER_ANSWER, coefficients=COEFS).values
        assert np.array_equal(values[i], ref)


@needs_frames
def test_a_checkpoint_is_stored_whole_or_not_at_all(tmp_path, checkpoints, scan, logging_path, attrdb_module):
    # Step 4 has a train_loss stored already; the scan's other value is a conflict, and it takes step
    # 4's values, norms and weights hash with it: the checkpoint is one transaction.
    db = str(tmp_path / "s.sqlite")
    store = attrdb_module.open(db)
    first = scan.injection_scan(load(checkpoints[0]), PROMPT, COUNTER, hook=HOOK, answer=ANSWER,
                                counter_answer=COUNTER_ANSWER, coefficients=COEFS)
    with store.recorder("r", coefficients=COEFS, components=first.labels, metric="logit_diff") as rec:
        rec.log_stats(4, train_loss=99.0)
    with pytest.raises(attrdb_module.Conflict) as caught:
        scan.scan_checkpoints(store, "r", loaders(checkpoints), stats=lambda m: {"train_loss": 1.0}, **_scan_kw())
    if logging_path == "batched":
        # The first checkpoint is written at once, the next two together in one transaction: step
        # 4's conflict leaves step 8 unstored with it.
        assert caught.value.call == "log_checkpoints(4, 8)"
        assert store.values("r").checkpoint_step.values.tolist() == [0]
    else:
        assert caught.value.call == "log_checkpoint(4)"
        assert store.values("r").checkpoint_step.values.tolist() == [0]
    rows = store.sql("SELECT step, weights_sha256 IS NOT NULL AS hashed, "
                     "(SELECT count(*) FROM resid_norm n WHERE n.checkpoint_id = c.checkpoint_id) AS norms "
                     "FROM checkpoint c ORDER BY step")
    assert rows["step"].tolist() == [0, 4]
    assert rows["hashed"].tolist() == [1, 0] and rows["norms"].tolist()[1] == 0 and rows["norms"].tolist()[0] > 0
