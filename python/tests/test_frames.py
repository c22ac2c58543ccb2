"""The frame encoder against the stream's contract (docs/stream-format.md), byte by byte."""
import json
import struct

import pytest

from attrdb import _frames


def test_magic_is_attrdb_zero_version_one():
    assert _frames.MAGIC == b"ATTRDB" + bytes([0, 1]) and len(_frames.MAGIC) == 8


def test_a_json_frame_is_kind_seven_zero_bytes_length_payload():
    frame = _frames.json_frame(_frames.STATISTICS, {"step": 3, "values": {"train_loss": 0.5}})
    kind, reserved, (length,) = frame[:1], frame[1:8], struct.unpack("<Q", frame[8:16])
    assert kind == b"S" and reserved == bytes(7) and length == len(frame) - 16
    assert json.loads(frame[16:]) == {"step": 3, "values": {"train_loss": 0.5}}


def test_a_checkpoint_head_counts_the_step_and_four_bytes_a_value():
    head = _frames.checkpoint_head(-2, 6)
    assert head[:8] == b"C" + bytes(7)
    assert struct.unpack("<Q", head[8:16])[0] == 8 + 24
    assert struct.unpack("<q", head[16:24])[0] == -2 and len(head) == 24


def test_json_frames_refuse_non_finite_numbers():
    with pytest.raises(ValueError):
        _frames.json_frame(_frames.STATISTICS, {"step": 0, "values": {"x": float("nan")}})


def test_the_weights_hash_frame_is_kind_k():
    frame = _frames.json_frame(_frames.WEIGHTS_HASH, {"step": 3, "sha256": "ab" * 32})
    assert frame[:1] == b"K" and json.loads(frame[16:]) == {"step": 3, "sha256": "ab" * 32}
