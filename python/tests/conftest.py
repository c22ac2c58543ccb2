"""Fixtures: the attrdb binary under test ($ATTRDB_BIN, as make test sets it) and stores made by the CLI."""
import os
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "tl-modadd"


def binary() -> str:
    path = os.environ.get("ATTRDB_BIN") or shutil.which("attrdb")
    if not path:
        pytest.exit("set ATTRDB_BIN to a built attrdb (make test sets .build/debug/attrdb)", 2)
    return os.path.abspath(path)


def cli(*args, check=True, input=None):
    """Runs the binary; returns the CompletedProcess (stdout and stderr as bytes)."""
    proc = subprocess.run([binary(), *map(str, args)], input=input, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if check and proc.returncode != 0:
        raise AssertionError(f"attrdb {' '.join(map(str, args))} exited {proc.returncode}: {proc.stderr.decode()}")
    return proc


def frames_supported() -> bool:
    """Whether this binary has `ingest - --format frames` (the stream part of issue 11)."""
    proc = subprocess.run([binary(), "ingest", "--help"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    return b"frames" in proc.stdout


needs_frames = pytest.mark.skipif(not frames_supported(),
                                  reason="this attrdb has no `ingest - --format frames` yet (branch s-stream)")


@pytest.fixture(scope="session")
def example_store(tmp_path_factory):
    """The shared example ingested by the CLI as run `modadd`; read-only for the tests."""
    path = tmp_path_factory.mktemp("example") / "store.sqlite"
    cli("--db", path, "ingest", EXAMPLE, "--run", "modadd")
    return str(path)


@pytest.fixture(scope="session")
def two_run_store(tmp_path_factory):
    """The example as `a`, and a scaled copy of it as `b`, both ingested by the CLI (for compare)."""
    folder = tmp_path_factory.mktemp("two")
    path = folder / "store.sqlite"
    cli("--db", path, "ingest", EXAMPLE, "--run", "a")
    copy = folder / "b"
    shutil.copytree(EXAMPLE, copy)
    values = np.load(copy / "attributions.npy")
    np.save(copy / "attributions.npy", (values * np.float32(1.5)).astype(np.float32))
    cli("--db", path, "ingest", copy, "--run", "b")
    return str(path)


@pytest.fixture
def attrdb_module():
    os.environ.setdefault("ATTRDB_BIN", binary())
    import attrdb
    return attrdb
