"""The parser builds reports without the model's validating ``__init__``s: what it builds
must be exactly what the validating constructors build, and every value a cell reader
gives must be one the model accepts."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from disclosure_schema import cells, from_json, render_text, to_json
from disclosure_schema.parse import parse_text
from disclosure_schema.parse.values import read_cell
from disclosure_schema.template import AMOUNT, COUNT, SIGNED

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
_KINDS = {"count": COUNT, "signed": SIGNED, "amount": AMOUNT}


@pytest.mark.parametrize("name", ["example-2021.json", "chengguan-2020.json"])
def test_a_parsed_report_is_the_model_s_own_object(name: str) -> None:
    report = from_json((EXAMPLES / name).read_text(encoding="utf-8"))
    parsed = parse_text(render_text(report)).report
    assert parsed is not None
    rebuilt = from_json(to_json(parsed))  # through the validating constructors
    assert parsed == rebuilt
    assert hash(parsed) == hash(rebuilt)
    assert type(parsed.requests) is type(rebuilt.requests)
    assert pickle.loads(pickle.dumps(parsed)) == parsed
    assert cells(parsed) == cells(report)
    with pytest.raises(AttributeError):
        parsed.requests.received.natural_persons = 1  # type: ignore[misc]


_CELL_TEXT = st.one_of(
    st.text(alphabet="0123456789,.+-－—/ 万元件约①０１２", max_size=30),
    st.from_regex(r"\A[+-]?[0-9]{1,40}(\.[0-9]{1,30})?(万元|元|件)?\Z"),
)


@settings(max_examples=300, deadline=None)
@given(_CELL_TEXT, st.sampled_from(sorted(_KINDS)))
def test_every_value_read_is_one_the_model_accepts(text: str, kind: str) -> None:
    reading = read_cell(text, kind)  # type: ignore[arg-type]
    assert _KINDS[kind].problem(reading.value) is None, (text, reading)
    if reading.value is not None:
        assert str(_KINDS[kind].normalize(reading.value)) == str(reading.value)
