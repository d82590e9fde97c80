"""Make the Word, PDF and .doc fixtures of tests/fixtures/office/ the way offices make them.

Each bundled example report (examples/*.json) is written with ``render_docx`` in several
page layouts (portrait with table 3 crossing pages, landscape, narrow margins, footers
with page numbers, a long preamble pushing the tables across page breaks, rows cut by
the break, other CJK fonts), then converted with LibreOffice to PDF and to .doc. A
scanned PDF (pages rasterized with pdftoppm and wrapped as images by Pillow) is made for
the ``needs_ocr`` refusal. The outputs are committed, so the tests need no LibreOffice.

The fixtures are our own renderings of our own example reports, never a real report's
prose. ``expected.json`` maps each fixture to the example it must read back exactly.

Run from the repository root: ``python tools/make_office_fixtures.py`` (needs
``soffice`` and ``pdftoppm`` on PATH, and Pillow).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from disclosure_schema import PageSetup, Report, from_json, render_docx

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "tests" / "fixtures" / "office"
EXAMPLES = ROOT / "examples"
TIMEOUT = 180

#: A preamble of our own words, long enough to push the tables across page breaks.
PREAMBLE = tuple(
    f"第{number}段：本段为排版测试用的示例文字，说明本机关依照条例编制本年度报告的过程，"
    "内容均为虚构，用于检验表格跨页时的读取。" * 3
    for number in range(1, 7)
)

LAYOUTS: dict[str, tuple[PageSetup, tuple[str, ...]]] = {
    # the default: A4 portrait, "— 5 —" footers, table 3 crossing pages, header rows repeated
    "portrait": (PageSetup(), ()),
    "landscape": (PageSetup(landscape=True, footer="第 {page} 页"), ()),
    "narrow": (
        PageSetup(margin_mm=12, repeat_header_rows=False, east_asian_font="Noto Serif CJK SC"),
        (),
    ),
    # a long preamble, rows allowed to break across pages, no repeated header rows
    "preamble": (
        PageSetup(
            rows_may_split=True,
            repeat_header_rows=False,
            east_asian_font="Noto Sans CJK SC",
            heading_font="Noto Serif CJK SC",
            table_font_size=12,
        ),
        PREAMBLE,
    ),
    "split-rows": (
        PageSetup(rows_may_split=True, footer="第 {page} 页", table_font_size=12),
        PREAMBLE[:3],
    ),
}
#: Which layouts are also saved as .doc (old Word) through LibreOffice.
DOC_LAYOUTS = ("portrait",)


def _soffice(source: Path, target_format: str, folder: Path, profile: Path) -> Path:
    command = [
        shutil.which("soffice") or "soffice",
        f"-env:UserInstallation={profile.as_uri()}",
        "--headless",
        "--norestore",
        "--convert-to",
        target_format,
        "--outdir",
        str(folder),
        str(source),
    ]
    subprocess.run(command, check=True, timeout=TIMEOUT, capture_output=True)
    converted = folder / f"{source.stem}.{target_format.split(':', maxsplit=1)[0]}"
    if not converted.is_file():
        raise SystemExit(f"LibreOffice did not write {converted.name}")
    return converted


def _scan(pdf: Path, target: Path, work: Path) -> None:
    from PIL import Image  # noqa: PLC0415 - only this tool needs Pillow

    subprocess.run(
        ["pdftoppm", "-r", "60", "-gray", "-png", "-l", "2", str(pdf), str(work / "scan")],
        check=True,
        timeout=TIMEOUT,
    )
    pages = [Image.open(path).convert("L") for path in sorted(work.glob("scan*.png"))]
    pages[0].save(target, "PDF", save_all=True, append_images=pages[1:], resolution=60)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    expected: dict[str, str] = {}
    with tempfile.TemporaryDirectory(prefix="office-fixtures-") as temporary:
        work = Path(temporary)
        profile = work / "profile"
        for example in sorted(EXAMPLES.glob("*.json")):
            report: Report = from_json(example.read_bytes())
            for layout, (page, preamble) in LAYOUTS.items():
                name = f"{example.stem}-{layout}"
                docx = work / f"{name}.docx"
                docx.write_bytes(render_docx(report, page=page, preamble=preamble))
                pdf = _soffice(docx, "pdf", work, profile)
                shutil.copy(pdf, OUT / pdf.name)
                expected[pdf.name] = example.name
                if layout == "portrait":
                    shutil.copy(docx, OUT / docx.name)
                    expected[docx.name] = example.name
                if layout in DOC_LAYOUTS:
                    doc = _soffice(docx, "doc", work, profile)
                    shutil.copy(doc, OUT / doc.name)
                    expected[doc.name] = example.name
        _scan(OUT / "example-2021-portrait.pdf", OUT / "scanned.pdf", work)
    (OUT / "expected.json").write_text(
        json.dumps(expected, ensure_ascii=False, indent=2, sort_keys=True) + "\n",
        encoding="utf-8",
    )
    for path in sorted(OUT.iterdir()):
        print(f"{path.stat().st_size:>9,}  {path.relative_to(ROOT)}", file=sys.stderr)


if __name__ == "__main__":
    main()
