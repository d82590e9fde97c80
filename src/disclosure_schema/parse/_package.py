"""Office files as zip packages (Word .docx, Excel .xlsx): what a package holds."""

from __future__ import annotations

import io
import zipfile
from typing import Final

__all__ = ["package_holds"]

_ZIP_MAGIC: Final = b"PK\x03\x04"


def package_holds(data: bytes, part: str) -> bool:
    """Whether ``data`` is a zip package holding ``part`` (``word/document.xml``,
    ``xl/workbook.xml``); ``False`` for any other bytes, a damaged zip included."""
    if not data.startswith(_ZIP_MAGIC):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            return part in package.namelist()
    except (zipfile.BadZipFile, ValueError, OSError):
        return False
