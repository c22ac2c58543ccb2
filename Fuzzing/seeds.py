#!/usr/bin/env python3
"""Writes the libFuzzer seed corpus, one folder per harness, into OUT (default .build-fuzz/seeds):
valid inputs in every layout each reader accepts (written here with numpy, zipfile and gzip, so
mutations start from inputs that reach deep into the reader), the malformed-input corpus
(Tests/corpus/files) sorted by reader, and the committed finds in Fuzzing/corpus/<harness>/.
Usage: python3 Fuzzing/seeds.py [OUT]"""
import gzip, io, json, os, shutil, sys, zipfile

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, ".build-fuzz", "seeds")
CORPUS = os.path.join(ROOT, "Tests", "corpus", "files")
FINDS = os.path.join(ROOT, "Fuzzing", "corpus")
HARNESSES = ["npy-header", "npy", "npz", "csv", "jsonl", "json", "axes", "gzip", "frames"]

shutil.rmtree(OUT, ignore_errors=True)
for h in HARNESSES:
    os.makedirs(os.path.join(OUT, h))


def put(harness, name, data):
    open(os.path.join(OUT, harness, name), "wb").write(data if isinstance(data, bytes) else data.encode())


def npy_bytes(array, version=(1, 0)):
    f = io.BytesIO()
    np.lib.format.write_array(f, array, version=version)
    return f.getvalue()


# Valid arrays: small (libFuzzer's max_len bounds every input), every dtype and order the reader takes.
a = (np.arange(2 * 3 * 4, dtype=np.float32).reshape(2, 3, 4) - 5) / 4
arrays = {"f4": a, "f2": a.astype(np.float16), "f8": a.astype(np.float64), "f4-big": a.astype(">f4"),
          "f8-big": a.astype(">f8"), "fortran": np.asfortranarray(a), "2d": a[:, 0, :], "v2": a, "v3": a}
for name, array in arrays.items():
    version = {"v2": (2, 0), "v3": (3, 0)}.get(name, (1, 0))
    data = npy_bytes(array, version)
    put("npy", name + ".npy", data)
    put("npy-header", name + ".npy", data)

axes = {"checkpoint_steps": [10, 20], "coefficients": [-1.0, 0.0, 1.0], "metric": "logit_diff",
        "components": [{"label": "L0H0", "layer": 0, "kind": "attn_head", "index": 0}, "L0H1", "0_mlp_out",
                       {"label": "embed", "layer": -1, "kind": "embed", "index": None}],
        "metadata": {"model": "toy", "task": "modadd", "hook": "blocks.0.hook_resid_pre", "model_config": {"n_layers": 1}}}
put("axes", "valid.json", json.dumps(axes))
put("axes", "bare.json", '{"checkpoint_steps": [0], "coefficients": [0.0], "components": ["L0N2", "bias", "pos_embed"]}')
put("json", "axes.json", json.dumps(axes, indent=2))
put("json", "escapes.json", r'["a\"b\\c\/\b\f\n\r\t\u0041\u00e9\ud83d\ude00", -0.5e-3, 1E+2, 0, true, false, null, {}, []]')

for compress, kind in [(zipfile.ZIP_STORED, "stored"), (zipfile.ZIP_DEFLATED, "deflated")]:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compress) as z:
        z.writestr("attributions.npy", npy_bytes(a))
        z.writestr("axes.npy", npy_bytes(np.array(json.dumps(axes))))
    put("npz", kind + ".npz", buffer.getvalue())
buffer = io.BytesIO()
with zipfile.ZipFile(buffer, "w") as z:
    z.writestr("attributions.npy", npy_bytes(a.astype(np.float64)))
    z.writestr("axes.npy", npy_bytes(np.frombuffer(json.dumps(axes).encode(), dtype=np.uint8)))
put("npz", "bytes-axes.npz", buffer.getvalue())

rows = ["checkpoint_step,coefficient,component,layer,kind,value"]
for step in (10, 20):
    for c in (-1.0, 1.0):
        for label, layer, kind in [("L0H0", 0, "attn_head"), ("0_mlp_out", 0, "mlp"), ("embed", "", "")]:
            rows.append(f"{step},{c},{label},{layer},{kind},{step * c / 7:.6g}")
csv = "\n".join(rows) + "\n"
put("csv", "long.csv", csv)
put("csv", "quoted.csv", 'checkpoint_step,coefficient,component,value\r\n1,"0.5","L0H0","1e-3"\r\n1,0.5,"embed",nan\r\n2,0.5,"L0H0",-inf\r\n2,0.5,"embed",""""\r\n')
put("csv", "long.csv.gz", gzip.compress(csv.encode(), mtime=0))
lines = [json.dumps({"checkpoint_step": s, "coefficient": -0.5, "component": l, "value": 0.125, "layer": 0, "kind": None})
         for s in (1, 2) for l in ("L0H0", "0_mlp_out")]
jsonl = "\n".join(lines) + "\n"
put("jsonl", "long.jsonl", jsonl)
put("jsonl", "mixed.jsonl", '{"checkpoint_step": 3, "component": "L1N2", "value": "1e5"}\n\n{"checkpoint_step": 4, "component": "L1N2", "value": null}\n')
put("json", "line.json", lines[0])
put("gzip", "csv.gz", gzip.compress(csv.encode(), mtime=0))
put("gzip", "empty.gz", gzip.compress(b"", mtime=0))
put("gzip", "stored.gz", gzip.compress(jsonl.encode(), compresslevel=0, mtime=0))
# FEXTRA, FNAME, FCOMMENT and FHCRC set: every optional header field.
body = gzip.compress(b"checkpoint_step,coefficient,component,value\n1,0,L0H0,1\n", mtime=0)
put("gzip", "flags.gz", body[:3] + bytes([0x1E]) + body[4:10] + b"\x04\x00abcd" + b"name.csv\x00" + b"a comment\x00" + b"\x00\x00" + body[10:])
put("gzip", "two-members.gz", gzip.compress(b"a,b\n", mtime=0) + gzip.compress(b"1,2\n", mtime=0))

# The malformed-input corpus, by reader.
for name in sorted(os.listdir(CORPUS)):
    path = os.path.join(CORPUS, name)
    if os.path.isdir(path):
        npy, ax = os.path.join(path, "attributions.npy"), os.path.join(path, "axes.json")
        if os.path.exists(npy):
            for h in ("npy", "npy-header"):
                shutil.copy(npy, os.path.join(OUT, h, name + ".npy"))
        if os.path.exists(ax):
            shutil.copy(ax, os.path.join(OUT, "axes", name + ".json"))
            shutil.copy(ax, os.path.join(OUT, "json", name + ".json"))
    elif name.endswith(".gz"):
        shutil.copy(path, os.path.join(OUT, "gzip", name))
        shutil.copy(path, os.path.join(OUT, "csv", name))
    elif name.endswith((".csv", ".tsv")):
        shutil.copy(path, os.path.join(OUT, "csv", name))
    elif name.endswith(".jsonl"):
        shutil.copy(path, os.path.join(OUT, "jsonl", name))
        shutil.copy(path, os.path.join(OUT, "json", name))
    elif name.endswith(".npz"):
        shutil.copy(path, os.path.join(OUT, "npz", name))
    elif name.endswith(".frames"):
        shutil.copy(path, os.path.join(OUT, "frames", name))

# A whole frame stream: header, a checkpoint and each statistics frame, the end.
def frame(kind, payload):
    return kind + bytes(7) + len(payload).to_bytes(8, "little") + payload

put("frames", "valid.frames", b"ATTRDB\x00\x01"
    + frame(b"H", json.dumps({"run": "r", "metric": "m", "coefficients": [-1, 1], "components": ["L0H0", {"label": "x", "layer": 0, "kind": "mlp"}], "tags": {"a": "b"}}).encode())
    + frame(b"C", (10).to_bytes(8, "little") + np.arange(4, dtype="<f4").tobytes())
    + frame(b"S", b'{"step": 10, "values": {"train_loss": 0.5, "test_acc": null}}')
    + frame(b"R", b'{"step": 10, "norms": [{"layer": 0, "hook": "resid_pre", "norm": 1.5}]}')
    + frame(b"W", b'{"step": 10, "norms": [[1.0, 2.0]]}')
    + frame(b"E", b'{"complete": true}'))

# Inputs the fuzzer found (crashes, once fixed, and anything worth keeping), committed by harness.
for h in HARNESSES:
    folder = os.path.join(FINDS, h)
    if os.path.isdir(folder):
        for name in os.listdir(folder):
            shutil.copy(os.path.join(folder, name), os.path.join(OUT, h, "find-" + name))

print(" ".join(f"{h}:{len(os.listdir(os.path.join(OUT, h)))}" for h in HARNESSES))
