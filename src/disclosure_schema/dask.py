"""Parse, check and export a corpus on a Dask cluster (the ``dask`` extra).

:func:`parse_to_parquet` parses any mix of page files and report JSON (local paths or
fsspec URLs such as ``s3://bucket/reports/a.html`` when the matching fsspec backend is
installed) on the cluster's workers and writes the tidy table as a Parquet dataset
partitioned by year and template — the same rows :func:`~disclosure_schema.write_tidy`
writes for the same reports, ``source`` included — plus a table of the files that
failed, each with its reason. :func:`check_to_parquet` does the same for the findings of
:func:`~disclosure_schema.check`. See docs/scale.md.

Dask is imported only when a function here runs; without the extra they raise
:class:`DaskMissingError` saying ``pip install 'disclosure-schema[dask]'``.
"""

from __future__ import annotations

import os
import posixpath
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from typing import Any, Final, TypeVar

import attrs

from disclosure_schema._arrow import import_pyarrow
from disclosure_schema.checks import check
from disclosure_schema.codec import from_json
from disclosure_schema.errors import DisclosureSchemaError, ExportError
from disclosure_schema.export import (
    PARQUET_SCALE,
    _TidyBatch,
)
from disclosure_schema.limits import DEFAULT_LIMITS
from disclosure_schema.model import Report
from disclosure_schema.parse import parse_bytes

__all__ = [
    "FAILURES_NAME",
    "FINDINGS_NAME",
    "TIDY_NAME",
    "DaskMissingError",
    "DatasetSummary",
    "check_to_parquet",
    "connect",
    "parse_to_parquet",
    "run_on",
]

_INSTALL: Final = "pip install 'disclosure-schema[dask]'"
#: The folders and file an output folder holds.
TIDY_NAME: Final = "tidy"
FINDINGS_NAME: Final = "findings"
#: The failures table beside a dataset: ``OUT_DIR/<dataset>_failures.parquet``.
FAILURES_NAME: Final = "{dataset}_failures.parquet"
#: The files a local folder is searched for.
_SUFFIXES: Final = (".json", ".html", ".htm", ".shtml", ".xhtml", ".txt")
_CHUNK: Final = 64
_PARTITIONS: Final = ["year", "template"]

_T = TypeVar("_T")


class DaskMissingError(DisclosureSchemaError):
    """Dask (``dask[distributed]``) is not installed: ``pip install 'disclosure-schema[dask]'``."""


def _distributed() -> Any:
    try:
        import distributed  # noqa: PLC0415 - optional extra, imported when used
    except ImportError:
        raise DaskMissingError(f"running on Dask needs dask[distributed]: {_INSTALL}") from None
    return distributed


@contextmanager
def connect(address: str, *, timeout: str = "10s") -> Iterator[Any]:
    """A Dask ``Client`` connected to the scheduler at ``address`` (closed afterwards).

    Parameters:
        address: the scheduler's address, e.g. ``tcp://10.0.0.5:8786``.
        timeout: how long to keep trying to reach it.

    Returns:
        The client (the context manager yields it).
    """
    distributed = _distributed()
    try:
        client = distributed.Client(address, timeout=timeout)
    except (OSError, TimeoutError) as error:
        raise DisclosureSchemaError(f"cannot reach the Dask scheduler {address}: {error}") from None
    try:
        yield client
    finally:
        client.close()


def run_on(
    address: str, function: Callable[..., _T], tasks: Sequence[tuple[Any, ...]]
) -> Iterator[_T]:
    """``function(*task)`` for every task on the Dask scheduler at ``address``, results
    in task order (the CLI's ``--scheduler``). The workers must see the same files (a
    shared file system) for tasks that name local paths."""
    with connect(address) as client:
        futures = [client.submit(function, *task, pure=False) for task in tasks]
        try:
            for future in futures:
                yield future.result()
        finally:
            client.cancel(futures)


@attrs.frozen
class DatasetSummary:
    """What :func:`parse_to_parquet` or :func:`check_to_parquet` wrote.

    ``dataset`` is the Parquet dataset's folder, ``failures`` the table of failed files;
    ``failed`` lists ``(source, reason)`` for each of them.
    """

    dataset: str
    failures: str
    reports: int
    rows: int
    failed: tuple[tuple[str, str], ...]


# --- reading one input --------------------------------------------------------------------


def _is_url(source: str) -> bool:
    return "://" in source


def _read_bytes(source: str, storage_options: dict[str, Any]) -> bytes:
    limit = max(DEFAULT_LIMITS.max_page_bytes, DEFAULT_LIMITS.max_json_bytes) + 1
    if not _is_url(source):
        with open(source, "rb") as handle:
            return handle.read(limit)
    import fsspec  # type: ignore[import-untyped]  # noqa: PLC0415 - comes with dask

    with fsspec.open(source, "rb", **storage_options) as handle:
        data: bytes = handle.read(limit)
        return data


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _load(source: str, storage_options: dict[str, Any]) -> Report:
    """The report a file holds; :class:`DisclosureSchemaError` with a one-line reason."""
    try:
        data = _read_bytes(source, storage_options)
    except OSError as error:
        raise DisclosureSchemaError(f"cannot read: {error.strerror or error}") from None
    name = posixpath.basename(source.split("?", 1)[0])
    if name.lower().endswith(".json"):
        return from_json(data)
    result = parse_bytes(data, filename=name)
    if result.report is None:
        errors = [d.message for d in result.diagnostics if d.severity == "error"]
        reason = _one_line("; ".join(errors[:3]) if errors else "the page holds no report")
        raise DisclosureSchemaError(
            reason if reason.startswith("no report found") else f"no report found: {reason}"
        )
    report: Report = result.report
    return report


def _load_chunk(
    sources: Sequence[str], storage_options: dict[str, Any]
) -> tuple[list[tuple[Report, str]], list[tuple[str, str]]]:
    loaded: list[tuple[Report, str]] = []
    failed: list[tuple[str, str]] = []
    for source in sources:
        try:
            loaded.append((_load(source, storage_options), source))
        except DisclosureSchemaError as error:
            failed.append((source, _one_line(str(error))))
        except Exception as error:  # noqa: BLE001 - one bad file must not stop the run
            failed.append((source, f"unexpected {type(error).__name__}: {_one_line(str(error))}"))
    return loaded, failed


# --- writing a dataset ------------------------------------------------------------------


def _filesystem(target: str, storage_options: dict[str, Any]) -> tuple[Any, str]:
    if not _is_url(target):
        return None, str(Path(target).resolve())
    import fsspec  # noqa: PLC0415

    fs, root = fsspec.core.url_to_fs(target, **storage_options)
    return fs, root


def _write_part(table: Any, target: str, part: int, storage_options: dict[str, Any]) -> None:
    pa, pq = import_pyarrow()
    # plain strings in the files (the writer's dictionaries are an in-memory device)
    plain = pa.schema(
        [
            (f.name, f.type.value_type if pa.types.is_dictionary(f.type) else f.type)
            for f in table.schema
        ]
    )
    fs, root = _filesystem(target, storage_options)
    pq.write_to_dataset(
        table.cast(plain),
        root,
        partition_cols=_PARTITIONS,
        basename_template=f"part-{part:06d}-{{i}}.parquet",
        filesystem=fs,
        existing_data_behavior="overwrite_or_ignore",
        compression="zstd",
    )


def _parse_chunk(
    sources: Sequence[str], part: int, target: str, storage_options: dict[str, Any]
) -> tuple[int, int, list[tuple[str, str]]]:
    """On a worker: parse a chunk of files and write their tidy rows as one part of the
    dataset; (reports, rows, failures)."""
    loaded, failed = _load_chunk(sources, storage_options)
    batch = _TidyBatch()
    for report, source in loaded:
        batch.add(report, source)
    if batch.rows:
        _write_part(batch.to_arrow(), target, part, storage_options)
    return len(loaded), batch.rows, failed


def _findings_schema(pa: Any) -> Any:
    number = pa.decimal128(38, PARQUET_SCALE)
    text = pa.string()
    return pa.schema(
        [
            ("source", text),
            ("report_id", text),
            ("issuer", text),
            ("year", pa.int32()),
            ("template", text),
            ("rule", text),
            ("severity", text),
            ("cells", pa.list_(text)),
            ("expected", number),
            ("actual", number),
            ("difference", number),
            ("message_zh", text),
            ("message_en", text),
            ("subject", text),
        ]
    )


def _check_chunk(
    sources: Sequence[str], part: int, target: str, storage_options: dict[str, Any]
) -> tuple[int, int, list[tuple[str, str]]]:
    """On a worker: parse or load a chunk of files, check each report and write the
    findings as one part of the dataset; (reports, findings, failures)."""
    from disclosure_schema.export import report_id  # noqa: PLC0415

    pa, _ = import_pyarrow()
    loaded, failed = _load_chunk(sources, storage_options)
    records: list[dict[str, Any]] = []
    for report, source in loaded:
        meta = {
            "source": source,
            "report_id": report_id(report),
            "issuer": report.meta.issuer,
            "year": report.meta.year,
            "template": report.template,
        }
        for finding in check(report):
            record = {**meta, **attrs.asdict(finding, recurse=False)}
            record["cells"] = list(finding.cells)
            for name in ("expected", "actual", "difference"):
                value = record[name]
                record[name] = None if value is None else Decimal(value)
            records.append(record)
    if records:
        table = pa.Table.from_pylist(records, schema=_findings_schema(pa))
        _write_part(table, target, part, storage_options)
    return len(loaded), len(records), failed


# --- running on the cluster ----------------------------------------------------------------


def _sources(paths: Iterable[str | os.PathLike[str]]) -> list[str]:
    """Each path as given; a local folder gives its report and page files (sorted)."""
    found: list[str] = []
    for path in paths:
        text = os.fspath(path)
        if not _is_url(text) and Path(text).is_dir():
            found += [
                str(item)
                for item in sorted(Path(text).rglob("*"))
                if item.is_file()
                and item.suffix.lower() in _SUFFIXES
                and not any(part.startswith(".") for part in item.relative_to(text).parts)
            ]
        else:
            found.append(text)
    return found


def _prepare(folder: str, storage_options: dict[str, Any], *, overwrite: bool) -> None:
    import fsspec  # noqa: PLC0415

    fs, root = fsspec.core.url_to_fs(folder, **storage_options)
    if fs.exists(root):
        if not overwrite:
            raise ExportError(f"{folder} exists; pass overwrite=True to replace it")
        fs.rm(root, recursive=True)
    # the folder exists even when no row is written (no finding, every file failed)
    fs.makedirs(root, exist_ok=True)


def _run(
    work: Callable[..., tuple[int, int, list[tuple[str, str]]]],
    name: str,
    paths: Iterable[str | os.PathLike[str]],
    out_dir: str | os.PathLike[str],
    *,
    client: Any,
    chunk_size: int,
    storage_options: dict[str, Any] | None,
    overwrite: bool,
) -> DatasetSummary:
    distributed = _distributed()
    options = dict(storage_options or {})
    root = os.fspath(out_dir)
    dataset = root.rstrip("/") + "/" + name
    failures = root.rstrip("/") + "/" + FAILURES_NAME
    if not _is_url(root):
        dataset, failures = (
            str(Path(root, name).resolve()),
            str(Path(root, FAILURES_NAME).resolve()),
        )
    _prepare(dataset, options, overwrite=overwrite)
    sources = _sources(paths)
    chunks = [sources[start : start + chunk_size] for start in range(0, len(sources), chunk_size)]
    tasks = [(chunk, part, dataset, options) for part, chunk in enumerate(chunks)]
    if client is None:
        try:
            client = distributed.default_client()
        except ValueError:  # no client: the same work, here, one chunk after another
            client = None
    if client is None:
        results = [work(*task) for task in tasks]
    else:
        futures = [client.submit(work, *task, pure=False) for task in tasks]
        results = client.gather(futures)
    failed = tuple(item for _, _, chunk_failed in results for item in chunk_failed)
    _write_failures(failed, failures, options)
    return DatasetSummary(
        dataset=dataset,
        failures=failures,
        reports=sum(reports for reports, _, _ in results),
        rows=sum(rows for _, rows, _ in results),
        failed=failed,
    )


def _write_failures(
    failed: Sequence[tuple[str, str]], target: str, storage_options: dict[str, Any]
) -> None:
    pa, pq = import_pyarrow()
    table = pa.table(
        {
            "source": pa.array([source for source, _ in failed], pa.string()),
            "reason": pa.array([reason for _, reason in failed], pa.string()),
        }
    )
    fs, path = _filesystem(target, storage_options)
    if fs is None:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(table, path, filesystem=fs)


def parse_to_parquet(
    paths: Iterable[str | os.PathLike[str]],
    out_dir: str | os.PathLike[str],
    *,
    client: Any = None,
    chunk_size: int = _CHUNK,
    storage_options: dict[str, Any] | None = None,
    overwrite: bool = False,
) -> DatasetSummary:
    """Parse files on a Dask cluster into a tidy Parquet dataset partitioned by year and
    template (``OUT_DIR/tidy/year=…/template=…/part-….parquet``), and list the files that
    failed with their reasons in ``OUT_DIR/tidy_failures.parquet`` (columns source,
    reason).

    Parameters:
        paths: page files (HTML, text) and report JSON, as local paths, local folders
            (searched recursively) or fsspec URLs (``s3://…``, ``gs://…``, ``https://…``;
            the backend package must be installed on the workers). Each is the row's
            ``source`` as given.
        out_dir: the output folder (a local path or an fsspec URL the workers can write).
        client: a ``distributed.Client``; ``None`` uses the default client if there is
            one, else runs the same work in this process.
        chunk_size: files per task (each task writes one part file per partition).
        storage_options: passed to fsspec for the inputs and the output.
        overwrite: replace an existing ``OUT_DIR/tidy`` (else :class:`ExportError`).

    Returns:
        A :class:`DatasetSummary`: where the tables are, how many reports and rows, and
        which files failed.
    """
    return _run(
        _parse_chunk,
        TIDY_NAME,
        paths,
        out_dir,
        client=client,
        chunk_size=chunk_size,
        storage_options=storage_options,
        overwrite=overwrite,
    )


def check_to_parquet(
    paths: Iterable[str | os.PathLike[str]],
    out_dir: str | os.PathLike[str],
    *,
    client: Any = None,
    chunk_size: int = _CHUNK,
    storage_options: dict[str, Any] | None = None,
    overwrite: bool = False,
) -> DatasetSummary:
    """Check files on a Dask cluster: every finding of :func:`~disclosure_schema.check`
    as a Parquet dataset partitioned by year and template (``OUT_DIR/findings/…``), one
    row per finding (source, report_id, issuer, year, template, rule, severity, cells,
    expected, actual, difference, message_zh, message_en, subject), and the files that
    failed in ``OUT_DIR/findings_failures.parquet``.

    Parameters and the return value are as for :func:`parse_to_parquet` (``rows`` counts
    findings).
    """
    return _run(
        _check_chunk,
        FINDINGS_NAME,
        paths,
        out_dir,
        client=client,
        chunk_size=chunk_size,
        storage_options=storage_options,
        overwrite=overwrite,
    )
