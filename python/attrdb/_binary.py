"""Finding the attrdb binary and running it."""
from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path
from typing import Sequence

from .errors import BinaryNotFound, error_for_status

_BUNDLED = Path(__file__).resolve().parent / "_bin" / "attrdb"


def find_binary() -> str:
    """The attrdb binary to run: the one bundled in the wheel, else `$ATTRDB_BIN`, else `attrdb` on PATH.

    Raises `BinaryNotFound` naming the three places looked in when there is none."""
    if _BUNDLED.is_file() and os.access(_BUNDLED, os.X_OK):
        return str(_BUNDLED)
    env = os.environ.get("ATTRDB_BIN")
    if env:
        if os.path.isfile(env) and os.access(env, os.X_OK):
            return env
        raise BinaryNotFound(f"$ATTRDB_BIN is {env!r}, which is not an executable file")
    found = shutil.which("attrdb")
    if found:
        return found
    raise BinaryNotFound(
        f"no attrdb binary: none bundled at {_BUNDLED}, $ATTRDB_BIN is not set and none is on PATH "
        "(install the wheel built by `make wheel`, or set ATTRDB_BIN to a built attrdb)")


def run_binary(binary: str, args: Sequence[str]) -> bytes:
    """Runs `binary args...`; returns its standard output, or raises the exception its exit status maps to."""
    proc = subprocess.run([binary, *args], stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE)
    if proc.returncode != 0:
        raise error_for_status(proc.returncode, proc.stderr.decode("utf-8", "replace"))
    return proc.stdout
