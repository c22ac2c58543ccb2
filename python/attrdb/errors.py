"""The exceptions: one per exit status of the attrdb binary, carrying its message and status."""
from __future__ import annotations


class AttrdbError(Exception):
    """Base of every attrdb error: `.status` is the CLI's exit status, `.message` its one-line message."""

    status: int = 1

    def __init__(self, message: str, status: int | None = None):
        super().__init__(message)
        self.message = message
        if status is not None:
            self.status = status


class BadInput(AttrdbError):
    """Exit status 1: the input was refused (bad shape, non-finite values, malformed data)."""

    status = 1


class StoreError(AttrdbError):
    """Exit status 2: the store cannot be opened, read or written."""

    status = 2


class NotFound(AttrdbError):
    """Exit status 3: no such run, scan, metric, checkpoint or component."""

    status = 3


class Conflict(AttrdbError):
    """Exit status 4: the data contradicts what the store already holds (e.g. different values for a step)."""

    status = 4


class UsageError(AttrdbError):
    """Exit status 64: the binary was called with options it does not accept."""

    status = 64


class BinaryNotFound(AttrdbError):
    """No attrdb binary: none bundled in the package, none at $ATTRDB_BIN, none on PATH."""

    status = 2


_BY_STATUS = {1: BadInput, 2: StoreError, 3: NotFound, 4: Conflict, 64: UsageError}


def error_for_status(status: int, stderr: str) -> AttrdbError:
    """The exception for a failed run of the binary: its class from the exit status, its message the
    last non-empty line the binary wrote to standard error (without the `attrdb: ` prefix)."""
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    # A usage error prints "Error: …" then the usage lines; anything else ends with its message.
    errors = [line for line in lines if line.startswith("Error: ")]
    message = errors[0] if errors else lines[-1] if lines else f"attrdb exited with status {status}"
    for prefix in ("attrdb: ", "Error: "):
        if message.startswith(prefix):
            message = message[len(prefix):]
    if status < 0:
        return StoreError(f"attrdb was killed by signal {-status}: {message}", status)
    return _BY_STATUS.get(status, AttrdbError)(message, status)
