"""Whatever the input, parsing returns a result and never fails inside."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from disclosure_schema import from_json, to_json
from disclosure_schema.labels import SECTION_TITLES, cell_labels
from disclosure_schema.parse import ParseResult, parse_bytes, parse_html, parse_text

_LABELS = sorted(
    {
        text
        for template in ("2019", "2021")
        for label in cell_labels(template).values()
        for text in (label.row.label.zh, label.column.label.zh)
    }
    | {label.zh for label in SECTION_TITLES.values()}
    | {"第二十条第（一）项", "第二十条第(九)项", "（三）", "不予", "小计", "三、", "2020年"}
)
_PIECES = st.sampled_from(
    [*_LABELS, "0", "+6", "99999999999999999999", "-3", "/", "—", "160.5万元", "约30", "",
     " ", "|", "||", "\n", "\n\n",
     "<td>", "</td>", "<tr>", "<table>", "</table>", "<p>", "<br/>", '<td colspan="9">',
     '<td rowspan="0">', "&nbsp;", "\t", "  "]
)  # fmt: skip
# `make fuzz FUZZ_EXAMPLES=100000` runs these at scale by hand.
_EXAMPLES = int(os.environ.get("DISCLOSURE_FUZZ_EXAMPLES", "150"))
_FUZZ = settings(
    max_examples=_EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
_PAGES = st.lists(st.one_of(_PIECES, st.text(max_size=5)), max_size=120).map("".join)


def _sane(result: ParseResult) -> None:
    assert isinstance(result, ParseResult)
    if result.report is not None:
        assert from_json(to_json(result.report)) == result.report
    assert not any("internal parser error" in d.message for d in result.diagnostics), [
        str(d) for d in result.diagnostics
    ]


@_FUZZ
@given(_PAGES)
def test_text_never_fails(page: str) -> None:
    _sane(parse_text(page))


@_FUZZ
@given(_PAGES)
def test_html_never_fails(page: str) -> None:
    _sane(parse_html(page))


@_FUZZ
@given(st.binary(max_size=300), st.sampled_from([None, "a.txt", "a.html", "a.bin"]))
def test_bytes_never_fail(data: bytes, name: str | None) -> None:
    _sane(parse_bytes(data, filename=name))
