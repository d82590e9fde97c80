"""The HTML reader's fast paths give what the plain readings give.

read_html finds cells' plainness once per table, scores the content container by the
lines it does not share with the page, counts nodes in C and builds a cell's element path
only when a diagnostic needs it; each is checked here against the direct reading.
"""

from __future__ import annotations

import lxml.etree
from hypothesis import given, settings
from hypothesis import strategies as st

from disclosure_schema.parse import parse_html
from disclosure_schema.parse.html import (
    _HIDDEN_STYLE,
    _NODE_COUNT,
    _PARSER,
    _clean_tree,
    _container,
    _hiding_style_in,
    _named,
    _plain,
    _plain_cells,
    _text_of,
    read_html,
)
from disclosure_schema.parse.sections import section_of_heading
from disclosure_schema.parse.tokens import path_string
from tests.parse.pages import cms_page_2021

_STYLES = (
    "text-align:center",
    "display:none",
    "DISPLAY : NONE",
    "display:\n\tnone",
    "d\u0131\u017fplay:none",  # dotless i and long s: re.IGNORECASE reads "display"
    "visibility:hidden",
    "border:none",
    "display:block",
    "x:hidden",
)
_INLINE = ("span", "p", "div", "b", "font", "o:p", "td", "DIV")
_SPECIAL = ("sup", "br", "del", "li", "h2", "tr", "tbody")
_TEXTS = ("1", "中文", "&nbsp;", "a &amp; b", "", "12 34", "<!-- c -->", "&foo;")


@st.composite
def _markup(draw: st.DrawFn, *, special: bool, depth: int = 0) -> str:
    """An element for a cell: inline tags and ``<p>``/``<div>`` only (the fast path's
    case, with now and then a hiding style), or any tag with any attribute."""
    tags = _INLINE + _SPECIAL if special else _INLINE
    attributes = ("", "", "", " hidden", ' data-hidden="1"', *(f' style="{s}"' for s in _STYLES))
    if not special:
        attributes = ("",) * 12 + attributes
    tag = draw(st.sampled_from(tags))
    attribute = draw(st.sampled_from(attributes))
    body = draw(st.sampled_from(_TEXTS))
    if depth < 2:
        children = st.lists(_markup(special=special, depth=depth + 1), max_size=2)
        body += "".join(draw(children))
    return f"<{tag}{attribute}>{body}</{tag}>"


def _tables(special: bool) -> st.SearchStrategy[list[list[str]]]:
    cell = st.lists(_markup(special=special), max_size=3).map("".join)
    return st.lists(st.lists(cell, min_size=1, max_size=4), min_size=1, max_size=4)


@settings(max_examples=400, deadline=None)
@given(
    st.booleans().flatmap(_tables),
    st.sampled_from(("{}", "<tbody>{}</tbody>")),
)
def test_plain_cells_of_a_table_agree_with_each_cell(rows: list[list[str]], wrap: str) -> None:
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    root = lxml.etree.fromstring(
        f"<html><body><table>{wrap.format(body)}</table></body></html>", _PARSER
    )
    for table in root.iter("table"):
        if next(table.iterdescendants("table"), None) is not None:
            continue
        trs = list(table.iter("tr"))
        cells = [cell for tr in trs for cell in tr.iterchildren("td", "th") if len(cell)]
        plain = _plain_cells(table, trs, cells)
        if plain is not None:
            assert [cell in plain for cell in cells] == [_plain(cell) for cell in cells]


def _score(element: lxml.etree._Element) -> int:
    """The container score read directly: section headings among the element's short
    lines, plus 3 per table."""
    lines = [line for line in _text_of(element).splitlines() if 0 < len(line.strip()) <= 60]
    headings = sum(1 for line in lines if section_of_heading(line) is not None)
    return headings + 3 * sum(1 for _ in element.iter("table"))


_LINES = (
    "一、总体情况",
    "二、主动公开政府信息情况",
    "五、存在的主要问题及改进情况",
    "正文",
    "",
    "页脚",
)
_BREAKS = ("\n", "\r\n", "\r", "\u2028", "")


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.tuples(st.sampled_from(_LINES), st.sampled_from(_BREAKS)), max_size=12),
    st.integers(0, 12),
    st.integers(0, 12),
    st.booleans(),
    st.booleans(),
    st.sampled_from(("content", "TRS_Editor", "article")),
)
def test_container_is_the_first_candidate_scoring_as_high_as_the_page(
    lines: list[tuple[str, str]], start: int, end: int, table: bool, outside: bool, name: str
) -> None:
    pieces = [f"{text}{brk}" for text, brk in lines]
    start, end = sorted((min(start, len(pieces)), min(end, len(pieces))))
    inside = "".join(pieces[start:end]) + ("<table><tr><td>1</td></tr></table>" if table else "")
    page = (
        f"<html><body>{''.join(pieces[:start])}<div class='{name}'>{inside}</div>"
        f"{''.join(pieces[end:])}{'<table><tr><td>2</td></tr></table>' * outside}</body></html>"
    )
    root = lxml.etree.fromstring(page, _PARSER)
    named = _named(root)
    _clean_tree(root, named)
    body = root.find("body")
    assert body is not None
    candidate = next(root.iter("div"))
    best = _score(body)
    expected = candidate if best and _score(candidate) >= best else body
    assert _container(root, _text_of(body), named) is expected


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.sampled_from(("<p>a</p>", "<!-- c -->", "<?pi x?>", "<br>", "t", "<div>")), max_size=20
    )
)
def test_node_count_is_what_iter_yields(parts: list[str]) -> None:
    keeping = lxml.etree.HTMLParser(recover=True)  # comments and processing instructions kept
    for parser in (_PARSER, keeping):
        root = lxml.etree.fromstring("<html><body>" + "".join(parts) + "</body></html>", parser)
        assert int(_NODE_COUNT(root)) == sum(1 for _ in root.iter())


def test_a_cell_diagnostic_names_the_cell_by_its_element_path() -> None:
    page = cms_page_2021().replace(
        '<span style="font-size:12px">15</span>', '<span style="font-size:12px">1五x</span>', 1
    )
    unreadable = [d for d in parse_html(page).diagnostics if d.code == "unreadable_value"]
    assert [d.key for d in unreadable] == ["proactive.licensing.decisions"]
    path = unreadable[0].path
    assert type(path) is str
    # the token carries the cell element; path_string makes the same path (in the
    # cleaned tree the reader read)
    tokens = [t for t in read_html(page).tokens if t.text == "1五x"]
    assert len(tokens) == 1
    located = tokens[0].path
    assert isinstance(located, lxml.etree._Element)
    assert located.tag == "td"
    assert path_string(located) == path
    assert located.getroottree().xpath(path) == [located]


_JUNK = st.lists(st.sampled_from(("x", ";", "&", '"', "<", "border:none", "mso-")), max_size=3)
_SPACE = st.lists(st.sampled_from((" ", "\t", "\n", "\r", "\u3000", "\xa0", "\x85")), max_size=3)
_NAMES = ("display", "DISPLAY", "d\u0131\u017fplay", "visibility", "v\u0131sibility", "Visibility")
_VALUES = ("none", "NONE", "hidden", "h\u0131dden", "HIDDEN", "block")


@st.composite
def _styles(draw: st.DrawFn) -> str:
    """Style values around a property that may hide: any case (with the letters
    re.IGNORECASE also takes for i and s), any white space, junk before and after."""
    parts = [*draw(_JUNK), draw(st.sampled_from(_NAMES)), *draw(_SPACE), ":"]
    parts += [*draw(_SPACE), draw(st.sampled_from(_VALUES)), *draw(_JUNK)]
    return "".join(parts)


@settings(max_examples=500, deadline=None)
@given(_styles())
def test_a_hiding_style_is_seen_in_the_serialized_table(style: str) -> None:
    table = lxml.etree.fromstring("<table><tr><td><p>1</p></td></tr></table>", _PARSER)
    paragraph = next(table.iter("p"))
    paragraph.set("style", style)
    cell = next(table.iter("td"))
    if _HIDDEN_STYLE.search(style):
        assert _hiding_style_in(lxml.etree.tostring(table, encoding="unicode"))
        assert not _plain(cell)
