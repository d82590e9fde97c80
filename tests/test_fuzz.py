"""No-crash properties: every public entry point answers any input with a result or one of
our exceptions, never anything else.

The number of examples comes from ``DISCLOSURE_FUZZ_EXAMPLES`` (small by default, so the
suite stays quick; ``make fuzz`` runs a large number by hand).
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Callable
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from disclosure_schema import DisclosureSchemaError, from_dict, from_json, to_dict
from tests.strategies import reports

EXAMPLES = int(os.environ.get("DISCLOSURE_FUZZ_EXAMPLES", "150"))
fuzz = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=20,
)


def _answers(function: Callable[[Any], object], value: object) -> None:
    with contextlib.suppress(DisclosureSchemaError):
        function(value)


def _paths(node: object, prefix: tuple[str | int, ...] = ()) -> list[tuple[str | int, ...]]:
    found = [prefix]
    if isinstance(node, dict):
        for key, child in node.items():
            found += _paths(child, (*prefix, key))
    elif isinstance(node, list):
        for index, child in enumerate(node):
            found += _paths(child, (*prefix, index))
    return found


@st.composite
def mutated_reports(draw: st.DrawFn) -> object:
    """A valid report's data with one node replaced by an arbitrary JSON value."""
    data: Any = to_dict(draw(reports))
    path = draw(st.sampled_from(_paths(data)))
    replacement = draw(json_values)
    if not path:
        return replacement
    node = data
    for part in path[:-1]:
        node = node[part]
    node[path[-1]] = replacement
    return data


@fuzz
@given(st.binary(max_size=2000))
def test_from_json_bytes(data: bytes) -> None:
    _answers(from_json, data)


@fuzz
@given(st.text(max_size=2000))
def test_from_json_text(text: str) -> None:
    _answers(from_json, text)


@fuzz
@given(json_values)
def test_from_dict_any_json(value: object) -> None:
    _answers(from_dict, value)
    _answers(from_json, json.dumps(value))


@fuzz
@given(mutated_reports())
def test_from_dict_mutated_reports(value: object) -> None:
    _answers(from_dict, value)
