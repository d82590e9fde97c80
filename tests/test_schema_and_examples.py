"""The committed JSON Schema and docs match the code; the examples load and validate."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from hypothesis import given, settings
from tools import gen_docs

from disclosure_schema import Report, cell_kinds, from_json, json_schema, to_dict, to_json
from tests.strategies import reports

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "examples").glob("*.json"))
VALIDATOR = jsonschema.Draft202012Validator(json_schema())


@pytest.mark.parametrize("name", sorted(gen_docs.GENERATED))
def test_generated_docs_are_up_to_date(name: str) -> None:
    committed = (ROOT / "docs" / name).read_text(encoding="utf-8")
    assert committed == gen_docs.GENERATED[name](), f"run: python tools/gen_docs.py ({name})"


def test_schema_is_valid_draft_2020_12() -> None:
    jsonschema.Draft202012Validator.check_schema(json_schema())


def test_there_are_both_examples() -> None:
    assert {path.name for path in EXAMPLES} >= {"chengguan-2020.json", "example-2021.json"}


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_examples_validate_and_round_trip_byte_identically(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    VALIDATOR.validate(json.loads(text))
    assert to_json(from_json(text)) == text


def test_chengguan_numbers() -> None:
    report = from_json((ROOT / "examples" / "chengguan-2020.json").read_bytes())
    assert report.template == "2019"
    assert report.meta.year == 2020
    assert report.proactive.other_services.previous_items == 213
    assert report.proactive.other_services.change == 6
    assert report.proactive.other_services.decisions == 12253
    assert report.proactive.extra_rows[0].values == (35, 35, 35)
    assert report.requests.received.total == 0


@settings(max_examples=100)
@given(reports)
def test_any_valid_report_validates_against_the_schema(report: Report) -> None:
    VALIDATOR.validate(json.loads(to_json(report)))


def _set(data: dict[str, Any], key: str, value: object) -> None:
    *parents, last = key.split(".")
    for part in parents:
        data = data[part]
    data[last] = value


@pytest.mark.parametrize("template", ["2019", "2021"])
def test_schema_rejects_what_the_loader_rejects(template: str) -> None:
    for key, kind in cell_kinds(template).items():
        data = to_dict(from_json(json.dumps({"template": template})))
        _set(data, key, -1 if kind != "signed" else 1.5)
        assert not VALIDATOR.is_valid(data), key
    assert not VALIDATOR.is_valid({"template": template, "bogus": 1})
    assert not VALIDATOR.is_valid({"template": "2022"})
