"""JSON and dict round trips, and strict loading with every problem named by path."""

from __future__ import annotations

import copy
import json
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings

from disclosure_schema import (
    DisclosureSchemaError,
    FeeAmountRow2021,
    Proactive2021,
    Report,
    Report2021,
    ReportFormatError,
    cell_kinds,
    cells,
    from_dict,
    from_json,
    to_dict,
    to_json,
)
from tests.strategies import reports


@settings(max_examples=200)
@given(reports)
def test_json_round_trip(report: Report) -> None:
    text = to_json(report)
    assert from_json(text) == report
    assert from_json(text.encode("utf-8")) == report
    assert to_json(from_json(text)) == text


@settings(max_examples=200)
@given(reports)
def test_dict_round_trip(report: Report) -> None:
    assert from_dict(to_dict(report)) == report


@settings(max_examples=50)
@given(reports)
def test_every_cell_key_is_in_the_json(report: Report) -> None:
    data = json.loads(to_json(report, pretty=False))
    for key, value in cells(report).items():
        node: Any = data
        for part in key.split("."):
            node = node[part]
        expected = format(value, "f") if isinstance(value, Decimal) else value
        assert node == expected


def test_json_is_utf8_with_chinese_unescaped_and_keys_in_template_order() -> None:
    text = to_json(
        Report2021(proactive=Proactive2021(fees=FeeAmountRow2021(amount=Decimal("9.63211"))))
    )
    assert '"amount": "9.63211"' in text
    assert list(json.loads(text)) == [
        "template",
        "meta",
        "overview",
        "proactive",
        "requests",
        "appeals",
        "problems",
        "other_matters",
        "as_written",
    ]
    assert "\\u" not in to_json(from_dict({"template": "2021", "meta": {"issuer": "城关镇"}}))


def test_compact_json() -> None:
    assert "\n" not in to_json(Report2021(), pretty=False)


def _problems(data: Any) -> list[str]:
    """The problems ``from_dict`` finds in ``data``; ``from_json`` must find the very same
    in its JSON text (its fast msgspec path must refuse the document too)."""
    with pytest.raises(ReportFormatError) as caught:
        from_dict(data)
    problems = [str(problem) for problem in caught.value.problems]
    for text in (json.dumps(data, ensure_ascii=False), json.dumps(data).encode("utf-8")):
        with pytest.raises(ReportFormatError) as caught_json:
            from_json(text)
        assert [str(problem) for problem in caught_json.value.problems] == problems
    return problems


def _set(data: dict[str, Any], key: str, value: object) -> dict[str, Any]:
    data = copy.deepcopy(data)
    node = data
    *parents, last = key.split(".")
    for part in parents:
        node = node[part]
    node[last] = value
    return data


EMPTY = {"2019": to_dict(from_dict({"template": "2019"})), "2021": to_dict(Report2021())}


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("五", 'expected a non-negative integer or null, got string "五"'),
        ("12", 'got string "12"'),
        (2.9, "got number 2.9"),
        (True, "got boolean true"),
        (-3, "a count cannot be negative, got -3"),
        ([1], "got array"),
    ],
)
def test_strict_counts(value: object, message: str) -> None:
    data = _set(EMPTY["2021"], "requests.outcomes.total.natural_person", value)
    (problem,) = _problems(data)
    assert problem.startswith("requests.outcomes.total.natural_person: ")
    assert message in problem


@pytest.mark.parametrize("template", ["2019", "2021"])
def test_every_cell_rejects_a_wrong_type_by_its_key(template: str) -> None:
    # One good and one bad document for every cell the labels table knows.
    for key in cell_kinds(template):
        bad = _set(EMPTY[template], key, "x")
        (problem,) = _problems(bad)
        assert problem.startswith(f"{key}: "), problem
        good = _set(EMPTY[template], key, "1" if key.endswith("amount") else 1)
        assert from_dict(good).template == template


def test_every_problem_is_listed_at_once() -> None:
    data = _set(EMPTY["2021"], "requests.received.total", -1)
    data = _set(data, "appeals.review.bogus", 1)
    data = _set(data, "meta.year", "2021")
    data = _set(data, "proactive.fees.amount", 9.6)
    data = _set(data, "overview.paragraphs", "one")
    data["extra"] = 1
    problems = _problems(data)
    assert problems == [
        'meta.year: expected an integer or null, got string "2021"',
        'overview.paragraphs: expected an array, got string "one"',
        "proactive.fees.amount: expected a decimal (in JSON a string of digits such as"
        ' "9.63") or null, got number 9.6',
        "requests.received.total: a count cannot be negative, got -1",
        "appeals.review.bogus: unknown key",
        "extra: unknown key",
    ]


@pytest.mark.parametrize(
    ("template", "message"),
    [
        ("2022", 'template: expected "2019" or "2021", got string "2022"'),
        (2021, 'template: expected "2019" or "2021", got integer 2021'),
        (None, 'template: expected "2019" or "2021", got null'),
    ],
)
def test_bad_template_tag(template: object, message: str) -> None:
    assert _problems({"template": template}) == [message]


def test_missing_template_and_non_objects() -> None:
    assert _problems({}) == ["template: required key is missing"]
    assert _problems([]) == ["expected an object, got array"]  # type: ignore[arg-type]
    assert _problems(_set(EMPTY["2019"], "requests", 3)) == [
        "requests: expected an object, got integer 3"
    ]


def test_a_2021_table_in_a_2019_document_is_unknown_keys() -> None:
    data = _set(EMPTY["2019"], "proactive.regulations", {"issued": 1})
    assert _problems(data) == ["proactive.regulations.issued: unknown key"]


def test_nested_lists_name_their_index() -> None:
    data = _set(
        EMPTY["2019"],
        "proactive.extra_rows",
        [{"item": 1, "label": "x", "values": [1, 2.5]}, {"item": 3}],
    )
    assert _problems(data) == [
        "proactive.extra_rows[0].values[1]: expected an integer, a decimal or null, got number 2.5",
        "proactive.extra_rows[1].item: expected an article 20 item (1, 5, 6, 8, 9), got integer 3",
        "proactive.extra_rows[1].label: required key is missing",
    ]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("-1", "an amount cannot be negative"),
        # the constructor's words for the same Decimal, or "plain digits" when it would
        # take the value (written differently)
        ("1e5", 'expected a decimal written as plain digits (e.g. "9.63")'),
        ("-0", 'expected a decimal written as plain digits (e.g. "9.63")'),
        ("NaN", "an amount must be a finite number, got NaN"),
        ("1" * 50, "an amount has at most 15 digits before the point and 10 after"),
    ],
)
def test_amounts_are_decimal_strings(value: str, message: str) -> None:
    (problem,) = _problems(_set(EMPTY["2021"], "proactive.fees.amount", value))
    assert message in problem


def test_dates_are_iso() -> None:
    assert from_dict(_set(EMPTY["2021"], "meta.published", "2023-01-19")).meta.published
    (problem,) = _problems(_set(EMPTY["2021"], "meta.published", "20230119"))
    assert problem.startswith("meta.published: expected a date")
    (problem,) = _problems(_set(EMPTY["2021"], "meta.published", "2023-02-30"))
    assert "not a calendar date" in problem


def test_missing_cells_read_as_empty() -> None:
    assert from_dict({"template": "2021"}) == Report2021()


@pytest.mark.parametrize("text", [b"{", "", b"\xff\xfe", "[1, 2", "null"])
def test_bad_json_is_our_error(text: str | bytes) -> None:
    with pytest.raises(ReportFormatError):
        from_json(text)


def test_wrong_input_type_is_our_error() -> None:
    with pytest.raises(DisclosureSchemaError, match="expected JSON as str or bytes"):
        from_json(3)  # type: ignore[arg-type]


def test_message_lists_problems_one_per_line() -> None:
    with pytest.raises(ReportFormatError) as caught:
        from_dict({"template": "2021", "requests": {"received": {"total": "五"}}})
    assert str(caught.value) == (
        "not a valid report (1 problem):\n"
        '  requests.received.total: expected a non-negative integer or null, got string "五"'
    )
