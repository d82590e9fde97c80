"""PDF and Word parsing time, as ratios to a baseline measured in the same run.

- PDF: ``parse_pdf`` per page, against pdfplumber's own ``extract_words`` over the same
  pages (opening the file included in both): the ratio says what reading tables as grids,
  stitching them across pages and the HTML table reader cost on top of pdfplumber's
  bare word extraction.
- Word: ``parse_docx`` against ``parse_html`` of the same report's ``render_html`` page
  (what the Word reader adds over the HTML reader it hands its tables to).

The fixtures are tests/fixtures/office (made by tools/make_office_fixtures.py).

    PYTHONPATH=src python bench/bench_pdf.py
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _timing import compare

from disclosure_schema import from_json, parse_docx, parse_html, parse_pdf, render_html

ROOT = Path(__file__).resolve().parent.parent
OFFICE = ROOT / "tests" / "fixtures" / "office"


def _words_only(data: bytes) -> int:
    import pdfplumber  # noqa: PLC0415

    count = 0
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            count += len(page.extract_words())
    return count


def _pages(data: bytes) -> int:
    import pdfplumber  # noqa: PLC0415

    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return len(pdf.pages)


def main() -> None:
    try:
        import pdfplumber  # noqa: F401, PLC0415
    except ImportError:
        print("skipped: pdfplumber is not installed (pip install 'disclosure-schema[pdf]')")
        return
    print("PDF: parse_pdf vs pdfplumber extract_words on the same pages (best of rounds)")
    print(f"{'fixture':34} {'pages':>5} {'ms/page':>8} {'words ms/page':>14} {'ratio':>6}")
    ratios: list[float] = []
    for path in sorted(OFFICE.glob("*.pdf")):
        if path.name == "scanned.pdf":
            continue
        data = path.read_bytes()
        pages = _pages(data)
        timed = compare(
            {"ours": lambda d=data: parse_pdf(d), "words": lambda d=data: _words_only(d)},
            rounds=3,
            batch_time=0.0,
        )
        ours, words = timed["ours"][0] / pages, timed["words"][0] / pages
        ratios.append(ours / words)
        print(
            f"{path.name:34} {pages:>5} {ours * 1e3:>8.1f} {words * 1e3:>14.1f}"
            f" {ours / words:>6.2f}"
        )
    ratios.sort()
    print(f"PDF ratio (median over {len(ratios)} fixtures): {ratios[len(ratios) // 2]:.2f}")
    print()
    print("Word: parse_docx vs parse_html of the same report rendered as HTML")
    for path in sorted(OFFICE.glob("*.docx")):
        data = path.read_bytes()
        example = path.name.split("-portrait")[0]
        page = render_html(from_json((ROOT / "examples" / f"{example}.json").read_bytes()))
        timed = compare(
            {"docx": lambda d=data: parse_docx(d), "html": lambda p=page: parse_html(p)},
            rounds=5,
        )
        docx, html = timed["docx"][0], timed["html"][0]
        print(
            f"{path.name:34} docx {docx * 1e3:.1f} ms, html {html * 1e3:.1f} ms,"
            f" ratio {docx / html:.2f}"
        )


if __name__ == "__main__":
    main()
