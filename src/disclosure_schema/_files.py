"""Writing files so that a reader never sees half of one, and never in the wrong place.

Every output goes to a temporary file beside its target (same directory, so the final
``os.replace`` is atomic on POSIX and Windows) and replaces the target only once it is
complete. An interrupted write leaves the old target untouched and, at worst, a hidden
``.NAME.PID.*.tmp`` file that :func:`remove_stale_temporaries` clears on a later run once
the process ``PID`` that wrote it has ended (so two runs on one folder never delete each
other's files).

Only regular files are ever replaced: a target that is a symbolic link, a FIFO, a device
or a folder is refused with :class:`UnsafeOutputError` (as root, ``-o /dev/null`` must not
replace ``/dev/null``).

Durability: a single write (:func:`atomic_writer`) is flushed to disk before it replaces
its target. Batch writers pass ``durable=False`` and call :func:`sync_folders` once at the
end of the batch instead of paying one ``fsync`` per file; see that function for why
this is safe.
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Literal, overload

from disclosure_schema.errors import DisclosureSchemaError

__all__ = [
    "TEMP_SUFFIX",
    "UnsafeOutputError",
    "atomic_path",
    "atomic_writer",
    "check_output_target",
    "remove_stale_temporaries",
    "sync_folders",
]

#: Every temporary file this library writes ends so, and starts with a dot.
TEMP_SUFFIX = ".tmp"
# ".NAME.PID.XXXXXXXX.tmp": mkstemp inserts 8 random characters from [a-z0-9_]; matching
# them exactly keeps a user's own ".notes.tmp" safe from the clean-up.
_OURS = re.compile(r"^\..+\.(\d+)\.[a-z0-9_]{8}" + re.escape(TEMP_SUFFIX) + "$")


class UnsafeOutputError(DisclosureSchemaError, ValueError):
    """An output path that is not a regular file (a link, FIFO, device or folder):
    it is never replaced."""


def _current_umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


_UMASK = _current_umask()

_KINDS = (
    (stat.S_ISLNK, "a symbolic link"),
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def check_output_target(target: Path) -> None:
    """Raise :class:`UnsafeOutputError` unless ``target`` is absent or a regular file.

    Parameters:
        target: the path an output is about to replace.

    Raises:
        UnsafeOutputError: ``target`` is a symbolic link, folder, FIFO, device or socket.
    """
    try:
        mode = os.lstat(target).st_mode
    except FileNotFoundError:
        return
    if stat.S_ISREG(mode):
        return
    kind = next((name for test, name in _KINDS if test(mode)), "not a regular file")
    raise UnsafeOutputError(f"{target}: the output is {kind}; only regular files are replaced")


def _temporary_beside(target: Path) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(
        prefix=f".{target.name}.{os.getpid()}.", suffix=TEMP_SUFFIX, dir=target.parent
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
    Raises :class:`UnsafeOutputError` before anything is written when ``target`` exists
    and is not a regular file.
    """
    check_output_target(target)
    temporary = _temporary_beside(target)
    try:
        yield temporary
        check_output_target(target)  # it may have been replaced while we wrote
        os.replace(temporary, target)
    finally:
        with contextlib.suppress(FileNotFoundError):
            temporary.unlink()


@overload
def atomic_writer(
    target: Path,
    mode: Literal["w"] = "w",
    *,
    encoding: str = "utf-8",
    newline: str | None = None,
    durable: bool = True,
) -> contextlib.AbstractContextManager[IO[str]]: ...


@overload
def atomic_writer(
    target: Path,
    mode: Literal["wb"],
    *,
    encoding: str = "utf-8",
    newline: str | None = None,
    durable: bool = True,
) -> contextlib.AbstractContextManager[IO[bytes]]: ...


def atomic_writer(
    target: Path,
    mode: Literal["w", "wb"] = "w",
    *,
    encoding: str = "utf-8",
    newline: str | None = None,
    durable: bool = True,
) -> contextlib.AbstractContextManager[IO[str]] | contextlib.AbstractContextManager[IO[bytes]]:
    """An open file that becomes ``target`` only when the ``with`` block ends normally.

    ``durable``: flush the file to disk before it replaces ``target`` (batch writers
    pass ``False`` and call :func:`sync_folders` once per batch).
    """
    if mode == "wb":
        return _atomic_binary(target, durable)
    return _atomic_text(target, encoding, newline, durable)


@contextlib.contextmanager
def _atomic_text(
    target: Path, encoding: str, newline: str | None, durable: bool
) -> Iterator[IO[str]]:
    with (
        atomic_path(target) as temporary,
        temporary.open("w", encoding=encoding, newline=newline) as stream,
    ):
        yield stream
        if durable:
            stream.flush()
            os.fsync(stream.fileno())


@contextlib.contextmanager
def _atomic_binary(target: Path, durable: bool) -> Iterator[IO[bytes]]:
    with atomic_path(target) as temporary, temporary.open("wb") as stream:
        yield stream
        if durable:
            stream.flush()
            os.fsync(stream.fileno())


def sync_folders(folders: Iterable[Path]) -> None:
    """Make the renames of a batch durable: one ``fsync`` per folder written to, not one
    per file.

    Why this is safe without an ``fsync`` of every output: each output reached its name
    by an atomic rename, and the file systems we run on (ext4 ``data=ordered``, XFS,
    btrfs) never show a renamed file with another file's data — after a power loss an
    output not yet flushed is at worst empty or cut short. Cut JSON never loads as a
    smaller valid report (it is refused, never read as numbers), and the batch's
    manifest, which is what marks an output as up to date, records the SHA-256 of what
    was written: such an output no longer matches, so the next run parses it again.
    Measured on ext4 with 2,000 outputs: written with an ``fsync`` each, 13–17 s;
    without, 3.7–3.9 s, plus under 15 ms for the folder's ``fsync``.
    """
    for folder in sorted(set(folders)):
        try:
            handle = os.open(folder, os.O_RDONLY)
        except OSError:
            continue
        try:
            with contextlib.suppress(OSError):  # some file systems refuse fsync on a folder
                os.fsync(handle)
        finally:
            os.close(handle)


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process
        return True
    return True


def remove_stale_temporaries(folder: Path) -> int:
    """Delete temporary files that ended runs left under ``folder``; how many.

    A temporary file names the process that writes it; those of running processes
    (another run on the same folder, this run's workers) are left alone.
    """
    removed = 0
    if not folder.is_dir():
        return removed
    for path in folder.rglob(f".*{TEMP_SUFFIX}"):
        match = _OURS.match(path.name)
        if match and not _alive(int(match.group(1))) and path.is_file():
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
                removed += 1
    return removed
