"""The fast codec paths (msgspec decoding, generated dict writing) agree with the cattrs
reference path on every document: same reports, same problems, same bytes."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from disclosure_schema import (
    FieldValueError,
    Meta,
    Report,
    Report2021,
    ReportFormatError,
    WrittenValue,
    cell_kinds,
    from_dict,
    from_json,
    to_dict,
    to_json,
    to_json_bytes,
)
from disclosure_schema.codec import (
    _FAST,
    _MODEL_CLASSES,
    _fills_directly,
    _from_json_fast,
    _load_json_exactly,
    _NotAsWeWriteIt,
)
from disclosure_schema.model._values import count
from tests.strategies import reports

EXAMPLES = sorted((Path(__file__).parent.parent / "examples").glob("*.json"))


def _outcome(decode: Any, document: Any) -> object:
    """A report, or the list of problems as text."""
    try:
        return decode(document)
    except ReportFormatError as error:
        return [str(problem) for problem in error.problems]


def _reference(text: str | bytes) -> object:
    """What the reference path makes of a JSON text (orjson's verdict on JSON, exact
    reading with duplicate keys found, then ``from_dict``)."""
    try:
        data = _load_json_exactly(text)
    except ReportFormatError as error:
        if "not valid JSON" in str(error):
            return "not JSON"
        return [str(problem) for problem in error.problems]
    return _outcome(from_dict, data)


def _strings(value: object) -> list[str]:
    """Every string held anywhere in a model object."""
    if isinstance(value, str):
        return [value]
    if attrs.has(type(value)):
        return [s for f in attrs.fields(type(value)) for s in _strings(getattr(value, f.name))]
    if isinstance(value, tuple):
        return [s for item in value for s in _strings(item)]
    return []


def _same_values(left: object, right: object) -> bool:
    """Equal, and equal in the types of every value (1 is not True, Decimal is not int)."""
    if attrs.has(type(left)):
        return type(left) is type(right) and all(
            _same_values(getattr(left, f.name), getattr(right, f.name))
            for f in attrs.fields(type(left))
        )
    if isinstance(left, tuple):
        return (
            isinstance(right, tuple)
            and len(left) == len(right)
            and all(_same_values(a, b) for a, b in zip(left, right, strict=True))
        )
    return type(left) is type(right) and left == right


@settings(max_examples=200)
@given(reports)
def test_fast_decoding_builds_the_reference_report(report: Report) -> None:
    for text in (to_json(report), to_json(report, pretty=False).encode("utf-8")):
        try:
            fast = _from_json_fast(text)
        except _NotAsWeWriteIt:
            # only a text holding a quote (written \") cannot be proven free of
            # duplicate keys by counting quotes; it takes the reference path
            assert '"' in "".join(str(value) for value in _strings(report))
            assert _same_values(from_json(text), report)
            continue
        assert _same_values(fast, report)
        assert _same_values(fast, from_dict(orjson.loads(text)))


@settings(max_examples=200)
@given(reports)
def test_generated_dicts_are_the_converters_dicts(report: Report) -> None:
    reference = _FAST.unstructure(report, unstructure_as=type(report))
    assert to_dict(report) == reference
    assert list(to_dict(report)) == list(reference)
    assert orjson.dumps(to_dict(report)) == orjson.dumps(reference)


@settings(max_examples=200)
@given(reports)
def test_fast_writing_is_byte_identical_to_the_reference(report: Report) -> None:
    reference = _FAST.unstructure(report, unstructure_as=type(report))
    assert to_json_bytes(report, pretty=False) == orjson.dumps(reference)
    assert to_json(report, pretty=False) == orjson.dumps(reference).decode("utf-8")
    pretty = orjson.dumps(reference, option=orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE)
    assert to_json_bytes(report) == pretty


def test_every_character_is_written_as_the_reference_writes_it() -> None:
    every_character = "".join(chr(code) for code in range(0x30000) if not 0xD800 <= code <= 0xDFFF)
    report = Report2021(
        meta=Meta(issuer=every_character),
        as_written=(
            WrittenValue(key="requests.received.total", text='\\"\x00\x1f\x7f\u2028\u2029\ufeff'),
        ),
    )
    reference = orjson.dumps(_FAST.unstructure(report, unstructure_as=Report2021))
    assert to_json_bytes(report, pretty=False) == reference


def test_a_lone_surrogate_is_refused_by_the_constructor() -> None:
    # (it could not be written as UTF-8; before, every writer refused it instead)
    with pytest.raises(FieldValueError, match=r"Meta\.issuer: a string cannot hold a lone"):
        Meta(issuer="a\ud800")


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_examples_take_the_fast_path_and_round_trip_byte_for_byte(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert to_json(_from_json_fast(text)) == text
    assert to_json(from_json(text)) == text


def test_built_objects_are_the_frozen_model_objects() -> None:
    report = from_json(EXAMPLES[0].read_bytes())
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        report.requests.received.total = 1  # type: ignore[misc]
    rebuilt = attrs.evolve(report)
    assert rebuilt == report
    assert hash(rebuilt.requests.received) == hash(report.requests.received)


def test_every_model_class_is_filled_directly() -> None:
    # Not needed for correctness (a class with an unknown validator is built through
    # __init__), but the decode speed depends on it: a new validator should be mirrored.
    assert [cls.__name__ for cls in _MODEL_CLASSES if not _fills_directly(cls)] == []


def test_a_class_with_an_unknown_validator_runs_its_init() -> None:
    @attrs.frozen(kw_only=True)
    class Checked:
        total: int | None = count()
        note: str = attrs.field(default="", validator=attrs.validators.max_len(3))

    @attrs.frozen(kw_only=True)
    class PostInit:
        total: int | None = count()

        def __attrs_post_init__(self) -> None:
            pass

    assert not _fills_directly(Checked)
    assert not _fills_directly(PostInit)
    assert _fills_directly(Meta)
    assert _fills_directly(Report2021)  # its as_written keys: a Literal in the mirror


def _cell_documents() -> list[str]:
    documents = []
    for template in ("2019", "2021"):
        for index, (key, kind) in enumerate(cell_kinds(template).items()):
            value = f'"{index}.5"' if kind == "amount" else str(index)
            node = value
            for part in reversed(key.split(".")):
                node = f'{{"{part}": {node}}}'
            documents.append(f'{{"template": "{template}", {node[1:]}')
    return documents


# JSON texts where msgspec and orjson could read differently: each must give the same
# report or the same problems as the reference path.
EDGE_DOCUMENTS = [
    '{"template": "2019", "template": "2021"}',
    '{"template": "2021", "template": "2019"}',
    '{"template": "2021", "requests": {"received": {"total": 1}}, "requests": {}}',
    '{"template": "2021", "requests": {"received": {"total": 1, "total": 2}}}',
    '{"template": "2021", "requests": {"received": {"total": -1, "total": 2}}}',
    '{"template": "2021", "requests": {"received": {"total": 2, "total": -1}}}',
    '{"template": "2021", "requests": {"received": {"total": 9223372036854775807}}}',
    '{"template": "2021", "requests": {"received": {"total": 9223372036854775808}}}',
    '{"template": "2021", "requests": {"received": {"total": 18446744073709551616}}}',
    '{"template": "2019", "proactive": {"licensing": {"change": -9223372036854775809}}}',
    '{"template": "2021", "requests": {"received": {"total": 1.0}}}',
    '{"template": "2021", "requests": {"received": {"total": 1e2}}}',
    '{"template": "2021", "requests": {"received": {"total": -0}}}',
    '{"template": "2021", "meta": {"year": true}}',
    '{"template": "2021", "meta": {"year": 1899}}',
    '{"template": "2021", "meta": {"published": "2023-01-19\\n"}}',
    '{"template": "2021", "meta": {"published": "2023-02-30"}}',
    '{"template": "2021", "meta": {"published": "２０２３-01-19"}}',
    '{"template": "2021", "meta": {"issuer": "\\ud800"}}',
    '{"template": "2021", "meta": {"issuer": "\\ud83d\\ude00"}}',
    '{"template": "2021", "proactive": {"fees": {"amount": "9.63\\n"}}}',
    '{"template": "2021", "proactive": {"fees": {"amount": "１.5"}}}',
    '{"template": "2021", "proactive": {"fees": {"amount": "' + "1" * 40 + '"}}}',
    '{"template": "2021", "proactive": {"fees": {"amount": "' + "1" * 41 + '"}}}',
    '{"template": "2021", "proactive": {"fees": {"amount": "0.5", "amount": 0.5}}}',
    '{"template": "2021", "proactive": {"extra_rows": [{"item": true, "label": "x"}]}}',
    '{"template": "2021", "proactive": {"extra_rows": [{"item": 1.0, "label": "x"}]}}',
    '{"template": "2021", "proactive": {"extra_rows": [{"item": 1, "label": "x",'
    ' "values": [1, "2.5", null, true]}]}}',
    '{"template": "2021", "proactive": {"extra_rows": [{"label": "x", "item": 9,'
    ' "values": [1, "2.5", null]}]}}',
    '{"template": "2021", "overview": {"paragraphs": {}}}',
    '{"template": "2021", "overview": {"parts": [{"paragraphs": []}]}}',
    '{"template": "2021", "as_written": [{"key": "a", "text": "b", "unit": null}]}',
    '{"template": "2021", "as_written": [{"key": "a", "text": "b", "extra": null}]}',
    '{"template": "2021", "meta": null}',
    '{"template": "2021", "appeals": []}',
    "[]",
    "null",
    '"2021"',
    '{"template": "2021"} ',
    '\ufeff{"template": "2021"}',
    '{"template": "2021"} x',
    '{"template": "2021", }',
    "{'template': '2021'}",
]


@pytest.mark.parametrize("text", EDGE_DOCUMENTS + _cell_documents())
def test_from_json_agrees_with_the_reference_path(text: str) -> None:
    expected = _reference(text.encode("utf-8", "surrogatepass"))
    for document in (text, text.encode("utf-8", "surrogatepass")):
        if expected == "not JSON":
            with pytest.raises(ReportFormatError, match="not valid JSON"):
                from_json(document)
            continue
        actual = _outcome(from_json, document)
        if isinstance(expected, list):
            assert actual == expected
        else:
            assert _same_values(actual, expected)


def test_whole_reports_with_unusual_values_agree() -> None:
    data: dict[str, Any] = json.loads(EXAMPLES[0].read_text(encoding="utf-8"))
    data["proactive"]["extra_rows"] = [
        {"item": 5, "label": "其他", "values": [0, "0.000001", None, 12], "as_written": ["0"]}
    ]
    data["meta"]["published"] = "2021-01-31"
    text = json.dumps(data, ensure_ascii=False)
    report = from_json(text)
    assert _same_values(report, from_dict(data))
    assert report.proactive.extra_rows[0].values[1] == Decimal("0.000001")
    assert type(report.proactive.extra_rows[0].values[1]) is Decimal


def test_a_lone_surrogate_in_str_input_is_not_json_on_every_path() -> None:
    text = '{"template": "2021", "meta": {"issuer": "\ud800"}}'
    with pytest.raises(ReportFormatError, match="not valid JSON"):
        from_json(text)


_json_leaves = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**65), max_value=2**65)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.sampled_from(["1", "0.5", "-1", "1e5", "2023-01-19", "2023-02-30", "", "x", "１"])
    | st.text(max_size=5)
)
_json_values = st.recursive(
    _json_leaves,
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3)
    ),
    max_leaves=6,
)


def _nodes(data: Any, path: tuple[str | int, ...] = ()) -> list[tuple[str | int, ...]]:
    found = [path]
    if isinstance(data, dict):
        for key, value in data.items():
            found += _nodes(value, (*path, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            found += _nodes(value, (*path, index))
    return found


@settings(max_examples=200)
@given(reports, st.data())
def test_mutated_documents_get_the_reference_answer(report: Report, data: st.DataObject) -> None:
    document = to_dict(report)
    path = data.draw(st.sampled_from(_nodes(document)[1:]))
    replacement = data.draw(_json_values)
    node: Any = document
    for step in path[:-1]:
        node = node[step]
    if data.draw(st.booleans()) and isinstance(node, dict):
        node[f"{path[-1]}_extra"] = replacement  # an unknown key next to a known one
    else:
        node[path[-1]] = replacement
    text = json.dumps(document, ensure_ascii=False)
    expected = _reference(text.encode("utf-8", "surrogatepass"))
    actual = _outcome(from_json, text.encode("utf-8", "surrogatepass"))
    if isinstance(expected, list) or expected == "not JSON":
        assert actual == expected or (expected == "not JSON" and isinstance(actual, list))
    else:
        assert _same_values(actual, expected)
