"""Reports as tables: a tidy table (one row per cell) and a wide one (one row per report).

Both stream: reports are read one at a time and written in batches, so memory does not
grow with the number of reports. The format follows the file extension (or ``format=``
for a file object): ``.csv`` (UTF-8; ``excel=True`` adds a byte-order mark so Excel
detects the encoding), ``.jsonl`` (one JSON object per line) or ``.parquet`` (needs
``pyarrow``, the ``parquet`` extra). A file named by path is written atomically: an
interrupted export leaves the previous file, never half of a new one.

Values are exact and typed in every format. Counts and signed changes are integers in
the ``value`` column (``BIGINT`` in Parquet); money amounts are decimals in the
``amount`` column (``DECIMAL(38, 6)`` in Parquet), written with their own digits in CSV
and JSONL (``9.63211``, never a float's ``9.632109999``). An amount with more than six
decimal places cannot be held exactly in Parquet and is refused with
:class:`~disclosure_schema.errors.ExportError` (write CSV or JSONL instead).

The builder works column by column: each template's cells are read by one generated
function (no object per cell), the labels of every cell are computed once per template,
and a batch becomes Arrow arrays directly (labels as dictionary indices).
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import linecache
import os
import re
from array import array
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from decimal import Decimal, InvalidOperation
from functools import cache, lru_cache
from pathlib import Path
from typing import IO, Any, Final, Literal, NamedTuple, TypeAlias

import attrs
import orjson

from disclosure_schema._arrow import import_pyarrow
from disclosure_schema._files import atomic_path
from disclosure_schema.codec import from_dict, to_json_bytes
from disclosure_schema.errors import DisclosureSchemaError, ExportError
from disclosure_schema.labels import (
    SECTION_TITLES,
    CellLabel,
    ColumnSpec,
    ProactiveBlock,
    cell_labels,
    template_labels,
)
from disclosure_schema.model import TEMPLATES, Report, cell_kinds

__all__ = [
    "PARQUET_SCALE",
    "TIDY_COLUMNS",
    "WIDE_META_COLUMNS",
    "ExportFormat",
    "TidyRow",
    "read_tidy",
    "report_id",
    "reports_from_tidy",
    "tidy_rows",
    "wide_columns",
    "wide_rows",
    "write_tidy",
    "write_wide",
]

ExportFormat: TypeAlias = Literal["csv", "jsonl", "parquet"]
Target: TypeAlias = "str | os.PathLike[str] | IO[bytes] | IO[str]"


class TidyRow(NamedTuple):
    """One cell of one report (a named tuple: ``pandas.DataFrame(tidy_rows(...))`` gives
    one column per field).

    ``source`` is the file the report came from (``None`` when not given) and
    ``report_id`` a stable id of the report's content (see :func:`report_id`). ``key``
    is the cell key (see cell-keys.md); a row a report added beyond the template has the
    key ``proactive.extra_rows[i].values[j]`` (its JSON path). ``row_label`` and
    ``column_label`` are the official Chinese labels, the row's group labels joined by
    ``" · "`` before it. A count or signed change is in ``value`` (an ``int``), a money
    amount in ``amount`` (a ``Decimal``); both are ``None`` for an empty cell (never 0).
    ``unit`` is the unit the report stated for the cell (``WrittenValue.unit``) and
    ``as_written`` the cell's text where the report wrote something other than the
    plain value.
    """

    source: str | None
    report_id: str
    issuer: str | None
    year: int | None
    template: str
    key: str
    section: str
    row_label: str
    column_label: str | None
    value: int | None
    amount: Decimal | None
    unit: str | None
    as_written: str | None

    @property
    def number(self) -> int | Decimal | None:
        """The cell's number, whichever column holds it."""
        return self.value if self.value is not None else self.amount

    def as_tuple(self) -> tuple[Any, ...]:
        """The row's values in :data:`TIDY_COLUMNS` order."""
        return tuple(self)


#: The columns of the tidy table, in order.
TIDY_COLUMNS: Final[tuple[str, ...]] = TidyRow._fields

_REPORT_COLUMNS: Final = ("source", "report_id", "issuer", "year", "template")
_LABEL_COLUMNS: Final = ("key", "section", "row_label", "column_label")

#: The columns of the wide table before the cell keys.
WIDE_META_COLUMNS: Final = _REPORT_COLUMNS

_LABEL_JOINER: Final = " · "
#: Scale of the Parquet ``amount`` columns: six decimal places hold every amount seen in
#: real reports (万元 with up to six places) exactly.
PARQUET_SCALE: Final = 6
_PARQUET_PRECISION: Final = 38
_BATCH_ROWS: Final = 100_000
# a wide row holds ~400 values, so a wide batch is fewer rows for about the same memory
_WIDE_BATCH_ROWS: Final = 2_000
_COMPRESSION: Final = "zstd"
_FORMATS: Final = {".csv": "csv", ".jsonl": "jsonl", ".parquet": "parquet"}


def report_id(report: Report) -> str:
    """A stable id of a report's content: the first 16 hex digits of the BLAKE2b hash
    (8-byte digest) of its compact JSON (:func:`~disclosure_schema.to_json_bytes` with
    ``pretty=False``), so anyone can recompute it from the report.

    The same report gives the same id on every run and machine, whatever file it came
    from: two copies of one report share it (``source`` tells them apart), and a report
    that differs in any field gets another.

    Parameters:
        report: the report.

    Returns:
        The id, e.g. ``"931e30c47eb66bba"``.
    """
    return hashlib.blake2b(to_json_bytes(report, pretty=False), digest_size=8).hexdigest()


# --- labels, computed once per template ------------------------------------------------


def _joined(*parts: str | None) -> str:
    return _LABEL_JOINER.join(part for part in parts if part)


def _column_label(column: ColumnSpec) -> str:
    return _joined(column.group.zh if column.group else None, column.label.zh)


@cache
def _blocks_by_row(template: str) -> dict[str, ProactiveBlock]:
    return {
        row.key: block for block in template_labels(template).proactive_blocks for row in block.rows
    }


@cache
def _block_for_item(template: str, item: int) -> ProactiveBlock | None:
    # The 2021 template has no block 九; a 2021 report that adds one gets the 2019 labels.
    own = template_labels(template).proactive_blocks
    others = (b for t in TEMPLATES if t != template for b in template_labels(t).proactive_blocks)
    return next((block for block in (*own, *others) if block.item == item), None)


def _row_label(template: str, cell: CellLabel) -> str:
    row = cell.row
    if cell.section == "proactive":
        return _joined(_blocks_by_row(template)[row.key].caption.zh, row.label.zh)
    return _joined(
        row.parent.zh if row.parent else None,
        row.group.zh if row.group else None,
        row.label.zh,
    )


_Labels: TypeAlias = tuple[str, str, str, "str | None"]


def _digits(value: int | Decimal) -> str:
    """A value as plain digits: ``12``, ``-3``, ``9.63211`` (never an exponent)."""
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


def _written(value: int | Decimal | None, text: str | None) -> str | None:
    if text is None:
        return None
    if value is not None and text == _digits(value):
        return None
    return text


# --- generated cell readers ------------------------------------------------------------


def _compile(name: str, source: str) -> Callable[..., Any]:
    # registered in linecache so a traceback through the generated code shows its source
    filename = f"<disclosure_schema.export {name}>"
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    namespace: dict[str, Any] = {}
    exec(compile(source, filename, "exec"), namespace)
    reader: Callable[..., Any] = namespace["read"]
    return reader


def _reader_source(keys: Sequence[str], outputs: Sequence[Sequence[str | None]]) -> str:
    """Source of ``read(report)`` returning one tuple per entry of ``outputs``: each a
    sequence of cell keys (``None`` for an always-empty slot). Each object on the way to
    a cell is read once."""
    names: dict[str, str] = {"": "r"}
    lines = ["def read(r):"]

    def var(path: str) -> str:
        if path not in names:
            parent, _, attribute = path.rpartition(".")
            parent_var = var(parent)
            names[path] = f"v{len(names)}"
            lines.append(f"    {names[path]} = {parent_var}.{attribute}")
        return names[path]

    for key in keys:
        var(key.rpartition(".")[0])

    def cell(key: str | None) -> str:
        if key is None:
            return "None"
        parent, _, attribute = key.rpartition(".")
        return f"{names[parent]}.{attribute}"

    results = []
    for output in outputs:
        items = [cell(key) for key in output]
        results.append("(" + "".join(f"{item}, " for item in items) + ")")
    lines.append("    return (" + ", ".join(results) + ",)")
    return "\n".join(lines) + "\n"


@attrs.frozen
class _Plan:
    """What the builders need to know about one template, computed once."""

    template: str
    keys: tuple[str, ...]
    labels: tuple[_Labels, ...]
    position: dict[str, int]
    kinds: tuple[str, ...]
    #: ``read(report) -> (values, amounts)``: counts and signed changes in ``values``
    #: (``None`` at amount cells), amounts in ``amounts`` (``None`` elsewhere)
    read: Callable[[Report], tuple[tuple[int | None, ...], tuple[Decimal | None, ...]]]
    #: ``read(report) -> values`` in :func:`wide_columns` order (after the meta columns)
    read_wide: Callable[[Report], tuple[int | Decimal | None, ...]]
    blank: tuple[None, ...]


@cache
def _plan(template: str) -> _Plan:
    kinds = cell_kinds(template)
    keys = tuple(kinds)
    texts = cell_labels(template)
    labels = tuple(
        (
            key,
            SECTION_TITLES[texts[key].section].zh,
            _row_label(template, texts[key]),
            _column_label(texts[key].column),
        )
        for key in keys
    )
    values = [key if kinds[key] != "amount" else None for key in keys]
    amounts = [key if kinds[key] == "amount" else None for key in keys]
    read = _compile(f"tidy reader {template}", _reader_source(keys, [values, amounts]))
    wide = [key if key in kinds else None for key in _wide_kinds()]
    read_wide_tuple = _compile(f"wide reader {template}", _reader_source(keys, [wide]))

    def read_wide(report: Report) -> tuple[int | Decimal | None, ...]:
        result: tuple[int | Decimal | None, ...] = read_wide_tuple(report)[0]
        return result

    return _Plan(
        template=template,
        keys=keys,
        labels=labels,
        position={key: index for index, key in enumerate(keys)},
        kinds=tuple(kinds.values()),
        read=read,
        read_wide=read_wide,
        blank=(None,) * len(keys),
    )


@cache
def _wide_kinds() -> dict[str, str]:
    kinds: dict[str, str] = {}
    for template in TEMPLATES:
        for key, kind in cell_kinds(template).items():
            known = kinds.setdefault(key, kind)
            # a key means one thing in both templates; a shared key of two kinds would
            # make one wide column hold two kinds of number
            assert known == kind, f"cell {key} is {known} in one template and {kind} in another"
    return kinds


def _plan_of(report: Report) -> _Plan:
    return _plan(report.template)


@cache
def _static_labels() -> tuple[tuple[_Labels, ...], dict[str, array[int]]]:
    """The labels of every template cell of every template, and each template's label
    ids (indices into that tuple) in template order."""
    labels: list[_Labels] = []
    ids: dict[str, array[int]] = {}
    for template in TEMPLATES:
        plan = _plan(template)
        ids[template] = array("i", range(len(labels), len(labels) + len(plan.labels)))
        labels.extend(plan.labels)
    return tuple(labels), ids


# --- column-wise batches ---------------------------------------------------------------


@lru_cache(maxsize=4096)
def _extra_labels(
    template: str, item: int, label: str, row_index: int, count: int
) -> tuple[_Labels, ...]:
    """The labels of the values of an added row (the same few rows recur in many reports)."""
    block = _block_for_item(template, item)
    columns = block.columns if block else ()
    row_label = _joined(block.caption.zh if block else None, label)
    section = SECTION_TITLES["proactive"].zh
    return tuple(
        (
            f"proactive.extra_rows[{row_index}].values[{at}]",
            section,
            row_label,
            _column_label(columns[at]) if at < len(columns) else None,
        )
        for at in range(count)
    )


_Meta: TypeAlias = tuple["str | None", str, "str | None", "int | None", str]


def _meta(report: Report, source: str | None, identity: str) -> _Meta:
    return (source, identity, report.meta.issuer, report.meta.year, report.template)


class _TidyBatch:
    """The tidy rows of some reports, column by column: one entry per report for the
    report's columns, one per row for the rest (labels as ids into a label table)."""

    def __init__(self) -> None:
        self.reports: list[_Meta] = []
        self.report_index: array[int] = array("i")
        self.label_index: array[int] = array("i")
        self.value: list[int | None] = []
        self.amount: list[Decimal | None] = []
        self.unit: list[str | None] = []
        self.as_written: list[str | None] = []
        self._extra_labels: dict[_Labels, int] = {}

    @property
    def rows(self) -> int:
        return len(self.value)

    def add(self, report: Report, source: str | None) -> None:
        plan = _plan_of(report)
        index = len(self.reports)
        values, amounts = plan.read(report)
        self.reports.append(_meta(report, source, report_id(report)))
        size = len(plan.keys)
        self.report_index.extend(array("i", (index,)) * size)
        self.label_index.extend(_static_labels()[1][plan.template])
        start = len(self.value)
        self.value.extend(values)
        self.amount.extend(amounts)
        self.unit.extend(plan.blank)
        self.as_written.extend(plan.blank)
        seen: set[str] = set()
        for entry in report.as_written:
            at = plan.position.get(entry.key)
            if at is None or entry.key in seen:
                continue
            seen.add(entry.key)
            number = values[at] if values[at] is not None else amounts[at]
            self.unit[start + at] = entry.unit
            self.as_written[start + at] = _written(number, entry.text)
        if report.proactive.extra_rows:
            self._add_extra_rows(report, index)

    def _add_extra_rows(self, report: Report, index: int) -> None:
        for row_index, extra in enumerate(report.proactive.extra_rows):
            count = max(len(extra.values), len(extra.as_written))
            labels = _extra_labels(report.template, extra.item, extra.label, row_index, count)
            for at, label in enumerate(labels):
                value = extra.values[at] if at < len(extra.values) else None
                text = extra.as_written[at] if at < len(extra.as_written) else None
                label_id = self._extra_labels.setdefault(
                    label, len(_static_labels()[0]) + len(self._extra_labels)
                )
                self.report_index.append(index)
                self.label_index.append(label_id)
                self.value.append(value if not isinstance(value, Decimal) else None)
                self.amount.append(value if isinstance(value, Decimal) else None)
                self.unit.append(None)
                self.as_written.append(_written(value, text))

    def labels(self) -> Sequence[_Labels]:
        static = _static_labels()[0]
        return (*static, *self._extra_labels) if self._extra_labels else static

    def to_rows(self) -> Iterator[TidyRow]:
        labels = self.labels()
        reports = self.reports
        for report, label, value, amount, unit, written in zip(
            self.report_index,
            self.label_index,
            self.value,
            self.amount,
            self.unit,
            self.as_written,
            strict=True,
        ):
            yield TidyRow(*reports[report], *labels[label], value, amount, unit, written)  # type: ignore[call-arg]

    def to_arrow(self) -> Any:
        pa, _ = import_pyarrow()
        schema = _tidy_arrow_schema()
        by_report = _indices(pa, self.report_index)
        by_label = _indices(pa, self.label_index)
        report_columns = list(zip(*self.reports, strict=True)) or [()] * len(_REPORT_COLUMNS)
        label_columns = _label_arrays(pa, self.labels(), extra=bool(self._extra_labels))
        arrays = []
        for name, column in zip(_REPORT_COLUMNS, report_columns, strict=True):
            if name == "year":
                arrays.append(pa.array(column, pa.int32()).take(by_report))
            else:
                arrays.append(_dictionary(pa, by_report, pa.array(column, pa.string())))
        arrays += [_dictionary(pa, by_label, column) for column in label_columns]
        arrays.append(_int64s(pa, self.value, self._where))
        arrays.append(_decimals(pa, self.amount, self._where))
        arrays.append(pa.array(self.unit, pa.string()))
        arrays.append(pa.array(self.as_written, pa.string()))
        return pa.Table.from_arrays(arrays, schema=schema)

    def _where(self, at: int) -> str:
        source, _, issuer, year, _ = self.reports[self.report_index[at]]
        key = self.labels()[self.label_index[at]][0]
        return f"{source or issuer or '(no issuer)'} {year or ''} {key}"


class _WideBatch:
    """The wide rows of some reports: one tuple per report."""

    def __init__(self) -> None:
        self.tuples: list[tuple[Any, ...]] = []

    @property
    def rows(self) -> int:
        return len(self.tuples)

    def add(self, report: Report, source: str | None) -> None:
        meta = _meta(report, source, report_id(report))
        self.tuples.append((*meta, *_plan_of(report).read_wide(report)))

    def to_rows(self) -> Iterator[tuple[Any, ...]]:
        return iter(self.tuples)

    def to_arrow(self) -> Any:
        pa, _ = import_pyarrow()
        schema = _wide_arrow_schema()
        names = wide_columns()
        columns = list(zip(*self.tuples, strict=True)) or [()] * len(names)
        arrays = []
        for index, (field, column) in enumerate(zip(schema, columns, strict=True)):

            def where(at: int, index: int = index) -> str:
                source, _, issuer, year, _ = self.tuples[at][:5]
                return f"{source or issuer or '(no issuer)'} {year or ''} {names[index]}"

            if pa.types.is_decimal(field.type):
                arrays.append(_decimals(pa, column, where))
            elif pa.types.is_int64(field.type):
                arrays.append(_int64s(pa, column, where))
            else:
                arrays.append(pa.array(column, field.type))
        return pa.Table.from_arrays(arrays, schema=schema)


_Batch: TypeAlias = _TidyBatch | _WideBatch


def _pairs(
    reports: Report | Iterable[Report], sources: Iterable[str | None] | None
) -> Iterator[tuple[Report, str | None]]:
    many: Iterable[Report] = (reports,) if isinstance(reports, Report) else reports
    if sources is None:
        for report in many:
            yield report, None
        return
    try:
        yield from zip(many, sources, strict=True)
    except ValueError:
        raise ExportError("sources: not one source per report") from None


def _batches(
    pairs: Iterable[tuple[Report, str | None]], make: Callable[[], _Batch], batch_rows: int
) -> Iterator[_Batch]:
    batch = make()
    for report, source in pairs:
        batch.add(report, source)
        if batch.rows >= batch_rows:
            yield batch
            batch = make()
    if batch.rows:
        yield batch


def tidy_rows(
    reports: Report | Iterable[Report], *, sources: Iterable[str | None] | None = None
) -> Iterator[TidyRow]:
    """Every cell of every report, one :class:`TidyRow` each, in template order.

    Rows a report added beyond the template (``extra_rows``) follow the template's cells,
    one row per value.

    Parameters:
        reports: one report or many (read lazily).
        sources: the file each report came from, one per report (the ``source`` column).

    Returns:
        The rows, lazily; ``pandas.DataFrame(tidy_rows(reports))`` is the tidy table.

    >>> from disclosure_schema import from_json
    >>> report = from_json(open("examples/example-2021.json", encoding="utf-8").read())
    >>> rows = list(tidy_rows(report))
    >>> len(rows)
    200
    >>> row = next(r for r in rows if r.key == "requests.received.total")
    >>> row.section, row.row_label, row.column_label, row.value
    ('三、收到和处理政府信息公开申请情况', '一、本年新收政府信息公开申请数量', '总计', 52)
    """
    for batch in _batches(_pairs(reports, sources), _TidyBatch, 1):
        assert isinstance(batch, _TidyBatch)
        yield from batch.to_rows()


def wide_columns() -> tuple[str, ...]:
    """The wide table's columns: source, report_id, issuer, year, template, then every
    cell key of both templates (2019's in template order, then the 2021 keys 2019 does
    not have)."""
    return (*WIDE_META_COLUMNS, *_wide_kinds())


def wide_rows(
    reports: Report | Iterable[Report], *, sources: Iterable[str | None] | None = None
) -> Iterator[dict[str, Any]]:
    """One dict per report: :func:`wide_columns` → value (``None`` where empty or where the
    report's template has no such cell).

    Only the template's cells are in the wide table; rows added beyond the template and
    the cells' text as written are in the tidy table.
    """
    names = wide_columns()
    for report, source in _pairs(reports, sources):
        batch = _WideBatch()
        batch.add(report, source)
        yield dict(zip(names, batch.tuples[0], strict=True))


# --- Arrow ----------------------------------------------------------------------------


def _decimal_type(pa: Any) -> Any:
    return pa.decimal128(_PARQUET_PRECISION, PARQUET_SCALE)


def _text(pa: Any) -> Any:
    # labels and report columns are written dictionary-encoded (each label once per
    # batch); the file's columns are plain strings to every reader
    return pa.dictionary(pa.int32(), pa.string())


@cache
def _tidy_arrow_schema() -> Any:
    pa, _ = import_pyarrow()
    types = {"year": pa.int32(), "value": pa.int64(), "amount": _decimal_type(pa)}
    types |= {"unit": pa.string(), "as_written": pa.string()}
    return pa.schema([(name, types.get(name, _text(pa))) for name in TIDY_COLUMNS])


@cache
def _wide_arrow_schema() -> Any:
    pa, _ = import_pyarrow()
    fields = [(name, pa.int32() if name == "year" else pa.string()) for name in _REPORT_COLUMNS]
    fields += [
        (key, _decimal_type(pa) if kind == "amount" else pa.int64())
        for key, kind in _wide_kinds().items()
    ]
    return pa.schema(fields)


def _indices(pa: Any, indices: array[int]) -> Any:
    return pa.Array.from_buffers(pa.int32(), len(indices), [None, pa.py_buffer(indices)])


def _dictionary(pa: Any, indices: Any, dictionary: Any) -> Any:
    if dictionary.null_count:
        # a null is marked in the indices, never stored in the dictionary
        import pyarrow.compute as pc  # type: ignore[import-untyped]  # noqa: PLC0415

        missing = dictionary.is_null().take(indices)
        indices = pc.if_else(missing, pa.scalar(None, pa.int32()), indices)
        return pa.DictionaryArray.from_arrays(indices, dictionary.fill_null(""))
    return pa.DictionaryArray.from_arrays(indices, dictionary)


@cache
def _static_label_arrays() -> tuple[Any, ...]:
    pa, _ = import_pyarrow()
    static = _static_labels()[0]
    return tuple(pa.array(column, pa.string()) for column in zip(*static, strict=True))


def _label_arrays(pa: Any, labels: Sequence[_Labels], *, extra: bool) -> tuple[Any, ...]:
    if not extra:
        return _static_label_arrays()
    return tuple(pa.array(column, pa.string()) for column in zip(*labels, strict=True))


def _int64s(pa: Any, values: Sequence[int | None], where: Callable[[int], str]) -> Any:
    try:
        return pa.array(values, pa.int64())
    except (OverflowError, pa.ArrowInvalid, pa.ArrowTypeError):
        at = next(i for i, v in enumerate(values) if v is not None and not -(2**63) <= v < 2**63)
        raise ExportError(
            f"{where(at)}: {values[at]} does not fit a Parquet BIGINT; export to .csv or .jsonl"
        ) from None


_QUANTUM: Final = Decimal(1).scaleb(-PARQUET_SCALE)
_LARGEST: Final = Decimal(10) ** (_PARQUET_PRECISION - PARQUET_SCALE)


def _fits(value: Decimal) -> bool:
    return abs(value) < _LARGEST and value == value.quantize(_QUANTUM, rounding="ROUND_DOWN")


def _decimals(pa: Any, values: Sequence[Any], where: Callable[[int], str]) -> Any:
    try:
        return pa.array(values, _decimal_type(pa))
    except (pa.ArrowInvalid, pa.ArrowTypeError, InvalidOperation):
        at = next(i for i, v in enumerate(values) if v is not None and not _fits(Decimal(v)))
        raise ExportError(
            f"{where(at)}: {_digits(values[at])} cannot be held exactly in a Parquet"
            f" DECIMAL({_PARQUET_PRECISION}, {PARQUET_SCALE}); export to .csv or .jsonl instead"
        ) from None


# --- encoding a batch, writing a table --------------------------------------------------

#: Text Excel would read as a formula (or as a number: "+6", "-417") when it starts so.
_FORMULA_STARTS: Final = ("=", "+", "-", "@", "\t", "\r")


def _csv_cell(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return _digits(value)
    return value


def _excel_cell(value: object) -> object:
    # Excel runs "=…" as a formula and turns "+6" into 6; a leading apostrophe makes it
    # show the text as written (the apostrophe itself is not displayed).
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return _csv_cell(value)


def _json_value(value: object) -> object:
    if isinstance(value, Decimal):
        # a JSON number with the decimal's own digits; orjson cannot write Decimal itself
        return orjson.Fragment(_digits(value))
    return value


def _encode(batch: _Batch, fmt: ExportFormat, *, excel: bool = False) -> str | bytes | Any:
    """A batch as its piece of a table: CSV text, JSONL bytes or an Arrow table. Runs in
    worker processes too: the one writer only appends the pieces."""
    if fmt == "parquet":
        return batch.to_arrow()
    rows = batch.to_rows()
    if fmt == "csv":
        buffer = io.StringIO()
        cell = _excel_cell if excel else _csv_cell
        csv.writer(buffer).writerows([cell(value) for value in row] for row in rows)
        return buffer.getvalue()
    columns = TIDY_COLUMNS if isinstance(batch, _TidyBatch) else wide_columns()
    option = orjson.OPT_APPEND_NEWLINE
    return b"".join(
        orjson.dumps(
            {name: _json_value(value) for name, value in zip(columns, row, strict=True)},
            option=option,
        )
        for row in rows
    )


def _format_of(target: object, fmt: str | None) -> ExportFormat:
    if fmt is not None:
        if fmt not in _FORMATS.values():
            raise ExportError(f"unknown export format {fmt!r}; use csv, jsonl or parquet")
        return fmt  # type: ignore[return-value]
    name = target if isinstance(target, str | os.PathLike) else getattr(target, "name", None)
    if not isinstance(name, str | os.PathLike):
        raise ExportError("a file object without a name needs format='csv', 'jsonl' or 'parquet'")
    path = Path(name)
    found = _FORMATS.get(path.suffix.lower())
    if found is None:
        raise ExportError(
            f"{path}: unknown export format {path.suffix or '(no extension)'!r};"
            " use .csv, .jsonl or .parquet"
        )
    return found  # type: ignore[return-value]


class _Writer:
    """Appends encoded batches to one table in a binary or text stream."""

    def __init__(
        self, stream: IO[bytes] | IO[str], fmt: ExportFormat, columns: Sequence[str], schema: Any
    ) -> None:
        self._stream = stream
        self._text = isinstance(stream, io.TextIOBase)
        self._parquet: Any = None
        if fmt == "parquet":
            if self._text:
                raise ExportError("a .parquet table needs a binary file object, not a text one")
            _, pq = import_pyarrow()
            # zstd: ~20× smaller than the default snappy on these tables for ~10% more time
            self._parquet = pq.ParquetWriter(
                stream, schema, store_schema=False, compression=_COMPRESSION
            )

    def write(self, piece: str | bytes | Any) -> None:
        if self._parquet is not None:
            self._parquet.write_table(piece)
        elif isinstance(piece, str):
            self._stream.write(piece if self._text else piece.encode("utf-8"))  # type: ignore[arg-type]
        else:
            self._stream.write(piece.decode("utf-8") if self._text else piece)  # type: ignore[arg-type]

    def close(self) -> None:
        if self._parquet is not None:
            self._parquet.close()


@contextmanager
def _open_table(target: Target, fmt: ExportFormat, *, wide: bool, excel: bool) -> Iterator[_Writer]:
    """A writer for one table: to a path (atomically: the file appears only when the
    block ends normally) or to an open file object."""
    if excel and fmt != "csv":
        raise ExportError(f"{_name(target)}: excel=True applies to .csv only")
    columns = wide_columns() if wide else TIDY_COLUMNS
    schema = (_wide_arrow_schema() if wide else _tidy_arrow_schema()) if fmt == "parquet" else None

    def start(stream: IO[bytes] | IO[str]) -> _Writer:
        writer = _Writer(stream, fmt, columns, schema)
        if fmt == "csv":
            header = io.StringIO()
            csv.writer(header).writerow(columns)
            writer.write(("\ufeff" if excel else "") + header.getvalue())
        return writer

    if isinstance(target, str | os.PathLike):
        with atomic_path(Path(target)) as temporary, temporary.open("wb") as stream:
            writer = start(stream)
            try:
                yield writer
            finally:
                writer.close()
        return
    writer = start(target)
    try:
        yield writer
    finally:
        writer.close()


def _name(target: object) -> str:
    return str(target if isinstance(target, str | os.PathLike) else getattr(target, "name", target))


def _write(
    reports: Report | Iterable[Report],
    target: Target,
    *,
    wide: bool,
    sources: Iterable[str | None] | None,
    fmt: str | None,
    excel: bool,
    batch_rows: int,
) -> int:
    chosen = _format_of(target, fmt)
    count = 0
    make: Callable[[], _Batch] = _WideBatch if wide else _TidyBatch
    with _open_table(target, chosen, wide=wide, excel=excel) as writer:
        for batch in _batches(_pairs(reports, sources), make, batch_rows):
            writer.write(_encode(batch, chosen, excel=excel))
            count += batch.rows
    return count


def write_tidy(
    reports: Report | Iterable[Report],
    target: Target,
    *,
    sources: Iterable[str | None] | None = None,
    format: ExportFormat | None = None,
    excel: bool = False,
    batch_rows: int = _BATCH_ROWS,
) -> int:
    """Write the tidy table (one row per cell, :data:`TIDY_COLUMNS`) of ``reports``.

    Parameters:
        reports: one report or many (read lazily, one batch in memory at a time).
        target: a path (the format by its extension: ``.csv``, ``.jsonl``, ``.parquet``;
            written atomically) or an open file object (binary, or text for CSV and
            JSONL; the format from its name or ``format``).
        sources: the file each report came from, one per report (the ``source`` column).
        format: ``"csv"``, ``"jsonl"`` or ``"parquet"``, overriding the extension.
        excel: CSV only: a byte-order mark so Excel opens the UTF-8 file correctly, and
            an apostrophe before text Excel would take for a formula or a number
            (``=…``, ``+6``, ``-417``, ``@…``), so it shows the text as written.
        batch_rows: rows per batch (a Parquet row group).

    Returns:
        The number of rows written.
    """
    return _write(
        reports, target, wide=False, sources=sources, fmt=format, excel=excel, batch_rows=batch_rows
    )


def write_wide(
    reports: Report | Iterable[Report],
    target: Target,
    *,
    sources: Iterable[str | None] | None = None,
    format: ExportFormat | None = None,
    excel: bool = False,
    batch_rows: int = _WIDE_BATCH_ROWS,
) -> int:
    """Write the wide table (one row per report, :func:`wide_columns`) of ``reports``.

    Parameters and the target are as for :func:`write_tidy`. In Parquet, count and
    signed cells are ``int64`` and amounts ``DECIMAL(38, 6)``.

    Returns:
        The number of rows (reports) written.
    """
    return _write(
        reports, target, wide=True, sources=sources, fmt=format, excel=excel, batch_rows=batch_rows
    )


# --- reading a tidy table back ----------------------------------------------------------

_EXTRA_KEY: Final = re.compile(r"^proactive\.extra_rows\[(\d+)\]\.values\[(\d+)\]$")


def _read_number(raw: object, key: str, *, integer: bool) -> int | Decimal | None:
    if raw is None or raw == "":
        return None
    if isinstance(raw, bool) or not isinstance(raw, str | int | Decimal):
        raise ExportError(f"{key}: value {raw!r} is not a number")
    try:
        number = Decimal(raw)
    except InvalidOperation:
        raise ExportError(f"{key}: value {raw!r} is not a number") from None
    if not number.is_finite():
        raise ExportError(f"{key}: value {raw!r} is not a number")
    if integer:
        if number != number.to_integral_value():
            raise ExportError(f"{key}: value {raw!r} is not a whole number")
        return int(number)
    if isinstance(raw, Decimal) and raw.as_tuple().exponent == -PARQUET_SCALE:
        # Parquet's fixed scale writes 1.1 as 1.100000: give back the report's digits
        number = (
            number.quantize(Decimal(1)) if number == number.to_integral() else number.normalize()
        )
    return number


def _unescape_excel(text: str) -> str:
    if text.startswith("'") and text[1:].startswith(_FORMULA_STARTS):
        return text[1:]
    return text


def _records(source: Path, suffix: str) -> tuple[Iterable[dict[str, Any]], IO[Any] | None]:
    if suffix == ".csv":
        stream: IO[Any] = source.open(encoding="utf-8-sig", newline="")
        return csv.DictReader(stream), stream
    if suffix == ".jsonl":
        stream = source.open(encoding="utf-8")
        return (json.loads(line, parse_float=Decimal) for line in stream if line.strip()), stream
    _, pq = import_pyarrow()
    batches = pq.ParquetFile(source).iter_batches()
    return (record for batch in batches for record in batch.to_pylist()), None


def read_tidy(path: str | os.PathLike[str]) -> Iterator[TidyRow]:
    """Read a tidy table written by :func:`write_tidy` back into :class:`TidyRow` values.

    Parameters:
        path: a ``.csv``, ``.jsonl`` or ``.parquet`` file (format by extension).

    Returns:
        The rows, lazily, with counts as ``int`` and amounts as ``Decimal`` again.
    """
    source = Path(path)
    suffix = "." + _format_of(source, None)
    records, stream = _records(source, suffix)
    try:
        for record in records:
            key = str(record["key"])
            text = {
                name: record.get(name) or None
                for name in ("source", "issuer", "column_label", "unit", "as_written")
            }
            as_written = text["as_written"]
            year = record.get("year")
            value = _read_number(record.get("value"), key, integer=True)
            amount = _read_number(record.get("amount"), key, integer=False)
            yield TidyRow(
                source=text["source"],
                report_id=str(record["report_id"]),
                issuer=text["issuer"],
                year=int(year) if year not in (None, "") else None,
                template=str(record["template"]),
                key=key,
                section=str(record["section"]),
                row_label=str(record["row_label"]),
                column_label=text["column_label"],
                value=value if not isinstance(value, Decimal) else int(value),
                amount=Decimal(amount) if amount is not None else None,
                unit=text["unit"],
                as_written=_unescape_excel(as_written) if as_written else None,
            )
    except (KeyError, ValueError, TypeError) as error:
        raise ExportError(f"{source}: not a tidy table written by write_tidy ({error})") from None
    finally:
        if stream is not None:
            stream.close()


def _item_of_caption(row_label: str, key: str) -> tuple[int, str]:
    for template in TEMPLATES:
        for block in template_labels(template).proactive_blocks:
            prefix = block.caption.zh + _LABEL_JOINER
            if row_label.startswith(prefix):
                return block.item, row_label[len(prefix) :]
    raise ExportError(f"{key}: row label {row_label!r} names no 第二十条 block")


def reports_from_tidy(rows: Iterable[TidyRow]) -> Iterator[Report]:
    """Rebuild reports from tidy rows (as :func:`read_tidy` gives them).

    Parameters:
        rows: tidy rows; the rows of one report are consecutive (as written).

    Returns:
        The reports, lazily. A tidy table holds cells, the text as written with its
        unit, added rows, and the issuer and year; the rest of a report (prose, other
        meta) is not in it, so the rebuilt reports have those empty. A new report
        starts where ``source`` or ``report_id`` change, or where the template's first
        cell comes again.
    """
    group: list[TidyRow] = []
    for row in rows:
        # the same report twice in a row (same id, no source) still makes two reports:
        # each report's rows start with its template's first cell
        if group and (
            (row.source, row.report_id) != (group[0].source, group[0].report_id)
            or row.key == _plan(row.template).keys[0]
        ):
            yield _report_of(group)
            group = []
        group.append(row)
    if group:
        yield _report_of(group)


def _plain(value: int | Decimal | None) -> str | int | None:
    return _digits(value) if isinstance(value, Decimal) else value


def _report_of(rows: list[TidyRow]) -> Report:
    head = rows[0]
    data: dict[str, Any] = {
        "template": head.template,
        "meta": {"issuer": head.issuer, "year": head.year},
    }
    written: list[dict[str, Any]] = []
    extras: dict[int, dict[str, Any]] = {}
    for row in rows:
        number = row.number
        match = _EXTRA_KEY.match(row.key)
        if match is not None:
            row_index, value_index = int(match.group(1)), int(match.group(2))
            item, label = _item_of_caption(row.row_label, row.key)
            extra = extras.setdefault(
                row_index, {"item": item, "label": label, "values": [], "as_written": []}
            )
            if value_index != len(extra["values"]):
                raise ExportError(f"{row.key}: values of an added row are out of order")
            extra["values"].append(_plain(number))
            plain = _digits(number) if number is not None else ""
            extra["as_written"].append(row.as_written if row.as_written is not None else plain)
            continue
        node = data
        *parents, last = row.key.split(".")
        for part in parents:
            node = node.setdefault(part, {})
        node[last] = _plain(number)
        if row.as_written is not None or row.unit is not None:
            text = row.as_written if row.as_written is not None else _digits(number or 0)
            if row.as_written is None and number is None:
                text = ""
            written.append({"key": row.key, "text": text, "unit": row.unit})
    if extras:
        data.setdefault("proactive", {})["extra_rows"] = [extras[i] for i in sorted(extras)]
    data["as_written"] = written
    try:
        return from_dict(data)
    except DisclosureSchemaError as error:
        raise ExportError(
            f"rows of {head.source or head.issuer} {head.year} do not make a report: {error}"
        ) from None


# --- pieces of one table made in parallel, appended by one writer -------------------------


@attrs.frozen
class _Piece:
    """A chunk of reports encoded as a piece of a table (``payload`` is ``None`` when no
    report of the chunk could be read), and the chunk's inputs that failed with why."""

    payload: Any
    rows: int
    failures: tuple[tuple[str, str], ...] = ()
    #: the inputs of the chunk (loaded or failed)
    inputs: int = 0


def _encode_piece(
    pairs: Iterable[tuple[Report, str | None]],
    *,
    wide: bool,
    fmt: ExportFormat,
    excel: bool,
    failures: Sequence[tuple[str, str]] = (),
) -> _Piece:
    batch: _Batch = _WideBatch() if wide else _TidyBatch()
    loaded = 0
    for report, source in pairs:
        batch.add(report, source)
        loaded += 1
    payload = _encode(batch, fmt, excel=excel) if batch.rows else None
    return _Piece(payload, batch.rows, tuple(failures), loaded + len(failures))


def _ordered(
    submit: Callable[..., Any],
    function: Callable[..., _Piece],
    tasks: Iterable[tuple[Any, ...]],
    *,
    window: int,
) -> Iterator[_Piece]:
    """``function(*task)`` for every task through ``submit`` (a process pool's or a Dask
    client's), results in task order, at most ``window`` tasks in flight."""
    pending: deque[Any] = deque()
    try:
        for task in tasks:
            pending.append(submit(function, *task))
            if len(pending) >= window:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
    finally:
        for future in pending:
            future.cancel()
