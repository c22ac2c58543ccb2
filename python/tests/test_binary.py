"""Finding the binary: bundled, else $ATTRDB_BIN, else PATH; a clear error when there is none."""
import os
import stat

import pytest

from attrdb import _binary
from attrdb.errors import BinaryNotFound


@pytest.fixture
def no_bundle(monkeypatch, tmp_path):
    monkeypatch.setattr(_binary, "_BUNDLED", tmp_path / "no-bundle" / "attrdb")
    return tmp_path


def fake(path):
    path.write_text("#!/bin/sh\n")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return path


def test_env_wins_over_path(no_bundle, monkeypatch):
    env = fake(no_bundle / "env-attrdb")
    (no_bundle / "bin").mkdir()
    fake(no_bundle / "bin" / "attrdb")
    monkeypatch.setenv("ATTRDB_BIN", str(env))
    monkeypatch.setenv("PATH", str(no_bundle / "bin"))
    assert _binary.find_binary() == str(env)


def test_path_when_no_env(no_bundle, monkeypatch):
    (no_bundle / "bin").mkdir()
    on_path = fake(no_bundle / "bin" / "attrdb")
    monkeypatch.delenv("ATTRDB_BIN", raising=False)
    monkeypatch.setenv("PATH", str(no_bundle / "bin"))
    assert _binary.find_binary() == str(on_path)


def test_bundled_wins(no_bundle, monkeypatch):
    bundled = no_bundle / "no-bundle" / "attrdb"
    bundled.parent.mkdir()
    fake(bundled)
    monkeypatch.setenv("ATTRDB_BIN", "/nonexistent")
    assert _binary.find_binary() == str(bundled)


def test_none_anywhere_is_a_clear_error(no_bundle, monkeypatch):
    monkeypatch.delenv("ATTRDB_BIN", raising=False)
    monkeypatch.setenv("PATH", str(no_bundle))
    with pytest.raises(BinaryNotFound, match="ATTRDB_BIN"):
        _binary.find_binary()
    monkeypatch.setenv("ATTRDB_BIN", str(no_bundle / "missing"))
    with pytest.raises(BinaryNotFound, match="not an executable"):
        _binary.find_binary()
