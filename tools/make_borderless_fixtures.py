"""Make the borderless-table PDF fixtures of tests/fixtures/office/ (``borderless-*.pdf``).

Some offices publish PDFs whose tables have no ruling lines: a WPS or Word table with its
borders turned off, or a web page printed without its table borders. Each bundled example
report (examples/*.json) is made both ways:

- ``borderless-<example>-wps.pdf``: ``render_docx`` with every border set to none, converted
  to PDF by LibreOffice;
- ``borderless-<example>-web.pdf``: ``render_html(full_page=True)`` with a style sheet that
  removes every border, printed to PDF by headless Chromium (no header or footer line).

``borderless.json`` maps each fixture to its example. The outputs are committed, so the
tests need neither LibreOffice nor Chromium. The fixtures are our own renderings of our
own example reports, never a real report's prose.

Run from the repository root: ``python tools/make_borderless_fixtures.py`` (needs
``soffice`` and ``chromium`` on PATH).
"""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

from make_office_fixtures import _soffice as convert_with_soffice

from disclosure_schema import Report, from_json, render_docx, render_html

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "tests" / "fixtures" / "office"
EXAMPLES = ROOT / "examples"
TIMEOUT = 180
#: Every border of every element removed, as a page printed "without borders" shows it;
#: one CJK font, so that the PDF embeds one font subset.
NO_BORDERS = (
    "<style>* { border: none !important; border-collapse: separate !important;"
    ' font-family: "Noto Serif CJK SC", serif !important; }</style></head>'
)


def _without_borders(docx: bytes) -> bytes:
    """The Word document with every border (table, cell, paragraph) set to none."""
    source = zipfile.ZipFile(io.BytesIO(docx))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            body = source.read(item.filename)
            if item.filename.endswith(".xml"):
                body = re.sub(rb'w:val="single"', b'w:val="nil"', body)
            target.writestr(item, body)
    return out.getvalue()


def _wps(report: Report, target: Path, work: Path) -> None:
    docx = work / f"{target.stem}.docx"
    docx.write_bytes(_without_borders(render_docx(report)))
    pdf = convert_with_soffice(docx, "pdf", work, work / "profile")
    shutil.copy(pdf, target)


def _web(report: Report, target: Path, work: Path) -> None:
    page = render_html(report, full_page=True).replace("</head>", NO_BORDERS, 1)
    html = work / f"{target.stem}.html"
    html.write_text(page, encoding="utf-8")
    command = [
        shutil.which("chromium") or "chromium",
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--no-pdf-header-footer",
        f"--user-data-dir={work / 'chromium'}",
        f"--print-to-pdf={target}",
        html.as_uri(),
    ]
    subprocess.run(command, check=True, timeout=TIMEOUT, capture_output=True)


def main() -> None:
    expected: dict[str, str] = {}
    with tempfile.TemporaryDirectory(prefix="borderless-fixtures-") as temporary:
        work = Path(temporary)
        for example in sorted(EXAMPLES.glob("*.json")):
            report: Report = from_json(example.read_bytes())
            for kind, make in (("wps", _wps), ("web", _web)):
                target = OUT / f"borderless-{example.stem}-{kind}.pdf"
                make(report, target, work)
                expected[target.name] = example.name
    (OUT / "borderless.json").write_text(
        json.dumps(expected, ensure_ascii=False, indent=2, sort_keys=True) + "\n",
        encoding="utf-8",
    )
    for name in sorted(expected):
        path = OUT / name
        print(f"{path.stat().st_size:>9,}  {path.relative_to(ROOT)}", file=sys.stderr)


if __name__ == "__main__":
    main()
