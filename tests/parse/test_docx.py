"""Reading Word documents: merged cells, multi-paragraph cells, title property, bad files."""

from __future__ import annotations

import io
import shutil
import zipfile
from pathlib import Path

import pytest

from disclosure_schema import (
    Limits,
    ParseError,
    cells,
    from_json,
    parse_bytes,
    parse_docx,
    render_docx,
)
from disclosure_schema.parse._docx import docx_to_html
from disclosure_schema.parse._office import convert_to_docx

EXAMPLES = Path(__file__).parent.parent.parent / "examples"
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _package(body: str, *, title: str | None = None, styles: str | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr(
            "word/document.xml",
            f'<w:document xmlns:w="{W_NS}"><w:body>{body}</w:body></w:document>',
        )
        if title is not None:
            package.writestr(
                "docProps/core.xml",
                '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/'
                'metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/">'
                f"<dc:title>{title}</dc:title></cp:coreProperties>",
            )
        if styles is not None:
            package.writestr("word/styles.xml", f'<w:styles xmlns:w="{W_NS}">{styles}</w:styles>')
    return buffer.getvalue()


def _p(text: str, style: str | None = None) -> str:
    style_xml = f'<w:pPr><w:pStyle w:val="{style}"/></w:pPr>' if style else ""
    return f"<w:p>{style_xml}<w:r><w:t>{text}</w:t></w:r></w:p>"


def test_spans_from_grid_span_and_vertical_merge() -> None:
    table = (
        "<w:tbl>"
        "<w:tr><w:tc><w:tcPr><w:gridSpan w:val='2'/><w:vMerge w:val='restart'/></w:tcPr>"
        + _p("角")
        + "</w:tc><w:tc>"
        + _p("甲")
        + "</w:tc></w:tr>"
        "<w:tr><w:tc><w:tcPr><w:gridSpan w:val='2'/><w:vMerge/></w:tcPr><w:p/></w:tc><w:tc>"
        + _p("1")
        + "</w:tc></w:tr>"
        "</w:tbl>"
    )
    html = docx_to_html(_package(table)).html
    assert '<td colspan="2" rowspan="2"><p>角</p></td><td><p>甲</p></td>' in html
    assert "<tr><td><p>1</p></td></tr>" in html


def test_cell_paragraphs_each_a_line_and_deleted_text_left_out() -> None:
    cell = (
        "<w:tbl><w:tr><w:tc>"
        + _p("（三）不予")
        + _p("公开")
        + "<w:p><w:del><w:r><w:delText>旧</w:delText></w:r></w:del>"
        "<w:ins><w:r><w:t>新</w:t></w:r></w:ins></w:p>"
        "</w:tc></w:tr></w:tbl>"
    )
    page = docx_to_html(_package(cell))
    assert "<p>（三）不予</p><p>公开</p><p>新</p>" in page.html
    assert "旧" not in page.html
    assert [d.code for d in page.diagnostics] == ["tracked_changes"]


def test_heading_styles_by_name() -> None:
    styles = (
        '<w:style w:type="paragraph" w:styleId="1"><w:name w:val="heading 1"/></w:style>'
        '<w:style w:type="paragraph" w:styleId="a5"><w:name w:val="Title"/></w:style>'
    )
    html = docx_to_html(_package(_p("报告", "a5") + _p("一、总体情况", "1"), styles=styles)).html
    assert "<h1>报告</h1><h2>一、总体情况</h2>".replace("><", ">\n<") in html


def test_title_property_is_a_hint_when_the_text_has_none() -> None:
    report = from_json((EXAMPLES / "example-2021.json").read_bytes())
    docx = render_docx(report)
    with zipfile.ZipFile(io.BytesIO(docx)) as package:
        parts = {name: package.read(name) for name in package.namelist()}
    title = "某某市某某局2023年政府信息公开工作年度报告"
    # drop the title paragraph from the body: only the property tells the title
    document = parts["word/document.xml"].decode()
    start = document.index('<w:p><w:pPr><w:pStyle w:val="Title"/>')
    end = document.index("</w:p>", start) + len("</w:p>")
    parts["word/document.xml"] = (document[:start] + document[end:]).encode()
    parts["docProps/core.xml"] = parts["docProps/core.xml"].replace(
        report.meta.title.encode() if report.meta.title else b"", title.encode()
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        for name, data in parts.items():
            package.writestr(name, data)
    result = parse_docx(buffer.getvalue())
    assert result.report is not None
    assert result.report.meta.title == title
    assert result.report.meta.issuer == "某某市某某局"
    assert cells(result.report) == cells(report)


def test_not_a_word_file_is_a_diagnostic_not_an_exception() -> None:
    for data in (b"", b"PK\x03\x04garbage", _package("<w:p>")[:-30]):
        result = parse_docx(data)
        assert result.report is None
        assert result.errors


def test_zip_without_document_part() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("x.txt", "hello")
    result = parse_docx(buffer.getvalue())
    assert result.report is None
    assert "word/document.xml" in result.errors[-1].message


def test_xml_part_over_the_limit_is_refused_unread() -> None:
    big = _package(_p("x" * 50_000))
    result = parse_docx(big, limits=Limits(max_page_bytes=4_000))
    assert result.report is None
    assert result.errors[0].code == "input_too_large"


def test_parse_bytes_finds_a_renamed_docx_by_content() -> None:
    report = from_json((EXAMPLES / "chengguan-2020.json").read_bytes())
    docx = render_docx(report)
    for name in ("report.docx", "report.bin", None):
        result = parse_bytes(docx, filename=name)
        assert result.report is not None, name
        assert cells(result.report) == cells(report)


OFFICE = Path(__file__).parent.parent / "fixtures" / "office"


def test_a_doc_that_is_really_a_web_page_is_read_as_one() -> None:
    from disclosure_schema import render_html  # noqa: PLC0415

    report = from_json((EXAMPLES / "example-2021.json").read_bytes())
    page = render_html(report, full_page=True).encode("utf-8")
    result = parse_bytes(page, filename="report.doc")
    assert result.report is not None
    assert cells(result.report) == cells(report)


def test_wps_and_doc_without_libreoffice_say_how_to_install_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(shutil, "which", lambda name: None)
    data = (OFFICE / "example-2021-portrait.doc").read_bytes()
    for name in ("report.doc", "report.wps", "renamed.txt"):
        result = parse_bytes(data, filename=name)
        assert result.report is None
        assert "LibreOffice" in result.errors[-1].message
        assert "apt-get install" in result.errors[-1].message


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_wps_is_converted_by_libreoffice() -> None:
    report = from_json((EXAMPLES / "example-2021.json").read_bytes())
    data = (OFFICE / "example-2021-portrait.doc").read_bytes()
    result = parse_bytes(data, filename="报告.wps")
    assert result.report is not None
    assert cells(result.report) == cells(report)


def test_a_hung_converter_is_stopped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake = tmp_path / "soffice"
    fake.write_text("#!/bin/sh\nsleep 30\n", encoding="utf-8")
    fake.chmod(0o755)
    monkeypatch.setattr(shutil, "which", lambda name: str(fake))
    with pytest.raises(ParseError, match="took more than"):
        convert_to_docx(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", ".doc", timeout=0.5)


NUMBERING = (
    '<w:abstractNum w:abstractNumId="7">'
    '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/>'
    '<w:lvlText w:val="%1、"/></w:lvl>'
    '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/>'
    '<w:lvlText w:val="（%2）"/></w:lvl>'
    '<w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="decimal"/>'
    '<w:lvlText w:val="%3."/></w:lvl>'
    "</w:abstractNum>"
    '<w:num w:numId="3"><w:abstractNumId w:val="7"/></w:num>'
)


def _numbered(text: str, level: int) -> str:
    return (
        f'<w:p><w:pPr><w:numPr><w:ilvl w:val="{level}"/><w:numId w:val="3"/></w:numPr>'
        f"</w:pPr><w:r><w:t>{text}</w:t></w:r></w:p>"
    )


def test_automatic_list_numbers_are_written_out() -> None:
    body = (
        _numbered("总体情况", 0)
        + _numbered("主动公开", 0)
        + _numbered("不予公开", 1)
        + _numbered("属于国家秘密", 2)
        + _numbered("其他法律行政法规禁止公开", 2)
        + _numbered("无法提供", 1)
        + _numbered("本机关不掌握", 2)
        + "<w:p><w:r><w:t>正文</w:t><w:drawing><w:t>图中文字</w:t></w:drawing></w:r></w:p>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr(
            "word/document.xml",
            f'<w:document xmlns:w="{W_NS}"><w:body>{body}</w:body></w:document>',
        )
        package.writestr(
            "word/numbering.xml", f'<w:numbering xmlns:w="{W_NS}">{NUMBERING}</w:numbering>'
        )
    html = docx_to_html(buffer.getvalue()).html
    for line in (
        "一、总体情况",
        "二、主动公开",
        "（一）不予公开",
        "1.属于国家秘密",
        "2.其他法律行政法规禁止公开",
        "（二）无法提供",
        "1.本机关不掌握",
        "<p>正文</p>",
    ):
        assert line in html
    assert "图中文字" not in html
