"""Parse, check and export on a Dask cluster (the ``dask`` extra).

See docs/scale.md. Dask is imported only when a function here runs; without the extra
they raise :class:`~disclosure_schema.errors.DisclosureSchemaError` saying what to
install.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from disclosure_schema.errors import DisclosureSchemaError

__all__ = ["DaskMissingError", "connect"]

_INSTALL = "pip install 'disclosure-schema[dask]'"


class DaskMissingError(DisclosureSchemaError):
    """Dask (``dask[distributed]``) is not installed: ``pip install 'disclosure-schema[dask]'``."""


def _distributed() -> Any:
    try:
        import distributed  # noqa: PLC0415 - optional extra, imported when used
    except ImportError:
        raise DaskMissingError(f"running on Dask needs dask[distributed]: {_INSTALL}") from None
    return distributed


@contextmanager
def connect(address: str) -> Iterator[Any]:
    """A Dask ``Client`` connected to the scheduler at ``address`` (closed afterwards).

    Parameters:
        address: the scheduler's address, e.g. ``tcp://10.0.0.5:8786``.

    Returns:
        The client (a context manager yields it).
    """
    distributed = _distributed()
    try:
        client = distributed.Client(address, timeout="20s")
    except (OSError, TimeoutError) as error:
        raise DisclosureSchemaError(f"cannot reach the Dask scheduler {address}: {error}") from None
    try:
        yield client
    finally:
        client.close()
