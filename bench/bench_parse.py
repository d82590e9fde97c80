"""Parser throughput on distinct pages, as ratios to floors measured in the same run.

- text: our example reports rendered as page text (one cell per line, the layout copied
  from CMS pages), every number changed so no two pages are alike; the floor is one
  NFKC pass over the same texts (what any reader must at least do to each character);
- HTML: the same reports rendered as whole HTML pages, and a CMS-style page (nested
  ``<p>`` in ``<td>``, spans, boilerplate around a content container); the floor is
  lxml's tree build of the same pages;
- growth: a text and an HTML page at 1×, 10× and 100× its size (more table rows and
  prose, as a long report has), time per character relative to 1×.

Caches are cleared before each pass, and pages are distinct, so the label and value
caches help only as much as one real page's repetition allows.

    PYTHONPATH=src python bench/bench_parse.py [--pages N]
"""

from __future__ import annotations

import argparse
import html as html_module
import random
import re
import sys
import time
import unicodedata
from collections.abc import Callable, Sequence
from pathlib import Path

import lxml.html

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _timing import table

from disclosure_schema import from_json, parse_html, parse_text, render_html
from disclosure_schema.parse import normalize, sections, tables, values

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
TEXT_RATIO_GOAL = 8.0
HTML_RATIO_GOAL = 6.0
GROWTH_GOAL = 1.3
_NUMBER = re.compile(r"(?<=[\n>])(\d{1,6})(?=[\n<])")
# Filler for growth: a made-up sentence, not taken from any report.
FILLER = "本段为性能测试填充文字，用于放大页面长度，不含任何表格数字。"


def _clear_caches() -> None:
    for function in (
        normalize.fold,
        normalize.body_of_folded,
        values.read_cell,
        values.is_value_like,
        sections.section_of_folded,
        tables._text_reading,
        tables._label_parts,
    ):
        function.cache_clear()


def _one_per_line(report_html: str) -> str:
    """Page text as copied from a CMS page: every line and cell on its own line."""
    root = lxml.html.fragment_fromstring(report_html, create_parent="div")
    lines: list[str] = []
    for element in root.iter("h1", "h2", "p", "th", "td"):
        lines.append(" ".join(element.text_content().split()))
    return "\n\n".join(lines) + "\n"


def _cms_page(report_html: str) -> str:
    """The rendering inside a CMS page: boilerplate, a .TRS_Editor container, nested
    ``<p><span>`` in every cell, ``&nbsp;`` for blanks."""
    body = re.sub(
        r"(<t[dh][^>]*>)(.*?)(</t[dh]>)",
        lambda m: (
            f'{m.group(1)}<p style="text-align:center"><span>{m.group(2) or "&nbsp;"}'
            f"</span></p>{m.group(3)}"
        ),
        report_html,
    )
    nav = "".join(f'<li><a href="/c{i}">栏目{i}</a></li>' for i in range(40))
    return (
        "<!DOCTYPE html><html><head><meta charset='utf-8'><title>年度报告</title>"
        "<script>var a = 1;</script></head><body>"
        f"<div class='nav'><ul>{nav}</ul></div><div class='bdshare'>分享到</div>"
        f"<div class='article'><div class='TRS_Editor'>{body}</div></div>"
        "<div class='footer'>主办单位：示例 网站标识码 0000000000</div></body></html>"
    )


def _distinct(template: str, count: int, seed: int) -> list[str]:
    """``count`` copies of ``template`` with every table number replaced at random."""
    rng = random.Random(seed)
    return [_NUMBER.sub(lambda _: str(rng.randint(0, 20_000)), template) for _ in range(count)]


def _seconds(function: Callable[[str], object], pages: Sequence[str], passes: int = 3) -> float:
    """Best seconds per page over ``passes`` passes, caches cleared before each."""
    best = float("inf")
    for _ in range(passes):
        _clear_caches()
        start = time.perf_counter()
        for page in pages:
            function(page)
        best = min(best, (time.perf_counter() - start) / len(pages))
    return best


def _nfkc(page: str) -> object:
    return unicodedata.normalize("NFKC", page)


def _lxml_build(page: str) -> object:
    return lxml.html.document_fromstring(page)


def _grown(report_html: str, factor: int) -> str:
    """The rendering with its table 三 rows and its prose repeated ``factor`` times."""
    rows = re.findall(r'<tr class="body" data-row="requests\.[^"]*">.*?</tr>', report_html)
    extra_rows = "".join(rows) * (factor - 1)
    prose = f"<p>{FILLER * 3}</p>" * (20 * (factor - 1))
    grown = report_html.replace(rows[-1], rows[-1] + extra_rows, 1) if rows else report_html
    return grown.replace("</section>", prose + "</section>", 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=200, help="distinct pages per input kind")
    count = parser.parse_args().pages

    renderings = [
        render_html(from_json(path.read_text(encoding="utf-8")))
        for path in sorted(EXAMPLES.glob("*.json"))
    ]
    kinds: dict[str, list[str]] = {
        "text, one cell per line": [],
        "HTML, our rendering": [],
        "HTML, CMS-style page": [],
    }
    for number, rendering in enumerate(renderings):
        share = count // len(renderings)
        kinds["text, one cell per line"] += _distinct(_one_per_line(rendering), share, number)
        kinds["HTML, our rendering"] += _distinct(
            render_html(
                from_json((sorted(EXAMPLES.glob("*.json"))[number]).read_text()), full_page=True
            ),
            share,
            number,
        )
        kinds["HTML, CMS-style page"] += _distinct(_cms_page(rendering), share, number)

    rows = []
    for name, pages in kinds.items():
        is_text = name.startswith("text")
        parse: Callable[[str], object] = parse_text if is_text else parse_html
        floor_fn = _nfkc if is_text else _lxml_build
        # alternate floor and parser passes: a shared machine's load shifts over time
        floor = spent = float("inf")
        for _ in range(4):
            floor = min(floor, _seconds(floor_fn, pages, passes=1))
            spent = min(spent, _seconds(parse, pages, passes=1))
        goal = TEXT_RATIO_GOAL if is_text else HTML_RATIO_GOAL
        ratio = spent / floor
        rows.append(
            [
                name,
                str(len(pages)),
                f"{sum(map(len, pages)) // len(pages):,}",
                f"{1 / spent:.0f}",
                f"{spent * 1e3:.2f}",
                f"{floor * 1e3:.3f} ({'NFKC' if is_text else 'lxml build'})",
                f"{ratio:.1f}×",
                f"≤ {goal:.0f}× {'met' if ratio <= goal else 'NOT met'}",
            ]
        )
    print("## parse throughput on distinct pages (one core, caches cleared per pass)\n")
    print(
        table(
            [
                "input",
                "pages",
                "chars/page",
                "pages/s",
                "ms/page",
                "floor ms/page",
                "ratio",
                "goal",
            ],
            rows,
        )
    )

    print("\n## growth: time per character at 1×, 10×, 100× (vs 1×)\n")
    growth_rows = []
    base_rendering = renderings[0]
    for name, parse, make in (
        ("text", parse_text, lambda f: _one_per_line(_grown(base_rendering, f))),
        ("HTML", parse_html, lambda f: _grown(base_rendering, f)),
    ):
        base_per_char = None
        for factor in (1, 10, 100):
            page = make(factor)
            spent = _seconds(parse, [page], passes={1: 20, 10: 5, 100: 2}[factor])
            per_char = spent / len(page)
            base_per_char = base_per_char or per_char
            relative = per_char / base_per_char
            growth_rows.append(
                [
                    name,
                    f"{factor}×",
                    f"{len(page):,}",
                    f"{spent * 1e3:.1f}",
                    f"{relative:.2f}",
                    f"≤ {GROWTH_GOAL} {'met' if relative <= GROWTH_GOAL else 'NOT met'}",
                ]
            )
    print(table(["input", "size", "chars", "ms", "time/char vs 1×", "goal"], growth_rows))
    _ = html_module  # escape is not needed: pages are built from our own rendering


if __name__ == "__main__":
    main()
