"""The contract under random edits: our own reports of both templates, flattened in
several layouts, edited the ways real pages go wrong; every cell must be the true value or
None with a warning or error diagnostic whose key names the cell, its row or its table.

Small N by default; ``DISCLOSURE_FUZZ_EXAMPLES`` scales it (``make fuzz``).
"""

from __future__ import annotations

import functools
import os
import random
from decimal import Decimal
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from disclosure_schema import Report, cell_kinds, cells, from_json, render_html, render_markdown
from disclosure_schema.parse import ParseResult, parse_html, parse_text

from .contract import contract_breaches
from .layouts import LAYOUTS, Piece, pieces_of

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
_EXAMPLES = int(os.environ.get("DISCLOSURE_FUZZ_EXAMPLES", "60"))
_FUZZ = settings(
    max_examples=_EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    derandomize=_EXAMPLES <= 100,  # the small run in `make test` is the same every time
)

_STRAY_LINES = (
    "/",
    "—",
    "0",
    "7",
    "12",
    "|",
    "||",
    " |",
    "注：",
    "单位：件",
    "说明：以上数据截至年底。",
)
_FOOTERS = ("— 4 —", "- 4 -", "－ 12 －", "第 3 页", "第3页 共7页", "共7页 第3页")
_MARKS = ("①", "*", "※", "⑵", "¹")
_TOTALS = ("总计", "总 计", "总计(件)", "总计（件）", "合计", "（七）合计", "（七）总计")
# edits that change which values a row holds; one per page at most, since two of them
# can make a row that no reader could tell from the truth (delete one value, add another)
_SPACED_LAYOUTS = frozenset(("pdf_rows", "detached_labels"))
_STRUCTURAL = ("insert_value", "insert_cell", "delete", "duplicate")
_BENIGN = ("footer", "separator", "prose", "mark", "split", "comma", "rename_total")


@functools.cache
def _base(name: str) -> tuple[Piece, ...]:
    return tuple(pieces_of(from_json((EXAMPLES / name).read_text(encoding="utf-8"))))


@functools.cache
def _kinds(template: str) -> dict[str, str]:
    return dict(cell_kinds(template))


def _value(rng: random.Random, kind: str) -> int | Decimal | None:
    if rng.random() < 0.1:
        return None
    if kind == "amount":
        return Decimal(rng.randint(0, 10**6)) / Decimal(10 ** rng.randint(0, 4))
    if kind == "signed":
        return rng.randint(-500, 500)
    return rng.choice((0, 0, 1, 2, rng.randint(0, 99), rng.randint(0, 20_000)))


def _text(value: int | Decimal | None, kind: str) -> str:
    if value is None:
        return "—"
    if kind == "signed" and isinstance(value, int) and value > 0:
        return f"+{value}"
    return str(value)


def _consistent(truth: dict[str, int | Decimal | None], template: str) -> None:
    """Make totals add up (table 四's groups, table 三's 总计 column), as real tables do."""
    for group in ("review", "litigation_direct", "litigation_after_review"):
        parts = [
            truth.get(f"appeals.{group}.{c}") for c in ("upheld", "corrected", "other", "pending")
        ]
        if all(isinstance(part, int) for part in parts):
            truth[f"appeals.{group}.total"] = sum(int(part or 0) for part in parts)
    rows = {key.rsplit(".", 1)[0] for key in truth if key.startswith("requests.")}
    for row in rows:
        parts = [
            value
            for key, value in truth.items()
            if key.startswith(row + ".") and not key.endswith(".total")
        ]
        if all(isinstance(part, int) for part in parts):
            truth[f"{row}.total"] = sum(int(part or 0) for part in parts)


def _page(rng: random.Random) -> tuple[str, str, dict[str, object], list[str]]:
    name, template = rng.choice((("example-2021.json", "2021"), ("chengguan-2020.json", "2019")))
    kinds = _kinds(template)
    pieces = list(_base(name))
    truth: dict[str, int | Decimal | None] = {}
    for piece in pieces:
        if piece.key is not None:
            truth[piece.key] = _value(rng, kinds[piece.key])
    if rng.random() < 0.7:
        _consistent(truth, template)
    pieces = [
        Piece(_text(truth[p.key], kinds[p.key]), p.key, p.row) if p.key is not None else p
        for p in pieces
    ]
    edits = [rng.choice(_BENIGN) for _ in range(rng.randint(0, 3))]
    if rng.random() < 0.6:
        edits.insert(rng.randint(0, len(edits)), rng.choice(_STRUCTURAL))
    layout = rng.choice((*LAYOUTS, "render_html", "render_markdown"))
    for edit in edits:
        _apply(
            edit,
            pieces,
            rng,
            spaced=layout in _SPACED_LAYOUTS,
            grid=layout in ("pipe_rows", "html_cells"),
        )
    for piece in pieces:
        if piece.key is not None and not piece.text:
            truth[piece.key] = None  # its text was lost: the page states no value
    if layout.startswith("render_"):
        # the library's own renderings, edited as lines of text
        report = from_json((EXAMPLES / name).read_text(encoding="utf-8"))
        truth = dict(_truth_of(report).items())
        text = (render_html if layout == "render_html" else render_markdown)(report)
        lines = text.splitlines()
        for edit in edits:
            if edit in ("footer", "prose"):
                at = rng.randrange(len(lines) + 1)
                lines.insert(
                    at, rng.choice(_FOOTERS) if edit == "footer" else "说明：以上数据截至年底。"
                )
        return layout, "\n".join(lines) + "\n", dict(truth), edits
    return layout, LAYOUTS[layout](pieces), dict(truth), edits


def _truth_of(report: Report) -> dict[str, object]:
    return dict(cells(report))


def _data_positions(pieces: list[Piece]) -> list[int]:
    return [i for i, piece in enumerate(pieces) if piece.key is not None]


def _apply(edit: str, pieces: list[Piece], rng: random.Random, *, spaced: bool, grid: bool) -> None:
    at = rng.randrange(len(pieces))
    data = _data_positions(pieces)
    if edit == "insert_value":
        pieces.insert(at, Piece(rng.choice(("/", "—", "0", "7", "12", "3"))))
    elif edit == "insert_cell":
        row = pieces[at].row
        pieces.insert(at, Piece(rng.choice(("", "/", "0", "5")), None, row))
    elif edit == "delete":
        if grid and pieces[at].row is not None:
            # a grid cell removed outright, its row one cell short, reads like a row with
            # an empty trailing cell: pages lose a cell's text, not the cell
            pieces[at] = Piece("", pieces[at].key, pieces[at].row)
        else:
            del pieces[at]
    elif edit == "duplicate":
        piece = pieces[at]
        pieces.insert(at, Piece(piece.text, None, piece.row))
    elif edit == "footer":
        pieces.insert(at, Piece(rng.choice(_FOOTERS)))
    elif edit == "separator":
        if not grid:  # among `| a | b |` rows a lone pipe line is an empty cell
            pieces.insert(at, Piece(rng.choice(("|", "||", "|||", " |"))))
    elif edit == "prose":
        pieces.insert(at, Piece(rng.choice(_STRAY_LINES[8:])))
    elif edit == "rename_total":
        for i, piece in enumerate(pieces):
            if piece.text == "（七）总计":
                pieces[i] = Piece(rng.choice(_TOTALS), None, piece.row)
    elif data:
        i = rng.choice(data)
        piece = pieces[i]
        text = piece.text
        if edit == "mark" and text[-1:].isdigit():
            text += rng.choice(_MARKS)
        elif (
            edit == "split" and text.isascii() and text.isdigit() and len(text) >= 4 and not spaced
        ):
            # (in PDF rows, cells are parted by spaces: "5 451" is then two values, an
            # edit no reader could tell from a deleted and an added cell)
            text = f"{int(text):,}".replace(",", " ")
        elif edit == "comma" and text.isascii() and text.isdigit() and len(text) >= 4:
            text = f"{int(text):,}".replace(",", rng.choice((",", "，")))
        pieces[i] = Piece(text, piece.key, piece.row)


def _parse(layout: str, page: str) -> ParseResult:
    return parse_html(page) if "html" in layout else parse_text(page)


@_FUZZ
@given(st.integers(min_value=0, max_value=2**64))
def test_edited_pages_keep_the_contract(seed: int) -> None:
    rng = random.Random(seed)
    layout, page, truth, edits = _page(rng)
    result = _parse(layout, page)
    assert not any("internal parser error" in d.message for d in result.diagnostics)
    breaches = contract_breaches(result, truth)
    assert breaches == [], (seed, layout, edits, breaches[:5])
