"""What a batch wrote: for each output, the content hash of its input and of itself.

The manifest (``.disclosure-schema.manifest`` in the output folder, JSON) is what makes
an output "up to date": the output still holds exactly the bytes this library wrote and
its input still holds the bytes it was made from. Modification times are not trusted (an
input replaced by a copy with an older time is new content; a newer file of the user's
at the output path is not ours).

Two runs on one folder merge their entries under a lock; an entry lost to a crash only
means the output is made again.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import stat
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Final

import orjson

from disclosure_schema._files import atomic_writer

__all__ = ["MANIFEST_NAME", "Manifest", "file_hash"]

MANIFEST_NAME: Final = ".disclosure-schema.manifest"
_VERSION: Final = 1
_CHUNK: Final = 1 << 20


def file_hash(path: Path) -> str | None:
    """The SHA-256 of a regular file's content (hex), or ``None`` when it cannot be read."""
    digest = hashlib.sha256()
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):  # a FIFO would block, a device not end
            return None
        with open(path, "rb") as handle:
            while chunk := handle.read(_CHUNK):
                digest.update(chunk)
    except OSError:
        return None
    return digest.hexdigest()


@contextlib.contextmanager
def _locked(folder: Path) -> Iterator[None]:
    """An exclusive lock on the folder itself (no lock file left behind)."""
    try:
        import fcntl  # noqa: PLC0415 - POSIX only
    except ImportError:  # pragma: no cover - Windows: last writer wins, which is safe
        yield
        return
    folder.mkdir(parents=True, exist_ok=True)
    handle = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield
    finally:
        os.close(handle)  # closing releases the lock


class Manifest:
    """The manifest of one output folder; names are paths relative to it (POSIX form)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.path = folder / MANIFEST_NAME
        self._entries = self._read()

    def _read(self) -> dict[str, dict[str, str]]:
        try:
            document = orjson.loads(self.path.read_bytes())
        except (OSError, orjson.JSONDecodeError):
            return {}
        if not isinstance(document, dict) or document.get("version") != _VERSION:
            return {}
        outputs = document.get("outputs")
        return dict(outputs) if isinstance(outputs, dict) else {}

    def _name(self, output: Path) -> str:
        return output.relative_to(self.folder).as_posix()

    def recorded(self, output: Path) -> bool:
        """Whether ``output`` is ours: recorded here and still holding what we wrote."""
        entry = self._entries.get(self._name(output))
        return entry is not None and file_hash(output) == entry.get("output")

    def up_to_date(self, source: Path, output: Path) -> bool:
        """Whether ``output`` holds what we wrote from the content ``source`` holds now."""
        entry = self._entries.get(self._name(output))
        if entry is None:
            return False
        return file_hash(output) == entry.get("output") and file_hash(source) == entry.get("input")

    def save(self, written: Mapping[Path, tuple[str, str]], removed: set[Path]) -> None:
        """Record ``written`` (output → (input hash, output hash)) and forget ``removed``,
        merged with what other runs recorded meanwhile; written durably."""
        if not written and not removed:
            return
        with _locked(self.folder):
            entries = self._read()
            for output in removed:
                entries.pop(self._name(output), None)
            for output, (source_hash, output_hash) in written.items():
                entries[self._name(output)] = {"input": source_hash, "output": output_hash}
            document = {"version": _VERSION, "outputs": entries}
            with atomic_writer(self.path, "wb") as stream:
                stream.write(orjson.dumps(document))
            self._entries = entries
