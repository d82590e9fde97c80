"""Office files: tell PDF, Word (.docx) and old binary Word/WPS files apart by their
bytes, and convert the old binary formats to .docx with LibreOffice.

Old .doc and .wps files are converted by ``soffice --headless --convert-to docx`` in a
private temporary folder with its own LibreOffice profile (so a running LibreOffice or a
parallel conversion is not disturbed), one file at a time per process, with a time limit;
antiword and catdoc lose the merged cells of table 3, LibreOffice does not.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
import threading
from pathlib import Path
from typing import Final, Literal

from disclosure_schema.errors import ParseError
from disclosure_schema.limits import Limits
from disclosure_schema.parse._docx import is_docx, parse_docx
from disclosure_schema.parse._pdf import parse_pdf
from disclosure_schema.parse.diagnostics import diagnostic
from disclosure_schema.parse.result import ParseResult

__all__ = ["OfficeKind", "convert_to_docx", "office_kind", "parse_office"]

OfficeKind = Literal["pdf", "docx", "legacy"]

_OLE2: Final = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_RTF: Final = b"{\\rtf"
# A PDF header may follow a little junk (the specification allows it within 1 KiB);
# trusted only in a file named .pdf, since a text page may quote "%PDF-".
_PDF_HEADER_WINDOW: Final = 1024
_LEGACY_SUFFIXES: Final = (".doc", ".wps", ".rtf", ".wpt", ".dot")
#: Seconds one conversion may take before LibreOffice is stopped.
CONVERSION_TIMEOUT: Final = 120.0
_INSTALL_HINT: Final = (
    "reading .doc/.wps files needs LibreOffice: install it (Debian/Ubuntu: apt-get install"
    " libreoffice-writer; macOS: brew install --cask libreoffice; Windows: libreoffice.org)"
    " and make sure `soffice` is on PATH, or save the file as .docx"
)
_one_at_a_time = threading.Lock()


def office_kind(data: bytes, extension: str) -> OfficeKind | None:
    """What office format the bytes are, by content first, then by the file extension;
    ``None`` for anything else (text, HTML — a ``.doc`` that is really a web page too)."""
    if data.startswith(b"%PDF-") or (extension == ".pdf" and b"%PDF-" in data[:_PDF_HEADER_WINDOW]):
        return "pdf"
    if is_docx(data):
        return "docx"
    if data.startswith((_OLE2, _RTF)):
        return "legacy"
    if extension == ".pdf":
        return "pdf"
    if extension in (".docx", ".docm", ".dotx"):
        return "docx"
    return None


def _soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def _suffix_for(data: bytes, extension: str) -> str:
    if data.startswith(_RTF):
        return ".rtf"
    return extension if extension in _LEGACY_SUFFIXES else ".doc"


def convert_to_docx(data: bytes, extension: str, *, timeout: float = CONVERSION_TIMEOUT) -> bytes:
    """A .doc/.wps/.rtf file converted to .docx bytes by LibreOffice.

    Raises :class:`ParseError` when LibreOffice is not installed (saying how to install
    it), takes longer than ``timeout`` seconds, or cannot convert the file.
    """
    soffice = _soffice()
    if soffice is None:
        raise ParseError(_INSTALL_HINT)
    with _one_at_a_time, tempfile.TemporaryDirectory(prefix="disclosure-schema-") as folder:
        work = Path(folder)
        source = work / f"input{_suffix_for(data, extension)}"
        source.write_bytes(data)
        output = work / "out"
        command = [
            soffice,
            f"-env:UserInstallation={(work / 'profile').as_uri()}",
            "--headless",
            "--norestore",
            "--nologo",
            "--nodefault",
            "--nolockcheck",
            "--convert-to",
            "docx:MS Word 2007 XML",
            "--outdir",
            str(output),
            str(source),
        ]
        _run(command, timeout)
        converted = output / "input.docx"
        if not converted.is_file():
            raise ParseError(
                f"LibreOffice could not convert the {extension or 'binary'} file to .docx"
            )
        return converted.read_bytes()


def _run(command: list[str], timeout: float) -> None:
    # its own process group, so a hung LibreOffice and its helper processes all stop
    process = subprocess.Popen(
        command,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        raise ParseError(
            f"LibreOffice took more than {timeout:g} s to convert the file; stopped"
        ) from None


def _parse_legacy(data: bytes, extension: str, limits: Limits) -> ParseResult:
    try:
        docx = convert_to_docx(data, extension)
    except ParseError as error:
        return ParseResult(None, (diagnostic("no_report", str(error)),))
    result = parse_docx(docx, limits=limits)
    note = diagnostic(
        "converted",
        f"the {extension or 'binary Word'} file was converted to .docx by LibreOffice",
    )
    return ParseResult(result.report, (note, *result.diagnostics))


def parse_office(data: bytes, extension: str, limits: Limits) -> ParseResult | None:
    """A PDF, Word or old Word/WPS file parsed; ``None`` when the bytes are none of them.

    ``extension`` is the lower-case file extension (``""`` when unknown); the content
    decides first, so a renamed file is still read as what it is.
    """
    kind = office_kind(data, extension)
    if kind is None:
        return None
    if kind == "docx":
        return parse_docx(data, limits=limits)
    if kind == "pdf":
        return parse_pdf(data, limits=limits)
    return _parse_legacy(data, extension, limits)
