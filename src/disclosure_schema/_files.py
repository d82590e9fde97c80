"""Writing files so that a reader never sees half of one.

Every output goes to a temporary file beside its target (same directory, so the final
``os.replace`` is atomic on POSIX and Windows) and replaces the target only once it is
complete. An interrupted write leaves the old target untouched and, at worst, a hidden
``.NAME.*.tmp`` file that :func:`remove_stale_temporaries` clears on the next run.
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Literal, overload

__all__ = ["TEMP_SUFFIX", "atomic_path", "atomic_writer", "remove_stale_temporaries"]

#: Every temporary file this library writes ends so, and starts with a dot.
TEMP_SUFFIX = ".tmp"
# mkstemp inserts 8 random characters from [a-z0-9_]; matching them exactly keeps a user's
# own ".notes.tmp" safe from the clean-up.
_OURS = re.compile(r"^\..+\.[a-z0-9_]{8}" + re.escape(TEMP_SUFFIX) + "$")


def _current_umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


_UMASK = _current_umask()


def _temporary_beside(target: Path) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(
        prefix=f".{target.name}.", suffix=TEMP_SUFFIX, dir=target.parent
    )
    os.close(handle)
    # mkstemp makes the file private (0600); an output gets the permissions any new
    # file of the user would get.
    os.chmod(name, 0o666 & ~_UMASK)
    return Path(name)


@contextlib.contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """A temporary path to write to; it replaces ``target`` when the block ends normally.

    For writers that want a path rather than a file object (e.g. a Parquet writer).
    """
    temporary = _temporary_beside(target)
    try:
        yield temporary
        os.replace(temporary, target)
    finally:
        with contextlib.suppress(FileNotFoundError):
            temporary.unlink()


@overload
def atomic_writer(
    target: Path, mode: Literal["w"] = "w", *, encoding: str = "utf-8", newline: str | None = None
) -> contextlib.AbstractContextManager[IO[str]]: ...


@overload
def atomic_writer(
    target: Path, mode: Literal["wb"], *, encoding: str = "utf-8", newline: str | None = None
) -> contextlib.AbstractContextManager[IO[bytes]]: ...


def atomic_writer(
    target: Path,
    mode: Literal["w", "wb"] = "w",
    *,
    encoding: str = "utf-8",
    newline: str | None = None,
) -> contextlib.AbstractContextManager[IO[str]] | contextlib.AbstractContextManager[IO[bytes]]:
    """An open file that becomes ``target`` only when the ``with`` block ends normally."""
    if mode == "wb":
        return _atomic_binary(target)
    return _atomic_text(target, encoding, newline)


@contextlib.contextmanager
def _atomic_text(target: Path, encoding: str, newline: str | None) -> Iterator[IO[str]]:
    with (
        atomic_path(target) as temporary,
        temporary.open("w", encoding=encoding, newline=newline) as stream,
    ):
        yield stream
        stream.flush()
        os.fsync(stream.fileno())


@contextlib.contextmanager
def _atomic_binary(target: Path) -> Iterator[IO[bytes]]:
    with atomic_path(target) as temporary, temporary.open("wb") as stream:
        yield stream
        stream.flush()
        os.fsync(stream.fileno())


def remove_stale_temporaries(folder: Path) -> int:
    """Delete temporary files an interrupted earlier run left under ``folder``; how many."""
    removed = 0
    if not folder.is_dir():
        return removed
    for path in folder.rglob(f".*{TEMP_SUFFIX}"):
        if _OURS.match(path.name) and path.is_file():
            path.unlink()
            removed += 1
    return removed
