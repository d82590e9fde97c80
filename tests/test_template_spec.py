"""The template spec and the agreement it buys: what the constructor accepts round-trips
exactly through JSON; what it refuses, ``from_json`` refuses in the same words at the
same path. Plus strict JSON (duplicate keys, exact big integers), every field checked,
and the JSON Schema reporting a document's own errors."""

from __future__ import annotations

import datetime as dt
import json
import linecache
import math
import traceback
from decimal import Decimal
from typing import Any

import attrs
import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import disclosure_schema
from disclosure_schema import (
    ExtraRow,
    FieldValueError,
    Meta,
    ParseError,
    Proactive2021,
    Problem,
    Report,
    Report2019,
    Report2021,
    ReportFormatError,
    WrittenValue,
    cell_kinds,
    cell_value,
    codec,
    empty_report,
    from_json,
    json_schema,
    to_dict,
    to_json,
)
from disclosure_schema.labels import cell_labels, template_labels
from disclosure_schema.template import (
    AMOUNT,
    COUNT,
    KINDS,
    MAX_INTEGER,
    SIGNED,
    AmountKind,
    ValueKind,
    plain_digits,
    template_for_year,
    template_spec,
    template_tags,
)
from tests.strategies import reports_of

# --- the spec and its helpers -------------------------------------------------------------


def test_official_templates_and_their_years() -> None:
    assert template_tags(official=True) == ("2019", "2021")
    assert [template_for_year(year) for year in (2018, 2019, 2020, 2021, 2030)] == [
        None,
        "2019",
        "2019",
        "2021",
        "2021",
    ]


def test_article_20_items_and_table_shapes_come_from_the_spec() -> None:
    assert template_spec("2019").article20_items() == (1, 5, 6, 8, 9)
    assert template_spec("2021").article20_items() == (1, 5, 6, 8)
    for tag in template_tags():
        spec = template_spec(tag)
        assert len(spec.appeal_cells()) == 15
        assert len(spec.request_columns()) == 7
        assert set(spec.appeal_cells()) <= set(spec.cell_kinds())
        assert list(spec.request_groups())[:3] == ["withheld", "unavailable", "not_processed"]
        assert spec.labels is template_labels(tag)
        assert spec.cell_labels() == cell_labels(tag)
        assert list(spec.cell_kinds()) == list(cell_kinds(tag))
    assert template_spec("2021").request_groups()["other"].zh == "（六）其他处理"
    assert template_spec("2021").article20_block(8).columns[0].key == "amount"


def test_units_are_declared_with_the_cell() -> None:
    assert template_spec("2021").cell_units() == {"proactive.fees.amount": "万元"}
    assert template_spec("2019").cell_units() == {}
    kind = template_spec("2021").value_kinds()["proactive.fees.amount"]
    assert isinstance(kind, AmountKind)
    assert kind.unit == "万元"


def test_unknown_template_is_a_value_error_naming_the_known_ones() -> None:
    with pytest.raises(ValueError, match="'2019' or '2021'"):
        template_spec("2022")


def test_plain_digits() -> None:
    assert plain_digits(Decimal("1E+2")) == "100"
    assert plain_digits(Decimal("0E-10")) == "0.0000000000"
    assert plain_digits(-5) == "-5"


# --- agreement: constructor ⇄ JSON, for every kind and its boundary values --------------


def _with_cell(report: Report, key: str, value: object) -> Report:
    """``report`` with one cell set, through the constructors (validators run)."""
    *parents, name = key.split(".")
    chain: list[Any] = [report]
    for part in parents:
        chain.append(getattr(chain[-1], part))
    obj = attrs.evolve(chain[-1], **{name: value})
    for holder, part in zip(reversed(chain[:-1]), reversed(parents), strict=True):
        obj = attrs.evolve(holder, **{part: obj})
    result: Report = obj
    return result


_NO_JSON = object()


def _json_counterpart(kind: ValueKind, value: object) -> object:
    """The JSON value that stands for a Python value in a cell of ``kind``."""
    if isinstance(value, float) and not math.isfinite(value):
        return _NO_JSON  # NaN and infinities are not JSON
    if isinstance(value, Decimal):
        # how JSON carries a decimal: its string, exactly (str(Decimal(s)) == s)
        return str(value) if kind is AMOUNT else _NO_JSON
    if isinstance(value, str) and kind is AMOUNT:
        return _NO_JSON  # a str is not a Decimal; its JSON would stand for one
    return value


def _set(data: dict[str, Any], key: str, value: object) -> dict[str, Any]:
    *parents, last = key.split(".")
    node = data
    for part in parents:
        node = node[part]
    node[last] = value
    return data


_CELLS = {
    (tag, name): next(key for key, kind in cell_kinds(tag).items() if kind == name)
    for tag in ("2019", "2021")
    for name in KINDS
    if name in cell_kinds(tag).values()
}


def _construct(report: Report, key: str, value: object) -> Report | FieldValueError:
    try:
        return _with_cell(report, key, value)
    except FieldValueError as error:
        return error


def _agree(tag: str, key: str, kind: ValueKind, value: object) -> None:
    empty = empty_report(tag)
    report = _construct(empty, key, value)
    if isinstance(report, FieldValueError):
        error = report
        assert str(error).endswith(f".{key.rsplit('.', 1)[1]}: {error.problem}")
        counterpart = _json_counterpart(kind, value)
        if counterpart is _NO_JSON:
            return
        document = json.dumps(_set(to_dict(empty), key, counterpart))
        with pytest.raises(ReportFormatError) as refused:
            from_json(document)
        assert refused.value.problems == (Problem(key, error.problem),), (value, document)
        return
    stored = cell_value(report, key)
    for pretty in (True, False):
        back = from_json(to_json(report, pretty=pretty))
        assert back == report
        again = cell_value(back, key)
        assert type(again) is type(stored)
        assert str(again) == str(stored)  # exactly: digits and exponent


@pytest.mark.parametrize(("tag", "name"), sorted(_CELLS))
def test_every_boundary_value_agrees(tag: str, name: str) -> None:
    kind = KINDS[name]
    for value in kind.boundary_values():
        _agree(tag, _CELLS[tag, name], kind, value)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(sorted(_CELLS)), st.data())
def test_any_value_agrees(cell: tuple[str, str], data: st.DataObject) -> None:
    tag, name = cell
    kind = KINDS[name]
    value = data.draw(kind.strategy())
    _agree(tag, _CELLS[cell], kind, value)


@pytest.mark.parametrize(
    ("value", "stored"),
    [
        (Decimal("-0"), "0"),
        (Decimal("-0.00"), "0.00"),
        (Decimal("0E-10"), "0E-10"),
        (Decimal("1E+2"), "100"),
        (Decimal("160.5964"), "160.5964"),
    ],
)
def test_amounts_are_normalized_by_the_constructor(value: Decimal, stored: str) -> None:
    row = Proactive2021().fees.__class__(amount=value)
    assert str(row.amount) == stored


@pytest.mark.parametrize(
    ("kind", "value", "message"),
    [
        (COUNT, 2**53, "a count must be at most 9007199254740991, got 9007199254740992"),
        (COUNT, 2**64, "got 18446744073709551616"),
        (COUNT, True, "got boolean true"),
        (COUNT, 1.0, "got number 1.0"),
        (SIGNED, -(2**63), "got -9223372036854775808"),
        (AMOUNT, Decimal("1E-50"), "at most 15 digits before the point and 10 after, got 1E-50"),
        (AMOUNT, Decimal("1E+50"), "got 1E+50"),
        (AMOUNT, Decimal("1" * 45), "got 1111111111111111111111111111111111111111…"),
        (AMOUNT, Decimal("-1"), "an amount cannot be negative, got -1"),
        (AMOUNT, Decimal("NaN"), "an amount must be a finite number, got NaN"),
    ],
)
def test_ranges_are_enforced_by_the_constructor(
    kind: ValueKind, value: object, message: str
) -> None:
    problem = kind.problem(kind.normalize(value))
    assert problem is not None
    assert message in problem


def test_a_huge_json_integer_is_named_by_its_exact_digits() -> None:
    digits = "123456789" * 5
    document = (
        json.dumps({"template": "2021"})[:-1]
        + ', "requests": {"received": {"total": '
        + digits
        + "}}}"
    )
    with pytest.raises(ReportFormatError) as refused:
        from_json(document)
    assert refused.value.problems == (
        Problem("requests.received.total", f"a count must be at most {MAX_INTEGER}, got {digits}"),
    )


# --- strict JSON -----------------------------------------------------------------------

_ROW = {"item": 1, "label": "x"}
_EXTRA_ROW_WITH_TWO_LABELS = (
    json.dumps({"template": "2021", "proactive": {"extra_rows": [_ROW]}})[:-4]
    + ', "label": "y"}]}}'
)


@pytest.mark.parametrize(
    ("document", "path"),
    [
        ('{"template": "2021", "template": "2021"}', "template"),
        (
            '{"template": "2021", "requests": {"received": {"total": 7, "total": 9}}}',
            "requests.received.total",
        ),
        (
            _EXTRA_ROW_WITH_TWO_LABELS,
            "proactive.extra_rows[0].label",
        ),
    ],
)
def test_duplicate_keys_are_refused_naming_the_path(document: str, path: str) -> None:
    for text in (document, document.encode("utf-8")):
        with pytest.raises(ReportFormatError) as refused:
            from_json(text)
        assert refused.value.problems == (
            Problem(path, "duplicate key (the object names it 2 times)"),
        )


def test_a_duplicate_key_in_a_document_written_by_us_is_found() -> None:
    text = to_json(Report2021())
    doubled = text.replace('"total": null', '"total": 7, "total": null', 1)
    assert doubled != text
    with pytest.raises(ReportFormatError, match="duplicate key"):
        from_json(doubled)


# --- every field checked ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("build", "match"),
    [
        (lambda: Meta(year="2024"), r"Meta\.year: expected an integer or null, got string"),
        (lambda: Meta(year=True), r"Meta\.year: .*boolean true"),
        (lambda: Meta(year=1800), r"Meta\.year: a report year must be from 1900"),
        (lambda: Meta(published="2020-01-01"), r"Meta\.published: expected a datetime\.date"),
        (lambda: Meta(published=dt.datetime(2020, 1, 1)), r"Meta\.published"),
        (lambda: Meta(source_url=5), r"Meta\.source_url: expected a string"),
        (lambda: Meta(issuer="a\ud800"), r"Meta\.issuer: a string cannot hold a lone surrogate"),
        (lambda: ExtraRow(item=1, label="x", values=[1, 2]), r"ExtraRow\.values: expected a tuple"),
        (lambda: ExtraRow(item=1, label="x", values=(1.5,)), r"ExtraRow\.values\[0\]: expected an"),
        (lambda: ExtraRow(item=1, label="x", values=("abc",)), r"ExtraRow\.values\[0\]"),
        (lambda: ExtraRow(item=1, label="x", values=(Decimal(-1),)), r"values\[0\]: an amount"),
        (lambda: ExtraRow(item=1, label="x", values=(2**60,)), r"values\[0\]: a change must be"),
        (lambda: ExtraRow(item=1, label=None), r"ExtraRow\.label: expected a string"),
        (lambda: WrittenValue(key=1, text="x"), r"WrittenValue\.key: expected a string"),
        (
            lambda: Report2021(as_written=(WrittenValue(key="bogus", text="x"),)),
            r"Report2021\.as_written\[0\]\.key: not a cell key of template 2021",
        ),
    ],
)
def test_every_field_is_checked_naming_it(build: Any, match: str) -> None:
    with pytest.raises(FieldValueError, match=match):
        build()


def test_extra_row_values_are_normalized_and_round_trip() -> None:
    row = ExtraRow(item=9, label="x", values=(Decimal("-0"), Decimal("1E+1"), -3, None))
    assert row.values == (Decimal("0"), Decimal("10"), -3, None)
    assert hash(row) == hash(row)
    report = Report2019(proactive=Report2019().proactive.__class__(extra_rows=(row,)))
    assert from_json(to_json(report)) == report


def test_template_rules_are_checked_at_load_with_their_path() -> None:
    data = to_dict(Report2021())
    data["as_written"] = [{"key": "bogus", "text": "x", "unit": None}]
    with pytest.raises(ReportFormatError) as refused:
        from_json(json.dumps(data))
    assert refused.value.problems == (
        Problem("as_written[0].key", 'not a cell key of template 2021: string "bogus"'),
    )


# --- the JSON Schema --------------------------------------------------------------------


def test_schema_reports_exactly_the_documents_errors() -> None:
    validator = jsonschema.Draft202012Validator(json_schema())
    for tag in ("2019", "2021"):
        data = to_dict(empty_report(tag))
        data["bogus"] = 1
        data["requests"]["received"]["total"] = "3"
        errors = list(validator.iter_errors(data))
        assert len(errors) == 2, [error.message for error in errors]
        assert sorted(error.json_path for error in errors) == ["$", "$.requests.received.total"]


def test_schema_fragments_come_from_the_kinds() -> None:
    schema = json_schema()
    row = schema["$defs"]["ApplicantRow"]["properties"]["total"]
    assert row == COUNT.schema()
    fees = schema["$defs"]["FeeAmountRow2021"]["properties"]["amount"]
    assert fees == AMOUNT.schema()


# --- errors and version -----------------------------------------------------------------


def test_parse_error_is_kept_and_documented() -> None:
    assert issubclass(ParseError, disclosure_schema.DisclosureSchemaError)


def test_version() -> None:
    assert isinstance(disclosure_schema.__version__, str)
    assert disclosure_schema.__version__.count(".") >= 1


# --- the fast paths hide nothing ------------------------------------------------------------


def test_generated_code_has_its_source_in_linecache() -> None:
    filename = "<disclosure_schema.codec generated>"
    assert linecache.getline(filename, 1).startswith("def ")
    broken = Report2021(meta=Meta(issuer="x"))
    object.__setattr__(broken, "meta", None)  # break an object around its constructor
    try:
        codec.to_dict(broken)
    except AttributeError as error:
        frames = traceback.extract_tb(error.__traceback__)
        generated = [frame for frame in frames if frame.filename == filename]
        assert generated
        assert generated[-1].line  # the source line is shown
    else:  # pragma: no cover
        pytest.fail("a broken object was written")


def test_a_bug_in_the_fast_decoder_is_not_hidden(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(_mirror: object) -> Report:
        raise RuntimeError("bug in the fast path")

    monkeypatch.setattr(codec, "_FROM_MIRROR", dict.fromkeys(codec._FROM_MIRROR, broken))
    with pytest.raises(RuntimeError, match="bug in the fast path"):
        from_json(to_json(Report2021()))


@pytest.mark.parametrize("pretty", [True, False])
def test_duplicates_are_found_whatever_the_layout(pretty: bool) -> None:
    text = to_json(Report2021(meta=Meta(issuer="局")), pretty=pretty)
    variants = [
        # a duplicated number key, a duplicated string key, spaces before a colon
        text.replace('"total":', '"total": 1, "total":', 1),
        text.replace('"issuer":', '"issuer": "x", "issuer":', 1),
        text.replace('"total":', '"total" : 1, "total" :', 1),
    ]
    for variant in variants:
        assert variant != text
        with pytest.raises(ReportFormatError, match="duplicate key"):
            from_json(variant)
    spaced = text.replace('":', '" :')  # no duplicate: still read, and exactly
    assert from_json(spaced) == from_json(text)
    assert codec._from_json_fast(spaced) == from_json(text)


@pytest.mark.parametrize(
    ("digits", "message"),
    [
        (500, "a count must be at most 9007199254740991, got a number of more than 100 digits"),
        (5000, "expected a non-negative integer or null, got integer of 5000 digits"),
    ],
)
def test_integers_beyond_a_double_are_still_json(digits: int, message: str) -> None:
    document = '{"template": "2021", "requests": {"received": {"total": ' + "9" * digits + "}}}"
    with pytest.raises(ReportFormatError) as refused:
        from_json(document)
    assert refused.value.problems == (Problem("requests.received.total", message),)


@settings(max_examples=100, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(reports_of("2019", edges=True), reports_of("2021", edges=True)))
def test_whole_reports_at_the_limits_round_trip_exactly(report: Report) -> None:
    for pretty in (True, False):
        text = to_json(report, pretty=pretty)
        back = from_json(text)
        assert back == report
        assert to_json(back, pretty=pretty) == text
        assert codec.from_dict(json.loads(text)) == report
