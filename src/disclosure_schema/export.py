"""Reports as tables: a tidy table (one row per cell) and a wide one (one row per report).

Both stream: reports are read one at a time and written in batches, so memory does not
grow with the number of reports. The format follows the file extension: ``.csv``
(UTF-8; ``excel=True`` adds a byte-order mark so Excel detects the encoding),
``.jsonl`` (one JSON object per line) or ``.parquet`` (needs ``pyarrow``, the
``parquet`` extra). Every file is written atomically: an interrupted export leaves the
previous file, never half of a new one.

Values are exact in every format. Counts are integers; amounts are decimals written with
their own digits in CSV and JSONL (``9.63211``, never a float's ``9.632109999``); in
Parquet ``value`` is ``DECIMAL(38, 6)`` so DuckDB, pandas and Arrow sum it exactly. An
amount with more than six decimal places cannot be held exactly there and is refused
with :class:`~disclosure_schema.errors.ExportError` (write CSV or JSONL instead).
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Callable, Iterable, Iterator
from decimal import Context, Decimal, InvalidOperation
from functools import cache
from pathlib import Path
from typing import Any, Final

import attrs
import orjson

from disclosure_schema._files import atomic_path, atomic_writer
from disclosure_schema.codec import from_dict
from disclosure_schema.errors import DisclosureSchemaError, ExportError
from disclosure_schema.labels import (
    SECTION_TITLES,
    CellLabel,
    ColumnSpec,
    ProactiveBlock,
    cell_labels,
    template_labels,
)
from disclosure_schema.model import TEMPLATES, CellValue, Report, cell_kinds, cells

__all__ = [
    "TIDY_COLUMNS",
    "WIDE_META_COLUMNS",
    "TidyRow",
    "read_tidy",
    "reports_from_tidy",
    "tidy_rows",
    "wide_columns",
    "wide_rows",
    "write_tidy",
    "write_wide",
]

#: The columns of the tidy table, in order.
TIDY_COLUMNS: Final = (
    "issuer",
    "year",
    "template",
    "key",
    "section",
    "row_label",
    "column_label",
    "value",
    "as_written",
)

#: The columns of the wide table before the cell keys.
WIDE_META_COLUMNS: Final = ("issuer", "year", "template")

_LABEL_JOINER: Final = " · "
#: Scale of the Parquet ``value`` column: six decimal places hold every amount seen in
#: real reports (万元 with up to six places) exactly.
PARQUET_SCALE: Final = 6
_PARQUET_PRECISION: Final = 38
_BATCH_ROWS: Final = 50_000
# a wide row holds ~400 values, so a wide batch is fewer rows for about the same memory
_WIDE_BATCH_ROWS: Final = 2_000


@attrs.frozen(kw_only=True)
class TidyRow:
    """One cell of one report.

    ``key`` is the cell key (see cell-keys.md); a row a report added beyond the template
    has the key ``proactive.extra_rows[i].values[j]`` (its JSON path). ``row_label`` and
    ``column_label`` are the official Chinese labels, the row's group labels joined by
    ``" · "`` before it. ``value`` is ``None`` for an empty cell; ``as_written`` is the
    cell's text where the report wrote something other than the plain value.
    """

    issuer: str | None
    year: int | None
    template: str
    key: str
    section: str
    row_label: str
    column_label: str | None
    value: int | Decimal | None
    as_written: str | None

    def as_tuple(self) -> tuple[Any, ...]:
        """The row's values in :data:`TIDY_COLUMNS` order."""
        return attrs.astuple(self, recurse=False)


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


@attrs.frozen
class _CellText:
    section: str
    row_label: str
    column_label: str


@cache
def _cell_texts(template: str) -> dict[str, _CellText]:
    return {
        key: _CellText(
            SECTION_TITLES[cell.section].zh, _row_label(template, cell), _column_label(cell.column)
        )
        for key, cell in cell_labels(template).items()
    }


def _digits(value: int | Decimal) -> str:
    """A value as plain digits: ``12``, ``-3``, ``9.63211`` (never an exponent)."""
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


def _written(value: CellValue, text: str | None) -> str | None:
    if text is None:
        return None
    if value is not None and text == _digits(value):
        return None
    return text


def tidy_rows(reports: Iterable[Report]) -> Iterator[TidyRow]:
    """Every cell of every report, one :class:`TidyRow` each, in template order.

    Rows a report added beyond the template (``extra_rows``) follow the template's cells,
    one row per value.

    >>> from disclosure_schema import from_json
    >>> report = from_json(open("examples/example-2021.json", encoding="utf-8").read())
    >>> rows = list(tidy_rows([report]))
    >>> len(rows)
    200
    >>> row = next(r for r in rows if r.key == "requests.received.total")
    >>> row.section, row.row_label, row.column_label, row.value
    ('三、收到和处理政府信息公开申请情况', '一、本年新收政府信息公开申请数量', '总计', 52)
    """
    for report in reports:
        yield from _report_rows(report)


def _report_rows(report: Report) -> Iterator[TidyRow]:
    issuer, year, template = report.meta.issuer, report.meta.year, report.template
    texts = _cell_texts(template)
    written: dict[str, str] = {}
    for entry in report.as_written:
        written.setdefault(entry.key, entry.text)
    for key, value in cells(report).items():
        text = texts[key]
        yield TidyRow(
            issuer=issuer,
            year=year,
            template=template,
            key=key,
            section=text.section,
            row_label=text.row_label,
            column_label=text.column_label,
            value=value,
            as_written=_written(value, written.get(key)),
        )
    section = SECTION_TITLES["proactive"].zh
    for row_index, extra in enumerate(report.proactive.extra_rows):
        block = _block_for_item(template, extra.item)
        caption = block.caption.zh if block else None
        columns = block.columns if block else ()
        count = max(len(extra.values), len(extra.as_written))
        for index in range(count):
            value = extra.values[index] if index < len(extra.values) else None
            as_written = extra.as_written[index] if index < len(extra.as_written) else None
            yield TidyRow(
                issuer=issuer,
                year=year,
                template=template,
                key=f"proactive.extra_rows[{row_index}].values[{index}]",
                section=section,
                row_label=_joined(caption, extra.label),
                column_label=_column_label(columns[index]) if index < len(columns) else None,
                value=value,
                as_written=_written(value, as_written),
            )


# --- wide -----------------------------------------------------------------------------


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


def wide_columns() -> tuple[str, ...]:
    """The wide table's columns: issuer, year, template, then every cell key of both
    templates (2019's in template order, then the 2021 keys 2019 does not have)."""
    return (*WIDE_META_COLUMNS, *_wide_kinds())


def wide_rows(reports: Iterable[Report]) -> Iterator[dict[str, Any]]:
    """One dict per report: :func:`wide_columns` → value (``None`` where empty or where the
    report's template has no such cell).

    Only the template's cells are in the wide table; rows added beyond the template and
    the cells' text as written are in the tidy table.
    """
    blank = dict.fromkeys(wide_columns())
    for report in reports:
        row: dict[str, Any] = dict(blank)
        row.update(issuer=report.meta.issuer, year=report.meta.year, template=report.template)
        row.update(cells(report))
        yield row


# --- writers --------------------------------------------------------------------------


def _suffix(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".jsonl", ".parquet"):
        raise ExportError(
            f"{path}: unknown export format {path.suffix or '(no extension)'!r};"
            " use .csv, .jsonl or .parquet"
        )
    return suffix


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


def _write_csv(
    rows: Iterable[tuple[Any, ...]], columns: tuple[str, ...], path: Path, *, excel: bool
) -> int:
    count = 0
    encoding = "utf-8-sig" if excel else "utf-8"
    with atomic_writer(path, encoding=encoding, newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(columns)
        cell = _excel_cell if excel else _csv_cell
        for row in rows:
            writer.writerow([cell(value) for value in row])
            count += 1
    return count


def _write_jsonl(rows: Iterable[tuple[Any, ...]], columns: tuple[str, ...], path: Path) -> int:
    count = 0
    with atomic_writer(path, "wb") as stream:
        for row in rows:
            record = {name: _json_value(value) for name, value in zip(columns, row, strict=True)}
            stream.write(orjson.dumps(record, option=orjson.OPT_APPEND_NEWLINE))
            count += 1
    return count


def _import_pyarrow() -> Any:
    try:
        import pyarrow as pa  # type: ignore[import-untyped]  # noqa: PLC0415 - optional extra
        import pyarrow.parquet as pq  # type: ignore[import-untyped]  # noqa: PLC0415
    except ImportError:
        raise ExportError(
            "writing .parquet needs pyarrow: pip install 'disclosure-schema[parquet]'"
        ) from None
    return pa, pq


_QUANTUM: Final = Decimal(1).scaleb(-PARQUET_SCALE)


def _parquet_decimal(value: int | Decimal | None, row: tuple[Any, ...], key: str) -> Decimal | None:
    if value is None:
        return None
    exact = Decimal(value)
    context = Context(prec=_PARQUET_PRECISION, traps=[InvalidOperation])
    try:
        scaled = exact.quantize(_QUANTUM, context=context)
    except InvalidOperation:
        scaled = None
    if scaled != exact:
        raise ExportError(
            f"{row[0] or '(no issuer)'} {row[1] or ''} {key}: {_digits(value)} cannot be held"
            " exactly in a Parquet"
            f" DECIMAL({_PARQUET_PRECISION}, {PARQUET_SCALE}); export to .csv or .jsonl instead"
        )
    return scaled


def _write_parquet(
    rows: Iterable[tuple[Any, ...]],
    schema: Any,
    convert: Callable[[tuple[Any, ...]], tuple[Any, ...]],
    path: Path,
    batch_rows: int,
) -> int:
    pa, pq = _import_pyarrow()
    count = 0
    names = schema.names
    with atomic_path(path) as temporary:
        writer = pq.ParquetWriter(str(temporary), schema)
        try:
            batch: list[tuple[Any, ...]] = []
            for row in rows:
                batch.append(convert(row))
                count += 1
                if len(batch) >= batch_rows:
                    writer.write_table(_table(pa, schema, names, batch))
                    batch = []
            if batch or count == 0:
                writer.write_table(_table(pa, schema, names, batch))
        finally:
            writer.close()
    return count


def _table(pa: Any, schema: Any, names: list[str], batch: list[tuple[Any, ...]]) -> Any:
    columns: list[tuple[Any, ...]] = (
        list(zip(*batch, strict=True)) if batch else [() for _ in names]
    )
    return pa.Table.from_arrays(
        [
            pa.array(list(column), type=field.type)
            for column, field in zip(columns, schema, strict=True)
        ],
        schema=schema,
    )


def _tidy_schema(pa: Any) -> Any:
    text = pa.string()
    return pa.schema(
        [
            ("issuer", text),
            ("year", pa.int32()),
            ("template", text),
            ("key", text),
            ("section", text),
            ("row_label", text),
            ("column_label", text),
            ("value", pa.decimal128(_PARQUET_PRECISION, PARQUET_SCALE)),
            ("as_written", text),
        ]
    )


def write_tidy(
    reports: Iterable[Report],
    path: str | Path,
    *,
    excel: bool = False,
    batch_rows: int = _BATCH_ROWS,
) -> int:
    """Write the tidy table of ``reports`` to ``path`` (format by extension); the number of
    rows written.

    ``excel`` (CSV only) writes a byte-order mark so Excel opens the UTF-8 file correctly,
    and puts an apostrophe before text that Excel would otherwise take for a formula or a
    number (``=…``, ``+6``, ``-417``, ``@…``), so it shows the text as written.
    """
    target = Path(path)
    suffix = _suffix(target)
    if excel and suffix != ".csv":
        raise ExportError(f"{target}: excel=True applies to .csv only")
    rows = (row.as_tuple() for row in tidy_rows(reports))
    if suffix == ".csv":
        return _write_csv(rows, TIDY_COLUMNS, target, excel=excel)
    if suffix == ".jsonl":
        return _write_jsonl(rows, TIDY_COLUMNS, target)
    pa, _ = _import_pyarrow()
    value_at = TIDY_COLUMNS.index("value")

    def convert(row: tuple[Any, ...]) -> tuple[Any, ...]:
        value = _parquet_decimal(row[value_at], row, row[3])
        return (*row[:value_at], value, *row[value_at + 1 :])

    return _write_parquet(rows, _tidy_schema(pa), convert, target, batch_rows)


def write_wide(
    reports: Iterable[Report],
    path: str | Path,
    *,
    excel: bool = False,
    batch_rows: int = _WIDE_BATCH_ROWS,
) -> int:
    """Write the wide table of ``reports`` to ``path`` (format by extension); the number of
    rows (reports) written.

    In Parquet, count and signed cells are ``int64`` and amounts ``DECIMAL(38, 6)``.
    """
    target = Path(path)
    suffix = _suffix(target)
    if excel and suffix != ".csv":
        raise ExportError(f"{target}: excel=True applies to .csv only")
    columns = wide_columns()
    rows = (tuple(row.values()) for row in wide_rows(reports))
    if suffix == ".csv":
        return _write_csv(rows, columns, target, excel=excel)
    if suffix == ".jsonl":
        return _write_jsonl(rows, columns, target)
    pa, _ = _import_pyarrow()
    kinds = _wide_kinds()
    amount_at = [i for i, name in enumerate(columns) if kinds.get(name) == "amount"]
    fields = [("issuer", pa.string()), ("year", pa.int32()), ("template", pa.string())]
    fields += [
        (key, pa.decimal128(_PARQUET_PRECISION, PARQUET_SCALE) if kind == "amount" else pa.int64())
        for key, kind in kinds.items()
    ]

    def convert(row: tuple[Any, ...]) -> tuple[Any, ...]:
        values = list(row)
        for index in amount_at:
            values[index] = _parquet_decimal(values[index], row, columns[index])
        return tuple(values)

    return _write_parquet(rows, pa.schema(fields), convert, target, batch_rows)


# --- reading a tidy table back ----------------------------------------------------------

_EXTRA_KEY: Final = re.compile(r"^proactive\.extra_rows\[(\d+)\]\.values\[(\d+)\]$")


def _read_number(text: str, key: str) -> int | Decimal:
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise ExportError(f"{key}: value {text!r} is not a number") from None
    if not number.is_finite():
        raise ExportError(f"{key}: value {text!r} is not a number")
    return int(number) if number == number.to_integral_value() and "." not in text else number


def _typed_value(raw: object, key: str, template: str) -> int | Decimal | None:
    if raw is None or raw == "":
        return None
    kind = cell_kinds(template).get(key)
    if isinstance(raw, bool) or not isinstance(raw, str | int | Decimal):
        raise ExportError(f"{key}: value {raw!r} is not a number")
    number = _read_number(raw if isinstance(raw, str) else _digits(raw), key)
    if kind in ("count", "signed"):
        if number != int(number):
            raise ExportError(f"{key}: value {raw!r} is not a whole number")
        return int(number)
    if kind == "amount":
        return Decimal(number)
    if isinstance(raw, Decimal) and number == int(number):
        # Parquet's fixed scale turns an added row's 35 into 35.000000: give back the int
        return int(number)
    return number


def _unescape_excel(text: str) -> str:
    if text.startswith("'") and text[1:].startswith(_FORMULA_STARTS):
        return text[1:]
    return text


def read_tidy(path: str | Path) -> Iterator[TidyRow]:
    """Read a tidy table written by :func:`write_tidy` back into :class:`TidyRow` values,
    with counts as ``int`` and amounts as ``Decimal`` again (format by extension)."""
    source = Path(path)
    suffix = _suffix(source)
    records: Iterable[dict[str, Any]]
    if suffix == ".csv":
        stream = source.open(encoding="utf-8-sig", newline="")
        records = csv.DictReader(stream)
    elif suffix == ".jsonl":
        stream = source.open(encoding="utf-8")
        records = (json.loads(line, parse_float=Decimal) for line in stream if line.strip())
    else:
        _, pq = _import_pyarrow()
        stream = None
        records = (
            record
            for batch in pq.ParquetFile(source).iter_batches()
            for record in batch.to_pylist()
        )
    try:
        for record in records:
            template = str(record["template"])
            key = str(record["key"])
            text = {name: record.get(name) for name in ("issuer", "column_label", "as_written")}
            as_written = _unescape_excel(text["as_written"]) if text["as_written"] else None
            year = record.get("year")
            yield TidyRow(
                issuer=text["issuer"] or None,
                year=int(year) if year not in (None, "") else None,
                template=template,
                key=key,
                section=str(record["section"]),
                row_label=str(record["row_label"]),
                column_label=text["column_label"] or None,
                value=_typed_value(record.get("value"), key, template),
                as_written=as_written,
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

    A tidy table holds cells, the text as written, added rows, and the issuer and year;
    the rest of a report (prose, other meta) is not in it, so the rebuilt reports have
    those empty. A new report starts where issuer, year or template change, or where a
    template's first cell comes again.
    """
    group: list[TidyRow] = []
    for row in rows:
        first_key = next(iter(cell_kinds(row.template)))
        if group and (
            (row.issuer, row.year, row.template)
            != (group[0].issuer, group[0].year, group[0].template)
            or row.key == first_key
        ):
            yield _report_of(group)
            group = []
        group.append(row)
    if group:
        yield _report_of(group)


def _report_of(rows: list[TidyRow]) -> Report:
    head = rows[0]
    data: dict[str, Any] = {
        "template": head.template,
        "meta": {"issuer": head.issuer, "year": head.year},
    }
    written: list[dict[str, Any]] = []
    extras: dict[int, dict[str, Any]] = {}
    for row in rows:
        match = _EXTRA_KEY.match(row.key)
        if match is not None:
            row_index, value_index = int(match.group(1)), int(match.group(2))
            item, label = _item_of_caption(row.row_label, row.key)
            extra = extras.setdefault(
                row_index, {"item": item, "label": label, "values": [], "as_written": []}
            )
            if value_index != len(extra["values"]):
                raise ExportError(f"{row.key}: values of an added row are out of order")
            value = row.value
            extra["values"].append(_digits(value) if isinstance(value, Decimal) else value)
            plain = _digits(value) if value is not None else ""
            extra["as_written"].append(row.as_written if row.as_written is not None else plain)
            continue
        node = data
        *parents, last = row.key.split(".")
        for part in parents:
            node = node.setdefault(part, {})
        node[last] = _digits(row.value) if isinstance(row.value, Decimal) else row.value
        if row.as_written is not None:
            written.append({"key": row.key, "text": row.as_written})
    if extras:
        data.setdefault("proactive", {})["extra_rows"] = [extras[i] for i in sorted(extras)]
    data["as_written"] = written
    try:
        return from_dict(data)
    except DisclosureSchemaError as error:
        raise ExportError(
            f"rows of {head.issuer} {head.year} do not make a report: {error}"
        ) from None
