"""Encoding the frame stream, version 1 (docs/stream-format.md): the bytes the recorder writes into
`attrdb ingest - --format frames`."""
from __future__ import annotations

import json
import struct

MAGIC = b"ATTRDB\x00\x01"
"""The stream's first 8 bytes: "ATTRDB", a zero byte, the version (1)."""

HEADER, CHECKPOINT, STATISTICS, RESID_NORMS, WOV_NORMS, WEIGHTS_HASH, GROUP, END = \
    b"H", b"C", b"S", b"R", b"W", b"K", b"G", b"E"

MAX_JSON_PAYLOAD = 64 << 20
"""The binary refuses a JSON payload above 64 MiB; the recorder refuses it before sending."""

_FRAME_HEAD = struct.Struct("<c7xQ")


def frame_head(kind: bytes, length: int) -> bytes:
    """The 16 bytes before a payload: kind, 7 zero bytes, the payload's length (u64, little-endian)."""
    return _FRAME_HEAD.pack(kind, length)


def json_frame(kind: bytes, obj: object) -> bytes:
    """A whole frame whose payload is `obj` as JSON (non-finite numbers refused: JSON has none)."""
    payload = json.dumps(obj, allow_nan=False, separators=(",", ":")).encode("utf-8")
    if len(payload) > MAX_JSON_PAYLOAD:
        raise ValueError(f"a {kind.decode()} frame's JSON would be {len(payload)} bytes; the limit is 64 MiB")
    return frame_head(kind, len(payload)) + payload


def checkpoint_head(step: int, n_values: int) -> bytes:
    """The frame head and the step (i64) of a `C` frame of `n_values` float32 values; the values follow."""
    return frame_head(CHECKPOINT, 8 + 4 * n_values) + struct.pack("<q", step)
