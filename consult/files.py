"""Writing files that hold responses: private to their owner, whole or not at all, never over
someone else's file.

Every file consult writes with respondents' words in it (exports, reports, backups, recovery
copies) goes through :func:`write_private_atomic`: the bytes go to a temporary file created 0600
in the same folder, are flushed to disk, and only then take the final name. A full disk or a
crash leaves no half-written or 0-byte file behind, and ``overwrite=False`` (the default) means
an existing file, whoever made it, is never replaced.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO

# Owner read/write only: responses are personal data held on members' behalf.
PRIVATE_MODE = 0o600


class FileExists(FileExistsError):
    """The target exists and the caller did not ask to replace it; the message is for the user."""


def _temp_name(path: Path) -> Path:
    return path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")


@contextlib.contextmanager
def private_temp(path: Path) -> Iterator[tuple[Path, BinaryIO]]:
    """A new 0600 temporary file beside ``path``, removed again if the block fails."""
    temp = _temp_name(path)
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_MODE)
    try:
        with os.fdopen(fd, "wb") as handle:
            yield temp, handle
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            temp.unlink()
        raise


def publish(temp: Path, path: Path, *, overwrite: bool = False) -> Path:
    """Give the finished ``temp`` its final name; without ``overwrite`` an existing file stays.

    ``os.link`` fails when the name is taken, so there is no moment at which a file that appeared
    meanwhile could be replaced.
    """
    try:
        if overwrite:
            os.replace(temp, path)
        else:
            try:
                os.link(temp, path)
            except FileExistsError:
                raise FileExists(f"{path} already exists: consult never writes over a file; "
                                 "choose a new name") from None
            temp.unlink()
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            temp.unlink()
        raise
    _sync_folder(path.parent)
    return path


def write_private_atomic(path: str | Path, data: bytes | str | Callable[[BinaryIO], None], *,
                         overwrite: bool = False) -> Path:
    """Write ``data`` (bytes, text as UTF-8, or a function writing to a binary handle) to
    ``path``, created 0600, all or nothing. Raises :class:`FileExists` when ``path`` exists and
    ``overwrite`` is false, and ``OSError`` (no space, no permission) with nothing left behind.
    """
    path = Path(path)
    if not overwrite and (path.exists() or path.is_symlink()):
        raise FileExists(f"{path} already exists: consult never writes over a file; choose a new name")
    with private_temp(path) as (temp, handle):
        if callable(data):
            data(handle)
        else:
            handle.write(data.encode("utf-8") if isinstance(data, str) else data)
    return publish(temp, path, overwrite=overwrite)


def create_private(path: str | Path) -> bool:
    """Create ``path`` empty and 0600 if it does not exist (so that SQLite, which gives its -wal
    and -shm files the database's mode, makes those private too). True if it was created."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_MODE)
    except FileExistsError:
        return False
    os.close(fd)
    return True


def make_private(path: str | Path) -> None:
    """Take group and other permissions off a file we own (a database made before 0600)."""
    with contextlib.suppress(OSError):
        mode = os.stat(path).st_mode
        if mode & 0o077:
            os.chmod(path, mode & 0o700)


def _sync_folder(folder: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder or ".", os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
