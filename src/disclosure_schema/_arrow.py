"""pyarrow, an optional dependency, imported where a Parquet file is written or read."""

from __future__ import annotations

from typing import Any

from disclosure_schema.errors import ExportError

__all__ = ["import_pyarrow"]


def import_pyarrow() -> Any:
    """``(pyarrow, pyarrow.parquet)``; :class:`ExportError` saying what to install when
    pyarrow is missing."""
    try:
        import pyarrow as pa  # type: ignore[import-untyped]  # noqa: PLC0415 - optional extra
        import pyarrow.parquet as pq  # type: ignore[import-untyped]  # noqa: PLC0415
    except ImportError:
        raise ExportError(
            "writing .parquet needs pyarrow: pip install 'disclosure-schema[parquet]'"
        ) from None
    return pa, pq
