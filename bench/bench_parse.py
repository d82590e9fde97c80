"""Parsing throughput and scaling.

- throughput: ``parse_text`` over the corpus page texts (excerpts and the complete seed
  page), and ``parse_html`` over the same pages as HTML (one ``<p>`` per line, as pages
  whose tables were pasted one cell per paragraph) and, when ``render_html`` exists,
  over the rendered example reports (real table markup); reports per second on one core.
- scaling: the complete seed page at 1×, 10× and 100× its size (the extra text is prose
  appended to the last section); time must grow linearly with size.

Skipped with a note when ``parse_text``/``parse_html`` are not in the package yet.

    PYTHONPATH=src python bench/bench_parse.py
"""

from __future__ import annotations

import html
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _reports import documents
from _timing import table

import disclosure_schema
from disclosure_schema import from_json

SHARED = Path("/work/shared")
CORPUS = SHARED / "corpus" / "excerpts"
SEED = SHARED / "seed" / "chengguan-2020.txt"
TARGET_PER_SECOND = 500
# Filler for the scaling run: a made-up sentence, not taken from any report.
FILLER = "本段为性能测试填充文字，用于放大页面长度，不含任何表格数字。\n"


def _pages() -> list[str]:
    pages = [path.read_text(encoding="utf-8") for path in sorted(CORPUS.glob("*.txt"))]
    if SEED.exists():
        pages.append(SEED.read_text(encoding="utf-8"))
    return pages


def _as_html(text: str) -> str:
    paragraphs = "".join(f"<p>{html.escape(line)}</p>\n" for line in text.splitlines())
    head = "<!DOCTYPE html><html><head><meta charset='utf-8'></head><body>"
    return f"{head}\n{paragraphs}</body></html>"


def _throughput(parse: object, pages: list[str], min_time: float = 1.0) -> float:
    assert callable(parse)
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        count = 0
        while time.perf_counter() - start < min_time:
            for page in pages:
                parse(page)
            count += len(pages)
        best = min(best, (time.perf_counter() - start) / count)
    return 1 / best


def _best_time(parse: object, page: str, repeats: int) -> float:
    assert callable(parse)
    samples = []
    for _ in range(repeats):
        start = time.perf_counter()
        parse(page)
        samples.append(time.perf_counter() - start)
    return min(samples)


def main() -> None:
    parse_text = getattr(disclosure_schema, "parse_text", None)
    parse_html = getattr(disclosure_schema, "parse_html", None)
    if parse_text is None and parse_html is None:
        print("skipped parse: parse_text/parse_html not in disclosure_schema yet")
        return
    pages = _pages()
    rows = []
    if parse_text is not None:
        rate = _throughput(parse_text, pages)
        status = "met" if rate >= TARGET_PER_SECOND else "NOT met"
        rows.append(
            [f"parse_text, {len(pages)} corpus pages", f"{rate:.0f}", f"{1e3 / rate:.2f}", status]
        )
        if SEED.exists():  # the excerpts are cut short; the seed is a whole page
            rate = _throughput(parse_text, [pages[-1]])
            status = "met" if rate >= TARGET_PER_SECOND else "NOT met"
            rows.append(
                ["parse_text, complete seed page", f"{rate:.0f}", f"{1e3 / rate:.2f}", status]
            )
    if parse_html is not None:
        html_pages = [_as_html(page) for page in pages]
        rate = _throughput(parse_html, html_pages)
        rows.append(["parse_html, same pages as <p> HTML", f"{rate:.0f}", f"{1e3 / rate:.2f}", ""])
        render_html = getattr(disclosure_schema, "render_html", None)
        if render_html is None:
            print("note: render_html not in disclosure_schema yet: no table-markup HTML row\n")
        else:
            rendered = [
                render_html(from_json(data), full_page=True) for data in documents().values()
            ]
            rate = _throughput(parse_html, rendered)
            rows.append(
                [
                    f"parse_html, {len(rendered)} rendered reports",
                    f"{rate:.0f}",
                    f"{1e3 / rate:.2f}",
                    "",
                ]
            )
    print(f"## parse throughput (one core; target ≥ {TARGET_PER_SECOND} reports/s on page text)\n")
    print(table(["input", "reports/s", "ms/report", "target"], rows))

    if not SEED.exists():
        print("\nskipped scaling: seed page not found")
        return
    seed = SEED.read_text(encoding="utf-8")
    print("\n## parse scaling: the seed page at 1×, 10×, 100× its size\n")
    scale_rows = []
    for name, parse, wrap in (("text", parse_text, str), ("html", parse_html, _as_html)):
        if parse is None:
            continue
        base = None
        for factor in (1, 10, 100):
            filler = FILLER * max(0, (len(seed) * (factor - 1)) // len(FILLER))
            page = wrap(seed + filler)
            seconds = _best_time(parse, page, repeats={1: 20, 10: 5, 100: 3}[factor])
            base = base or seconds
            ratio = seconds / base
            scale_rows.append(
                [
                    name,
                    f"{factor}×",
                    f"{len(page):,}",
                    f"{seconds * 1e3:.1f}",
                    f"{ratio:.1f}×",
                    f"{ratio / factor:.2f}",
                ]
            )
    print(
        table(["input", "size", "chars", "ms", "time vs 1×", "time ratio / size ratio"], scale_rows)
    )
    print(
        "\nlinear growth: the last column stays near or below 1"
        " (fixed costs make it < 1 at 10× and 100×)"
    )


if __name__ == "__main__":
    main()
