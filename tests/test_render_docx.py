"""Word output: the official layout, and parse_docx(render_docx(r)) gives back every cell."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import lxml.etree
import pytest
from hypothesis import HealthCheck, given, settings

from disclosure_schema import (
    PageSetup,
    Report,
    cells,
    from_json,
    parse_docx,
    parse_html,
    render_docx,
    render_html,
)
from tests.parse.test_roundtrip import reports

EXAMPLES = Path(__file__).parent.parent / "examples"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def example(name: str) -> Report:
    return from_json((EXAMPLES / f"{name}.json").read_bytes())


def _part(docx: bytes, name: str) -> lxml.etree._Element:
    with zipfile.ZipFile(io.BytesIO(docx)) as package:
        return lxml.etree.fromstring(package.read(name))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(reports)
def test_docx_round_trip(report: Report) -> None:
    parsed = parse_docx(render_docx(report)).report
    assert parsed is not None
    assert parsed.template == report.template
    assert cells(parsed) == cells(report)


@pytest.mark.parametrize("name", ["example-2021", "chengguan-2020"])
def test_examples_round_trip_with_meta(name: str) -> None:
    report = example(name)
    result = parse_docx(render_docx(report))
    assert result.report is not None
    assert cells(result.report) == cells(report)
    # the same meta as the web page of the same report gives
    page = parse_html(render_html(report, full_page=True)).report
    assert page is not None
    assert result.report.meta == page.meta


def test_same_report_same_bytes() -> None:
    report = example("example-2021")
    assert render_docx(report) == render_docx(report)


def test_official_layout() -> None:
    docx = render_docx(
        example("example-2021"), page=PageSetup(landscape=True, footer="第 {page} 页")
    )
    document = _part(docx, "word/document.xml")
    size = document.find(f".//{W}sectPr/{W}pgSz")
    assert size is not None
    assert size.get(f"{W}orient") == "landscape"
    assert int(size.get(f"{W}w") or 0) > int(size.get(f"{W}h") or 0)
    tables = document.findall(f".//{W}tbl")
    assert len(tables) == 3
    # section 3: the corner cell spans three columns and three rows, headers repeat
    requests = tables[1]
    first = requests.find(f"{W}tr/{W}tc/{W}tcPr")
    assert first is not None
    assert first.find(f"{W}gridSpan").get(f"{W}val") == "3"  # type: ignore[union-attr]
    assert first.find(f"{W}vMerge").get(f"{W}val") == "restart"  # type: ignore[union-attr]
    assert len(requests.findall(f"{W}tr/{W}trPr/{W}tblHeader")) == 3
    assert requests.find(f"{W}tblPr/{W}tblBorders/{W}insideH") is not None
    styles = _part(docx, "word/styles.xml")
    fonts = styles.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}rFonts")
    assert fonts is not None
    assert fonts.get(f"{W}eastAsia") == "FangSong_GB2312"
    footer = "".join(_part(docx, "word/footer1.xml").itertext())
    assert footer.startswith("第")


def test_control_characters_do_not_break_the_xml() -> None:
    report = example("example-2021")
    docx = render_docx(report, preamble=["bell\x07 and nul\x00 here"])
    assert parse_docx(docx).report is not None


def test_english_labels_and_sections() -> None:
    docx = render_docx(example("example-2021"), language="en", sections=["requests"])
    text = "".join(_part(docx, "word/document.xml").itertext())
    assert "Applicant" in text or "applicant" in text
    with pytest.raises(ValueError, match="unknown section"):
        render_docx(example("example-2021"), sections=["nope"])
