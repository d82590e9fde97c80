"""Figures the report's prose states choose between readings of a table (issue 12).

The phrase reader reads only plain statements of one cell; end to end, a page whose
table 三 row or table 四 has a stray value that leaves two readings fitting the arithmetic
is read by the figure its prose states, and is left empty with ``ambiguous_reading``
without one, or with one that contradicts every reading or says several numbers.
Sentences here are our own; cell keys come from the template's labels.
"""

from __future__ import annotations

import functools
import random
from collections.abc import Callable, Mapping
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from disclosure_schema import Report, cells, from_json
from disclosure_schema.labels import template_labels
from disclosure_schema.parse import ParseResult, parse_html, parse_text
from disclosure_schema.parse.figures import Figure, StatedFigures, figures_in, read_figures
from disclosure_schema.parse.text import tokenize_text
from disclosure_schema.parse.tokens import Token
from disclosure_schema.template import (
    TemplateSpec,
    register_template,
    template_tags,
    unregister_template,
)

from ..test_toy_template import TOY_LABELS, ToyReport
from .contract import contract_breaches
from .layouts import LAYOUTS, Piece, pieces_of
from .test_mutations import _FUZZ, _base, _consistent, _kinds, _page, _text, _value
from .test_mutations import _parse as _parse_page

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
TEMPLATE = str(template_tags(official=True)[-1])
YEAR = 2023


@functools.cache
def _keys(template: str = TEMPLATE) -> dict[str, str]:
    """The cells prose figures state, by a short name, from the template's labels."""
    labels = template_labels(template)
    total = labels.request_columns[-1].key
    appeal_total = labels.appeal_columns[-1].key
    rows = labels.request_rows
    received, carried_over = rows[0].key, rows[1].key
    carried_forward = rows[-1].key
    review, direct, after_review = (row.key for row in labels.appeal_rows)
    return {
        "received": f"{received}.{total}",
        "carried_over": f"{carried_over}.{total}",
        "carried_forward": f"{carried_forward}.{total}",
        "review": f"{review}.{appeal_total}",
        "direct": f"{direct}.{appeal_total}",
        "after_review": f"{after_review}.{appeal_total}",
    }


def _read(text: str, year: int | None = YEAR) -> dict[str, int]:
    names = {key: name for name, key in _keys().items()}
    return {names[f.key]: f.value for f in figures_in(text, TEMPLATE, year=year)}


# --- the phrase reader ------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("全年共收到政府信息公开申请34件。", {"received": 34}),
        ("本年度共受理政府信息公开申请34件。", {"received": 34}),
        ("本机关收到申请34件，上年结转2件。", {"received": 34, "carried_over": 2}),
        (
            "本年新收政府信息公开申请数量34件，上年度结转申请0件。",
            {"received": 34, "carried_over": 0},
        ),
        ("全年共收到政府信息公开申请３４件。", {"received": 34}),  # full-width digits
        ("全年共收到政府信息公开申请1,234件。", {"received": 1234}),
        ("全年共收到政府信息公开申请1，234件。", {"received": 1234}),
        ("全年共收到政府信息公开申请１，２３４件。", {"received": 1234}),
        ("全年共收到政府信息公开申请 34 件。", {"received": 34}),
        ("全年共收到依申请公开事项34宗。", {"received": 34}),
        ("全年共收到政府資訊公開申請34件。", {"received": 34}),  # traditional characters
        (f"{YEAR}年，本机关共收到政府信息公开申请34件，同比增长21%。", {"received": 34}),
        ("本机关收到申请34件，较上年减少3件。", {"received": 34}),
        ("共收到申请14件（其中网上申请10件，信函申请4件）。", {"received": 14}),
        ("共办理申请36件，其中本年新收34件，上年结转2件。", {"received": 34, "carried_over": 2}),
        # what was received counts what was carried over: only the latter is a cell
        ("共收到申请36件，其中上年结转2件。", {"carried_over": 2}),
        ("另有3件结转下年度继续办理。", {"carried_forward": 3}),
        ("本机关因政府信息公开被申请行政复议5件。", {"review": 5}),
        ("收到有关信息公开的行政复议申请2件，未经复议直接起诉1件。", {"review": 2, "direct": 1}),
        (
            "因信息公开被申请行政复议2宗、提起行政诉讼0宗。",
            {"review": 2, "direct": 0, "after_review": 0},
        ),
        ("涉及信息公开、复议后起诉的行政诉讼案件1件。", {"after_review": 1}),
    ],
)
def test_a_plain_statement_of_a_cell_is_read(sentence: str, expected: dict[str, int]) -> None:
    assert _read(sentence) == expected


@pytest.mark.parametrize(
    "sentence",
    [
        "共办理政府信息公开申请34件。",  # handled, not received
        "全年共收到和办理依申请公开34件。",
        "共办结申请34件。",
        "共收到申请36件（含上年结转2件）。",  # the figure counts what was carried over
        "收到申请34件、36件。",  # several numbers for one thing
        "申请量较上年减少3件。",
        "收到申请同比增长34%。",
        "收到申请约34件。",
        "收到申请30余件。",
        "收到申请超过30件。",
        "收到政府信息公开申请34人次。",  # not a count the table has
        "收到政府信息公开申请34件次。",
        "收到政府信息公开申请后15个工作日内答复。",
        "收到政府信息公开申请1.2万件。",
        "收到政府信息公开申请34。",  # no unit
        "收到34名申请人提交的申请36件。",
        f"{YEAR - 1}年收到申请30件。",  # another year
        "因信息公开引起的行政复议和行政诉讼共3件。",  # two things, one number
        "因信息公开引起的行政诉讼3件。",  # the sum of two rows is no cell
        "因信息公开引起的行政复议结果维持2件。",  # a column, not the total
        "全年被申请行政复议5件。",  # not said to concern information disclosure
        "全年办理政府信息公开类行政复议案件5件。",  # decided as the review office
        "全年受理政务服务申请12345件。",  # applications for other services
        "收到群众来信申请30件。",
        "其中自然人申请30件。",  # a column, not the total
        "累计收到申请340件。",
        "办理依申请公开34件，按时办结率100%。",
    ],
)
def test_what_is_not_plainly_a_cell_is_not_read(sentence: str) -> None:
    assert _read(sentence) == {}


def test_a_sentence_naming_a_year_needs_the_reports_year() -> None:
    sentence = f"{YEAR}年共收到政府信息公开申请34件。"
    assert _read(sentence, year=YEAR) == {"received": 34}
    assert _read(sentence, year=None) == {}
    assert _read("全年共收到政府信息公开申请34件。", year=None) == {"received": 34}


def _page_figures(text: str) -> dict[str, int]:
    names = {key: name for name, key in _keys().items()}
    found = read_figures(list(tokenize_text(text)), TEMPLATE, year=YEAR)
    return {names[key]: figure.value for key, figure in found.items()}


def test_two_values_for_one_cell_state_none() -> None:
    assert _page_figures("全年收到申请34件。\n另据统计，全年收到申请35件。\n") == {}
    assert _page_figures("全年收到申请34件。\n全年收到申请34件。\n") == {"received": 34}


def test_table_cells_are_no_prose() -> None:
    tokens = [Token("全年共收到政府信息公开申请34件", cell=True, row=1)]
    assert read_figures(tokens, TEMPLATE, year=YEAR) == {}


def test_a_sentence_wrapped_over_lines_is_read_whole() -> None:
    assert _page_figures("本年度全年共收到政府信息\n公开申请34件，另有\n3件结转下年度办理。\n") == {
        "received": 34,
        "carried_forward": 3,
    }
    # a note on the next line of the same paragraph changes what the figure counts
    assert _page_figures("全年共收到申请36件\n（含上年结转2件）。\n") == {}
    # a table label and its value in one-cell-per-line text are no sentence
    assert _page_figures("一、本年新收政府信息公开申请数量\n34件\n0件\n") == {}


def test_where_a_figure_was_said() -> None:
    found = read_figures(list(tokenize_text("标题\n\n全年共收到申请34件。\n")), TEMPLATE, year=YEAR)
    figure = found[_keys()["received"]]
    assert (figure.value, figure.line, figure.text) == (34, 3, "全年共收到申请34件")


# --- choosing among readings ------------------------------------------------------


def test_a_figure_chooses_only_among_the_readings_it_is_given() -> None:
    key = _keys()["received"]
    stated = StatedFigures({key: Figure(key, 34, "收到申请34件")})
    readings = {"a": [1, 33, 34], "b": [1, 34, None]}
    keys = ["x", "y", key]
    assert stated.choose(keys, readings) == ("a", (stated.figures[key],))
    # two readings agree, or none: nothing is chosen
    assert stated.choose(keys, {"a": [1, 33, 34], "b": [2, 32, 34]}) is None
    assert stated.choose(keys, {"a": [1, 33, 35], "b": [None, 33, 36]}) is None
    # no figure for these cells
    assert stated.choose(["x", "y", "z"], readings) is None


# --- end to end -------------------------------------------------------------------


@functools.cache
def _report(name: str = "example-2021.json") -> Report:
    return from_json((EXAMPLES / name).read_text(encoding="utf-8"))


def _parse(layout: str, page: str) -> ParseResult:
    return parse_html(page) if "html" in layout else parse_text(page)


# layouts where a stray value in a row keeps to that row (detached labels need every
# value line as wide as the table: a surplus value there empties the whole table)
_ROW_LAYOUTS = [name for name in LAYOUTS if name != "detached_labels"]


def _edited_page(layout: str, after: str, sentence: str | None) -> str:
    """The example report flattened in ``layout`` with a stray "/" after the cell
    ``after`` and ``sentence`` in section 一."""
    pieces = list(pieces_of(_report()))
    at = next(i for i, piece in enumerate(pieces) if piece.key == after)
    pieces.insert(at + 1, Piece("/", None, pieces[at].row))
    if sentence is not None:
        overview = next(i for i, piece in enumerate(pieces) if piece.row is None and i > 1)
        pieces.insert(overview + 1, Piece(sentence))
    render: Callable[[list[Piece]], str] = LAYOUTS[layout]
    return render(pieces)


def _codes(result: ParseResult) -> dict[str, list[str | None]]:
    found: dict[str, list[str | None]] = {}
    for diagnostic in result.diagnostics:
        found.setdefault(diagnostic.code, []).append(diagnostic.key)
    return found


def _row(key: str) -> str:
    return key.rsplit(".", 1)[0]


@pytest.mark.parametrize("layout", _ROW_LAYOUTS)
def test_a_stated_figure_chooses_the_reading_of_a_row(layout: str) -> None:
    truth = cells(_report())
    received = _keys()["received"]
    total = truth[received]
    carried = truth[_keys()["carried_over"]]
    # without the sentence the row has two readings: the stray "/" after 总计 left out,
    # or a number left out and "/" read as 总计
    page = _edited_page(layout, received, None)
    result = _parse(layout, page)
    assert cells(result.report)[received] is None
    assert _row(received) in _codes(result)["ambiguous_reading"]
    assert contract_breaches(result, truth) == []

    sentence = f"{YEAR}年，本局全年共收到政府信息公开申请{total}件，上年结转{carried}件。"
    result = _parse(layout, _edited_page(layout, received, sentence))
    assert cells(result.report) == truth
    assert _codes(result)["figure_chose"] == [_row(received)]
    assert "ambiguous_reading" not in _codes(result)


@pytest.mark.parametrize("layout", ["one_per_line", "pipe_rows", "html_cells"])
@pytest.mark.parametrize(
    "sentence",
    [
        "全年共收到政府信息公开申请{wrong}件。",  # agrees with no reading
        "全年共收到政府信息公开申请{total}件、{wrong}件。",  # several numbers
        "全年共收到政府信息公开申请{total}件。全年共收到政府信息公开申请{wrong}件。",
        "全年共收到政府信息公开申请{total}件（含上年结转{carried}件）。",
        "全年共办理政府信息公开申请{total}件。",  # not the received count
    ],
)
def test_no_figure_or_an_unclear_one_leaves_the_row_empty(layout: str, sentence: str) -> None:
    truth = cells(_report())
    received = _keys()["received"]
    total = truth[received]
    assert isinstance(total, int)
    said = sentence.format(total=total, wrong=total + 1, carried=truth[_keys()["carried_over"]])
    result = _parse(layout, _edited_page(layout, received, said))
    assert cells(result.report)[received] is None
    assert _row(received) in _codes(result)["ambiguous_reading"]
    assert "figure_chose" not in _codes(result)
    assert contract_breaches(result, truth) == []


@pytest.mark.parametrize("layout", _ROW_LAYOUTS)
def test_a_stated_figure_chooses_the_reading_of_table_four(layout: str) -> None:
    truth = cells(_report())
    last = _keys()["after_review"]
    page = _edited_page(layout, last, None)
    result = _parse(layout, page)
    assert cells(result.report)[last] is None
    assert "appeals" in _codes(result)["ambiguous_reading"]
    assert contract_breaches(result, truth) == []

    sentence = f"本局因政府信息公开被复议后起诉的行政诉讼案件{truth[last]}件。"
    result = _parse(layout, _edited_page(layout, last, sentence))
    assert cells(result.report) == truth
    assert _codes(result)["figure_chose"] == ["appeals"]


def test_a_figure_that_does_not_single_out_a_reading_decides_nothing() -> None:
    # the stray "/" after 行政复议's 总计: readings that leave out a lawsuit value keep
    # 行政复议's total, so its figure agrees with several of them
    truth = cells(_report())
    review = _keys()["review"]
    said = f"本局因政府信息公开被申请行政复议{truth[review]}件。"
    page = _edited_page("one_per_line", review, said)
    result = parse_text(page)
    assert "appeals" in _codes(result)["ambiguous_reading"]
    assert "figure_chose" not in _codes(result)
    assert contract_breaches(result, truth) == []


@pytest.mark.parametrize("layout", ["one_per_line", "pipe_rows", "html_cells"])
def test_a_figure_never_overrides_a_table_that_reads_one_way(layout: str) -> None:
    truth = cells(_report())
    received = _keys()["received"]
    total = truth[received]
    assert isinstance(total, int)
    pieces = list(pieces_of(_report()))
    overview = next(i for i, piece in enumerate(pieces) if piece.row is None and i > 1)
    for said, differs in ((total, False), (total + 5, True)):
        page = list(pieces)
        page.insert(overview + 1, Piece(f"全年共收到政府信息公开申请{said}件。"))
        result = _parse(layout, LAYOUTS[layout](page))
        assert cells(result.report) == truth
        codes = _codes(result)
        assert "figure_chose" not in codes
        assert codes.get("figure_differs", []) == ([received] if differs else [])
        assert all(d.severity == "info" for d in result.diagnostics if d.code.startswith("fig"))


# --- the contract under random edits, with the figures stated -------------------


def _stated(truth: Mapping[str, object], template: str = TEMPLATE) -> str:
    """A sentence stating each figure cell whose true value is a count (our wording)."""
    keys = _keys(template)
    said = {name: truth.get(key) for name, key in keys.items()}
    sentences = []
    for opening, clauses in (
        (
            "本年度",
            (
                ("received", "全年共收到政府信息公开申请{}件"),
                ("carried_over", "上年结转{}件"),
                ("carried_forward", "另有{}件结转下年度办理"),
            ),
        ),
        (
            "因政府信息公开",
            (
                ("review", "被申请行政复议{}件"),
                ("direct", "未经复议直接起诉{}件"),
                ("after_review", "复议后起诉{}件"),
            ),
        ),
    ):
        stated = [
            words.format(said[name]) for name, words in clauses if isinstance(said[name], int)
        ]
        if stated:
            sentences.append(opening + "，".join(stated) + "。")
    return "".join(sentences)


def _with_sentence(layout: str, page: str, sentence: str) -> str:
    at = page.find("一、总体情况")
    if at < 0:
        return page
    if "html" in layout:
        end = page.index(">", page.index("</", at)) + 1
        return f"{page[:end]}<p>{sentence}</p>{page[end:]}"
    end = page.find("\n", at)
    end = len(page) if end < 0 else end
    return f"{page[:end]}\n{sentence}{page[end:]}"


@_FUZZ
@given(st.integers(min_value=0, max_value=2**64))
def test_edited_pages_with_stated_figures_keep_the_contract(seed: int) -> None:
    # the mutation test's pages, with a sentence in section 一 stating the true totals:
    # a figure may choose among the readings of an edited row, never a wrong one
    rng = random.Random(seed)
    layout, page, truth, edits = _page(rng)
    page = _with_sentence(layout, page, _stated(truth))
    result = _parse_page(layout, page)
    breaches = contract_breaches(result, truth)
    assert breaches == [], (seed, layout, edits, breaches[:5])


def test_a_heading_is_no_part_of_the_sentence_after_it() -> None:
    page = "三、收到和处理政府信息公开申请情况\n本年度共收到政府信息公开申请34件。\n"
    assert _page_figures(page) == {"received": 34}


@_FUZZ
@given(st.integers(min_value=0, max_value=2**64))
def test_a_stray_after_a_stated_total_is_read_by_the_figure(seed: int) -> None:
    # random tables of both templates, a stray "/" after one of the cells prose states
    # (the two readings of the run both fit its arithmetic), and a sentence stating the
    # true totals: the cells are read exactly or left empty with a diagnostic
    rng = random.Random(seed)
    name = rng.choice(("example-2021.json", "chengguan-2020.json"))
    report = from_json((EXAMPLES / name).read_text(encoding="utf-8"))
    kinds = _kinds(report.template)
    pieces = list(_base(name))
    truth: dict[str, int | Decimal | None] = {}
    for piece in pieces:
        if piece.key is not None:
            truth[piece.key] = _value(rng, kinds[piece.key])
    _consistent(truth, report.template)
    pieces = [
        Piece(_text(truth[p.key], kinds[p.key]), p.key, p.row) if p.key is not None else p
        for p in pieces
    ]
    names = _keys(report.template)
    after = names[rng.choice(("received", "carried_over", "carried_forward", "after_review"))]
    at = next(i for i, piece in enumerate(pieces) if piece.key == after)
    pieces.insert(at + 1, Piece("/", None, pieces[at].row))
    layout = rng.choice(_ROW_LAYOUTS)
    page = _with_sentence(layout, LAYOUTS[layout](pieces), _stated(truth, report.template))
    result = _parse_page(layout, page)
    assert contract_breaches(result, truth) == [], (seed, layout, after)
    # where every value of the run is a number, the figure singles out the true reading
    table_four = after == names["after_review"]
    run = after.split(".", 1)[0] if table_four else _row(after)  # table 四 reads as one run
    if all(isinstance(value, int) for key, value in truth.items() if key.startswith(run + ".")):
        assert "figure_chose" in _codes(result), (seed, layout, after)
        assert cells(result.report) == truth


_ALPHABET = (
    "0123456789０１２３４５,，.。;；、()（）%年度月日件宗起个条"
    "收到受理新申请上下结转复议诉讼起诉其中含约 \n"
)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=_ALPHABET, max_size=120), st.sampled_from([None, YEAR]))
def test_the_reader_never_fails_on_any_text(text: str, year: int | None) -> None:
    found = read_figures(list(tokenize_text(text)), TEMPLATE, year=year)
    assert all(isinstance(figure.value, int) and figure.value >= 0 for figure in found.values())


def test_a_template_without_such_rows_reads_only_the_cells_it_has() -> None:
    # the toy template of tests/test_toy_template.py: no 本年新收 / 上年结转 rows, one
    # appeal row; a figure for a row it lacks is not read, and nothing fails
    register_template(
        TemplateSpec(tag="2030", report_class=ToyReport, labels=TOY_LABELS, first_year=2030)
    )
    try:
        text = "全年共收到政府信息公开申请5件，上年结转2件。因信息公开被申请行政复议1件。"
        found = figures_in(text, "2030", year=None)  # type: ignore[arg-type]
        review = f"{TOY_LABELS.appeal_rows[0].key}.{TOY_LABELS.appeal_columns[-1].key}"
        assert [(figure.key, figure.value) for figure in found] == [(review, 1)]
    finally:
        unregister_template("2030")
