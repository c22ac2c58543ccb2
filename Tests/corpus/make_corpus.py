#!/usr/bin/env python3
"""Writes the malformed-input corpus: one file (or folder) per case, each a small variation of the
bundled example's format. `manifest.tsv` beside them (name, then the exact error attrdb must give,
with {path} for the input's path) is checked by CorpusTests. Rerun to regenerate the files."""
import gzip, io, json, os, shutil, zipfile, zlib

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "files")
shutil.rmtree(OUT, ignore_errors=True)
os.makedirs(OUT)

a = (np.arange(2 * 3 * 4, dtype=np.float32).reshape(2, 3, 4) - 5) / 4
axes = {"checkpoint_steps": [10, 20], "coefficients": [-1.0, 0.0, 1.0], "metric": "logit_diff",
        "components": [{"label": "L0H0", "layer": 0, "kind": "attn_head", "index": 0},
                       {"label": "L0H1", "layer": 0, "kind": "attn_head", "index": 1},
                       {"label": "0_mlp_out", "layer": 0, "kind": "mlp", "index": None},
                       {"label": "embed", "layer": -1, "kind": "embed", "index": None}],
        "metadata": {"model": "toy"}}


def npy_bytes(array, version=(1, 0)):
    f = io.BytesIO()
    np.lib.format.write_array(f, array, version=version)
    return f.getvalue()


def folder(name, array=a, axes_obj=axes, npy=None, axes_text=None):
    path = os.path.join(OUT, name)
    os.makedirs(path)
    open(os.path.join(path, "attributions.npy"), "wb").write(npy if npy is not None else npy_bytes(array))
    open(os.path.join(path, "axes.json"), "wb").write(axes_text if axes_text is not None else json.dumps(axes_obj).encode())


def file(name, data):
    open(os.path.join(OUT, name), "wb").write(data if isinstance(data, bytes) else data.encode())


def with_axes(**changes):
    d = json.loads(json.dumps(axes))
    for key, value in changes.items():
        if value is None:
            del d[key]
        else:
            d[key] = value
    return d


good = npy_bytes(a)
folder("npy-truncated", npy=good[:-10])
folder("npy-bad-magic", npy=b"NUMPY not really an array")
folder("npy-empty", npy=b"")
folder("npy-version-9", npy=good[:6] + bytes([9, 0]) + good[8:])
folder("npy-header-past-end", npy=good[:8] + (60000).to_bytes(2, "little") + good[10:40])
folder("npy-extra-bytes", npy=good + b"\0\0\0\0")
folder("npy-int32", array=a.astype(np.int32))
folder("npy-uint8", array=a.astype(np.uint8))
folder("npy-complex", array=a.astype(np.complex64))
folder("npy-object", npy=npy_bytes(np.array([[[None]]], dtype=object)) if False else good.replace(b"'<f4'", b"'|O' "))
folder("npy-structured", array=np.zeros((2, 3, 4), dtype=[("x", "<f4"), ("y", "<f4")]))
folder("npy-1d", array=a.reshape(-1))
folder("npy-4d", array=a.reshape(2, 3, 2, 2))
folder("npy-shape-vs-axes", array=a[:, :2, :])
folder("npy-no-shape-key", npy=good.replace(b"'shape': (2, 3, 4), ", b"'shapes': (2, 3, 4),"))
folder("npy-bad-fortran", npy=good.replace(b"False", b"Maybe"))
folder("axes-missing-coefficients", axes_obj=with_axes(coefficients=None))
folder("axes-missing-steps", axes_obj=with_axes(checkpoint_steps=None))
folder("axes-not-json", axes_text=b'{"checkpoint_steps": [10, 20],')
folder("axes-array", axes_text=b"[1, 2, 3]")
folder("axes-duplicate-label", axes_obj=with_axes(components=[axes["components"][0]] * 2 + axes["components"][2:]))
folder("axes-unknown-kind", axes_obj=with_axes(components=axes["components"][:3] + [{"label": "resid", "layer": 0, "kind": "residual"}]))
folder("axes-string-step", axes_obj=with_axes(checkpoint_steps=[10, "20"]))
folder("axes-duplicate-step", axes_obj=with_axes(checkpoint_steps=[10, 10]))
folder("axes-empty-components", axes_obj=with_axes(components=[]))
folder("axes-bad-label", axes_obj=with_axes(components=["L0H0", "L0H1", "0_mlp_out", "resid_post"]))
folder("axes-not-utf8", axes_text=json.dumps(axes).replace("L0H1", "L0H#").encode().replace(b"#", b"\xff"))
folder("axes-nan-coefficient", axes_text=json.dumps(axes).replace("1.0]", "NaN]").encode())
header = "checkpoint_step,coefficient,component,layer,kind,value\n"
file("csv-missing-column.csv", "checkpoint_step,coefficient,component,layer,kind\n10,0,L0H0,0,attn_head\n")
file("csv-ragged.csv", header + "10,0,L0H0,0,attn_head,1\n10,0,L0H1,0,attn_head\n")
file("csv-not-number.csv", header + "10,0,L0H0,0,attn_head,one\n")
file("csv-header-only.csv", header)
file("csv-empty.csv", "")
file("csv-bad-step.csv", header + "ten,0,L0H0,0,attn_head,1\n")
file("csv-bad-kind.csv", header + "10,0,L0H0,0,head,1\n")
file("csv-duplicate.csv", header + "10,0,L0H0,0,attn_head,1\n10,0,L0H0,0,attn_head,2\n")
file("csv-hole.csv", header + "10,0,L0H0,0,attn_head,1\n10,1,L0H1,0,attn_head,1\n")
file("csv-open-quote.csv", header + '10,0,"L0H0,0,attn_head,1\n')
file("csv-not-gzip.csv.gz", b"\x1f\x8b\x08\x00" + b"\x00" * 6 + b"this is not deflate data at all")
file("jsonl-not-json.jsonl", '{"checkpoint_step": 1, "component": "L0H0", "value": 1}\n{"checkpoint_step": 2,\n')
file("jsonl-missing-value.jsonl", '{"checkpoint_step": 1, "component": "L0H0"}\n')
file("jsonl-list.jsonl", "[1, 2]\n")
file("jsonl-string-value.jsonl", '{"checkpoint_step": 1, "component": "L0H0", "value": "high"}\n')
file("jsonl-deep.jsonl", '{"checkpoint_step": 1, "component": "L0H0", "value": ' + "[" * 600 + "]" * 600 + "}\n")
file("npz-not-zip.npz", "just text\n")
buffer = io.BytesIO()
with zipfile.ZipFile(buffer, "w") as z:
    z.writestr("attributions.npy", good)
file("npz-no-axes.npz", buffer.getvalue())
buffer = io.BytesIO()
with zipfile.ZipFile(buffer, "w") as z:
    z.writestr("attributions.npy", good[:50])
    z.writestr("axes.npy", npy_bytes(np.array(json.dumps(axes))))
file("npz-truncated-member.npz", buffer.getvalue())
file("unknown-extension.xlsx", "not a format attrdb reads\n")
# A zip cut short: it begins with the zip magic but has no end-of-central-directory record, so the
# error must say what is missing, not that the magic 'PK\x03\x04' was expected and found.
buffer = io.BytesIO()
with zipfile.ZipFile(buffer, "w") as z:
    z.writestr("attributions.npy", good)
file("npz-truncated-zip.npz", buffer.getvalue()[:60])
# gzip: a cut member, a wrong CRC-32 or length trailer, bytes after the last member, a cut second member.
tiny = (header + "".join(f"{s},{c},{p},0,attn_head,{s * c + i / 8}\n" for s in (10, 20) for c in (-1.0, 1.0)
                         for i, p in enumerate(("L0H0", "L0H1")))).encode()
gz = gzip.compress(tiny, mtime=0)
file("gzip-truncated.csv.gz", gz[:len(gz) // 2])
file("gzip-bad-crc.csv.gz", gz[:-8] + bytes([gz[-8] ^ 1]) + gz[-7:])
file("gzip-bad-length.csv.gz", gz[:-4] + bytes([gz[-4] ^ 1]) + gz[-3:])
file("gzip-trailing-garbage.csv.gz", gz + b"garbage")
rows = tiny.splitlines(keepends=True)
file("gzip-second-member-truncated.csv.gz", gzip.compress(b"".join(rows[:5]), mtime=0) + gzip.compress(b"".join(rows[5:]), mtime=0)[:-3])
file("gzip-header-only.csv.gz", gz[:10])
# Text that is not what it seems: invalid UTF-8 and NUL in labels, hexadecimal numbers, values past
# float32's range, duplicate coefficients in axes.json.
def jsonl(label="L0H0", value="1.5"):
    return '{"checkpoint_step": 1, "component": "%s", "value": %s}\n' % (label, value)
file("csv-not-utf8-label.csv", header.encode() + b"10,0,L0H\xff,0,attn_head,1\n")
file("tsv-not-utf8-label.tsv", header.replace(",", "\t").encode() + b"10\t0\tL0H\xff\t0\tattn_head\t1\n")
file("jsonl-not-utf8-label.jsonl", jsonl().encode().replace(b"L0H0", b"L0H\xc3"))
file("csv-nul-label.csv", header + "10,0,L0\0H0,0,attn_head,1\n")
file("tsv-nul-label.tsv", header.replace(",", "\t") + "10\t0\tL0\0H0\t0\tattn_head\t1\n")
file("jsonl-nul-label.jsonl", jsonl(label="L0\\u0000H0"))
folder("axes-nul-label", axes_obj=with_axes(components=axes["components"][:1] + [dict(axes["components"][1], label="L0\0H1")] + axes["components"][2:]))
file("csv-hex-value.csv", header + "10,0,L0H0,0,attn_head,0x10\n")
file("tsv-hex-coefficient.tsv", header.replace(",", "\t") + "10\t0x1p3\tL0H0\t0\tattn_head\t1\n")
file("jsonl-hex-string-value.jsonl", jsonl(value='"0x10"'))
file("csv-float32-overflow.csv", header + "10,0,L0H0,0,attn_head,3.4028236e38\n")
file("tsv-float32-overflow.tsv", header.replace(",", "\t") + "10\t0\tL0H0\t0\tattn_head\t-1e39\n")
file("jsonl-float32-overflow.jsonl", jsonl(value="3.4028236e38"))
file("csv-double-overflow.csv", header + "10,0,L0H0,0,attn_head,1e400\n")
folder("axes-duplicate-coefficient", axes_obj=with_axes(coefficients=[-1.0, 0.0, -1.0]))
# Bounded memory: a field or line without end, 2 MiB unpacked from a few KiB of gzip.
file("csv-field-too-long.csv.gz", gzip.compress((header + "10,0,L0H0,0,attn_head," + "1" * (2 << 20) + "\n").encode(), mtime=0))
file("jsonl-line-too-long.jsonl.gz", gzip.compress(('{"checkpoint_step": 1, "component": "' + "L" * (2 << 20) + '"}\n').encode(), mtime=0))
file("csv-inf-coefficient.csv", header + "10,inf,L0H0,0,attn_head,1\n")
file("tsv-nan-coefficient.tsv", header.replace(",", "\t") + "10\tnan\tL0H0\t0\tattn_head\t1\n")
file("jsonl-string-value-overflow.jsonl", jsonl(value='"1e400"'))


# Issue 9, defects 4 and 5 (helper npy): hostile .npy headers and .npz members.
def npy_v2(header_dict, data=b""):
    """A version 2.0 .npy (4-byte header length) with `header_dict` as its header text."""
    text = header_dict.encode("latin-1")
    text += b" " * ((-(12 + len(text) + 1)) % 64) + b"\n"
    return b"\x93NUMPY\x02\x00" + len(text).to_bytes(4, "little") + text + data


# 200 000 nested parentheses in 'shape' overflowed the stack: 64 levels are allowed.
folder("npy-deep-shape", npy=npy_v2("{'descr': '<f4', 'fortran_order': False, 'shape': " + "(" * 200000 + ")" * 200000 + ", }"))
# .npz members are checked from their npy header before they are inflated (hostile_npz.py has the
# 1 GiB versions of these and measures memory).
import sys
sys.path.insert(0, os.path.join(HERE, "..", "reliability"))
from hostile_npz import Member, npy_header, zip_archive

axes_member = Member.stored("axes.npy", npy_bytes(np.array(json.dumps(axes))))
array_member = Member.stored("attributions.npy", good)
# An axes string of 1 GiB, declared and deflated from 1 MB: refused at its header.
file("npz-axes-huge-string.npz", zip_archive([Member.deflated("axes.npy", npy_header("<U268435456", ()) + bytes(1 << 20)), array_member]))
# One of 4 GiB.
file("npz-axes-4gib.npz", zip_archive([Member.deflated("axes.npy", npy_header("<U1073741824", ()) + bytes(1 << 16)), array_member]))
# An axes member that is not text.
file("npz-axes-floats.npz", zip_archive([Member.stored("axes.npy", npy_bytes(np.zeros(3, np.float32))), array_member]))
# An array header of 10^15 elements: refused against the axes before anything is inflated.
file("npz-array-huge-shape.npz", zip_archive([axes_member, Member.deflated("attributions.npy", npy_header("<f4", (100000, 100000, 100000)) + bytes(1 << 16))]))
# An entry declaring more than the header's shape needs.
file("npz-array-declares-more.npz", zip_archive([axes_member, Member.stored("attributions.npy", good, declared_size=len(good) + (1 << 30))]))
# An entry that declares the right size and inflates to 1 MB.
file("npz-array-inflates-more.npz", zip_archive([axes_member, Member.deflated("attributions.npy", good + bytes(1 << 20), declared_size=len(good))]))
# An entry whose data stops short of what it declares.
file("npz-array-inflates-less.npz", zip_archive([axes_member, Member.deflated("attributions.npy", good[:-8], declared_size=len(good))]))
# A CRC-32 that does not match the data.
file("npz-array-bad-crc.npz", zip_archive([axes_member, Member.stored("attributions.npy", good, crc=zlib.crc32(good) ^ 1)]))
# A header length of 4 GiB - 1 in a version 2.0 member.
file("npz-array-header-4gib.npz", zip_archive([axes_member, Member.stored("attributions.npy", b"\x93NUMPY\x02\x00\xff\xff\xff\xff{}")]))
# The nested header inside an archive.
file("npz-deep-shape.npz", zip_archive([axes_member, Member.deflated("attributions.npy", npy_v2("{'descr': '<f4', 'fortran_order': False, 'shape': " + "(" * 200000 + ")" * 200000 + ", }"))]))

# Found by libFuzzer (make fuzz, the CSV harness) in the old gzip reader (ZIPFoundation's inflate): a
# deflate stream cut short made zlib read out of bounds (SIGSEGV). The zlib reader decodes what is
# there, and the CSV reader refuses its second line before the cut is reached.
file("gzip-fuzz-segv.csv.gz", bytes.fromhex(
    "1f8b0800000000000200758e4d0ac2301085f79e652c49a9e8115c78871093290dcd1f3a15bcbde92241a775f778dfe3"
    "e39909cd9c938ba49e84194cc27174c661a492434e714d5ebff101b38b165eda2f7890028eb2000000000000000000000000"
    "00000000000000000000000000000000000000000000000000137013570102345154136abbb6437f399ddb42a8e0b34a0b95"
    "5949db01863b5a801fb0ab669c8b19aeda5af77f1ff75de172688bcd633e688fb8c0ae9a712e66b86a6bfd0142c5a97b9b010000"))

# Frame streams (`ingest - --format frames`, docs/stream-format.md), each refused at or before its
# header, so nothing is stored. CorpusTests feeds files named .frames to the frame reader.
def frame(kind, payload):
    return kind + bytes(7) + len(payload).to_bytes(8, "little") + payload

MAGIC = b"ATTRDB\x00\x01"
frame_header = json.dumps({"run": "corpus", "metric": "logit_diff", "coefficients": [-1.0, 0.0, 1.0],
                           "components": ["L0H0", "L0H1", "0_mlp_out", "embed"]}).encode()
good_stream = MAGIC + frame(b"H", frame_header) + frame(b"C", (10).to_bytes(8, "little") + a[0].tobytes())
file("frames-bad-magic.frames", b"ATTRDX" + good_stream[6:])
file("frames-npy-given.frames", good)
file("frames-version-2.frames", MAGIC[:7] + b"\x02" + good_stream[8:])
file("frames-reserved-byte.frames", MAGIC + b"H\x00\x00\x00\x00\x00\x00\x07" + good_stream[16:])
file("frames-unknown-kind.frames", MAGIC + frame(b"Z", frame_header))
file("frames-checkpoint-first.frames", MAGIC + frame(b"C", (10).to_bytes(8, "little") + a[0].tobytes()))
# A length of 2^63: refused before anything is allocated or read.
file("frames-huge-length.frames", MAGIC + b"H" + bytes(7) + (1 << 63).to_bytes(8, "little") + frame_header)
# A length of 64 MiB that the stream does not have: memory follows the bytes that arrive.
file("frames-lying-length.frames", MAGIC + b"H" + bytes(7) + (64 << 20).to_bytes(8, "little") + frame_header)
file("frames-cut-header.frames", good_stream[:20])
file("frames-header-list.frames", MAGIC + frame(b"H", b"[]"))
file("frames-header-not-utf8.frames", MAGIC + frame(b"H", frame_header[:10] + b"\xff" + frame_header[11:]))
file("frames-header-deep.frames", MAGIC + frame(b"H", b"[" * 1000 + b"]" * 1000))
file("frames-header-no-metric.frames", MAGIC + frame(b"H", json.dumps({"run": "corpus", "coefficients": [0], "components": ["L0H0"]}).encode()))
file("frames-header-nan.frames", MAGIC + frame(b"H", frame_header.replace(b"-1.0", b"NaN")))

print(len(os.listdir(OUT)), "corpus entries in", OUT)
