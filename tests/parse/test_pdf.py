"""Reading PDF and Word fixtures made the way offices make them (tools/make_office_fixtures.py):
every cell exactly, tables stitched across pages, scans refused with ``needs_ocr``."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from disclosure_schema import cells, from_json, parse_bytes, parse_file
from disclosure_schema.parse import _pdf
from disclosure_schema.parse._pdf import _Cell, _join_chars, _Labels, _stitch, _Table

pytest.importorskip("pdfplumber")

ROOT = Path(__file__).parent.parent.parent
OFFICE = ROOT / "tests" / "fixtures" / "office"
EXPECTED: dict[str, str] = json.loads((OFFICE / "expected.json").read_text(encoding="utf-8"))
NOT_DOC = sorted(name for name in EXPECTED if not name.endswith(".doc"))
DOC = sorted(name for name in EXPECTED if name.endswith(".doc"))


@pytest.mark.parametrize("name", NOT_DOC)
def test_fixture_reads_every_cell(name: str) -> None:
    report = from_json((ROOT / "examples" / EXPECTED[name]).read_bytes())
    result = parse_file(OFFICE / name)
    assert result.report is not None, [str(d) for d in result.diagnostics]
    assert result.report.template == report.template
    assert cells(result.report) == cells(report)
    assert result.report.meta.year == report.meta.year
    assert not result.errors


@pytest.mark.parametrize("name", DOC)
def test_old_word_file_through_libreoffice(name: str) -> None:
    result = parse_file(OFFICE / name)
    if shutil.which("soffice") is None and shutil.which("libreoffice") is None:
        assert result.report is None
        assert "LibreOffice" in result.errors[-1].message
        return
    report = from_json((ROOT / "examples" / EXPECTED[name]).read_bytes())
    assert result.report is not None, [str(d) for d in result.diagnostics]
    assert cells(result.report) == cells(report)
    assert result.diagnostics[0].code == "converted"


def test_renamed_pdf_is_read_by_its_bytes() -> None:
    data = (OFFICE / "example-2021-portrait.pdf").read_bytes()
    for name in ("report.txt", "report.html", None):
        result = parse_bytes(data, filename=name)
        assert result.report is not None, name


def test_tables_crossing_pages_are_stitched() -> None:
    result = parse_file(OFFICE / "example-2021-split-rows.pdf")
    notes = [d.message for d in result.diagnostics if d.code == "pdf_table_stitched"]
    assert any("repeated header row" in note for note in notes)
    assert any("row cut by the page break" in note for note in notes)


def test_running_footers_are_not_prose() -> None:
    result = parse_file(OFFICE / "example-2021-portrait.pdf")
    assert result.report is not None
    prose = json.dumps(
        [result.report.overview.paragraphs, result.report.other_matters.paragraphs],
        ensure_ascii=False,
    )
    assert "— 2 —" not in prose
    assert "—2—" not in prose


def test_scanned_pdf_needs_ocr() -> None:
    result = parse_file(OFFICE / "scanned.pdf")
    assert result.report is None
    assert [d.code for d in result.errors] == ["needs_ocr"]
    assert "OCR" in result.errors[0].message


def test_scanned_pdf_exits_2_with_one_line(tmp_path: Path) -> None:
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "disclosure_schema",
            "parse",
            str(OFFICE / "scanned.pdf"),
            "-o",
            str(tmp_path / "out.json"),
        ],
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
    )
    assert run.returncode == 2
    assert "needs OCR" in run.stderr
    assert len(run.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "out.json").exists()


class _FakePdf:
    """Just enough of a pdfplumber document to reach the text-layer checks."""

    def __init__(self, chars: list[dict[str, Any]]) -> None:
        self.pages = [_FakePage(chars)]
        self.metadata = {"Title": "Microsoft Word - 某某局2022年政府信息公开工作年度报告.docx"}

    def __enter__(self) -> _FakePdf:
        return self

    def __exit__(self, *args: object) -> None:
        return None


class _FakePage:
    height = 842.0

    def __init__(self, chars: list[dict[str, Any]]) -> None:
        self.chars = chars

    def dedupe_chars(self) -> _FakePage:
        return self

    def find_tables(self) -> list[Any]:
        return []

    def close(self) -> None:
        return None


def _char(text: str, x0: float, size: float = 10.0) -> dict[str, Any]:
    return {"text": text, "x0": x0, "x1": x0 + size, "top": 100.0, "bottom": 110.0, "size": size}


def test_cid_garbage_needs_ocr(monkeypatch: pytest.MonkeyPatch) -> None:
    chars = [_char("(cid:12)", 10.0 * n) for n in range(40)]
    monkeypatch.setattr(_pdf, "_open", lambda data: _FakePdf(chars))
    result = _pdf.parse_pdf(b"%PDF-1.4")
    assert result.report is None
    assert [d.code for d in result.errors] == ["needs_ocr"]
    assert "(cid:N)" in result.errors[0].message


def test_word_title_prefix_is_dropped_from_the_info_title(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_pdf, "_open", lambda data: _FakePdf([_char("甲", 10.0)]))
    page = _pdf.pdf_to_html(b"%PDF-1.4")
    assert page.title == "某某局2022年政府信息公开工作年度报告"
    assert f"<title>{page.title}</title>" in page.html


def test_without_pdfplumber_the_message_says_what_to_install(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "pdfplumber", None)
    result = parse_bytes(b"%PDF-1.4\n", filename="a.pdf")
    assert result.report is None
    assert "pip install 'disclosure-schema[pdf]'" in result.errors[-1].message


def test_not_a_pdf() -> None:
    result = parse_bytes(b"%PDF-1.4 but nothing else", filename="a.pdf")
    assert result.report is None
    assert "not a readable PDF" in result.errors[-1].message


def test_chinese_is_joined_without_spaces_latin_keeps_its_spaces() -> None:
    chars = [_char(c, x) for c, x in (("本", 0), ("年", 14), ("2", 30), ("0", 36), ("x", 60))]
    assert _join_chars(chars) == "本年20 x"


# ---------------------------------------------------------------------------- stitching

LABELS = _Labels.load()


def _table(rows: int, *cells: tuple[float, float, int, int, str]) -> _Table:
    return _Table(
        [_Cell(x0, x1, r0, r1, [text] if text else []) for x0, x1, r0, r1, text in cells],
        rows,
        0.0,
        100.0,
        0.0,
        300.0,
    )


def test_a_cut_row_is_joined_and_a_label_fragment_attached() -> None:
    first = _table(
        2,
        (0, 100, 0, 2, "（三）不予公"),
        (100, 200, 0, 1, "1.属于国家秘密"),
        (200, 300, 0, 1, "4"),
        (100, 200, 1, 2, "2.其他法律行政"),
        (200, 300, 1, 2, ""),
    )
    second = _table(
        2,
        (0, 100, 0, 2, "开"),
        (100, 200, 0, 1, "法规禁止公开"),
        (200, 300, 0, 1, "7"),
        (100, 200, 1, 2, "3.危及“三安全一稳定”"),
        (200, 300, 1, 2, "0"),
    )
    table, notes = _stitch(first, second, LABELS)
    assert notes == ["a row cut by the page break joined"]
    assert table.rows == 3
    texts = {(c.row0, c.x0): (c.text, c.row1) for c in table.cells}
    assert texts[(0, 0)] == ("（三）不予公开", 3)
    assert texts[(1, 100)] == ("2.其他法律行政法规禁止公开", 2)
    assert texts[(1, 200)] == ("7", 2)
    assert texts[(2, 100)] == ("3.危及“三安全一稳定”", 3)


def test_rows_with_numbers_on_both_sides_are_not_joined() -> None:
    first = _table(1, (0, 100, 0, 1, "规章"), (100, 200, 0, 1, "1"))
    second = _table(1, (0, 100, 0, 1, "其他对外管理服务事项"), (100, 200, 0, 1, "2"))
    table, notes = _stitch(first, second, LABELS)
    assert notes == []
    assert table.rows == 2


def test_a_new_row_starting_with_a_marker_is_not_joined() -> None:
    first = _table(1, (0, 100, 0, 1, "1.属于国家秘密"), (100, 200, 0, 1, ""))
    second = _table(1, (0, 100, 0, 1, "2.其他法律行政法规禁止公开"), (100, 200, 0, 1, ""))
    table, _ = _stitch(first, second, LABELS)
    assert table.rows == 2


def test_repeated_header_rows_are_dropped() -> None:
    header = ((0, 100, 0, 1, "信息内容"), (100, 200, 0, 1, "本年制发件数"))
    first = _table(2, *header, (0, 100, 1, 2, "规章"), (100, 200, 1, 2, "1"))
    second = _table(2, *header, (0, 100, 1, 2, "行政规范性文件"), (100, 200, 1, 2, "4"))
    table, notes = _stitch(first, second, LABELS)
    assert notes == ["1 repeated header row(s) dropped"]
    assert table.rows == 3
    assert sorted(c.text for c in table.cells) == sorted(
        ["信息内容", "本年制发件数", "规章", "1", "行政规范性文件", "4"]
    )


# ---------------------------------------------------------------------------- CLI


def _cli(*arguments: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "disclosure_schema", *arguments],
        capture_output=True,
        text=True,
        check=False,
        cwd=cwd,
        timeout=600,
    )


def test_a_folder_of_mixed_formats_parses_in_one_call(tmp_path: Path) -> None:
    from disclosure_schema import render_html, render_text  # noqa: PLC0415

    report = from_json((ROOT / "examples" / "example-2021.json").read_bytes())
    pages = tmp_path / "pages"
    pages.mkdir()
    (pages / "a.txt").write_text(render_text(report), encoding="utf-8")
    (pages / "b.html").write_text(render_html(report, full_page=True), encoding="utf-8")
    shutil.copy(OFFICE / "example-2021-portrait.pdf", pages / "c.pdf")
    shutil.copy(OFFICE / "example-2021-portrait.docx", pages / "d.docx")
    shutil.copy(OFFICE / "example-2021-portrait.doc", pages / "e.doc")
    shutil.copy(OFFICE / "scanned.pdf", pages / "f.pdf")
    (pages / "~$d.docx").write_bytes(b"\x0bWord owner file")  # Word's lock file: skipped
    run = _cli("parse", str(pages), "-o", str(tmp_path / "out"), "--quiet", cwd=tmp_path)
    assert run.returncode == 2  # the scan fails, the others are written
    assert "f.pdf" in run.stderr
    assert "needs OCR" in run.stderr
    has_soffice = shutil.which("soffice") or shutil.which("libreoffice")
    readable = ["a", "b", "c", "d", *(["e"] if has_soffice else [])]
    for stem in readable:
        parsed = from_json((tmp_path / "out" / f"{stem}.json").read_bytes())
        assert cells(parsed) == cells(report), stem
    assert not (tmp_path / "out" / "f.json").exists()
    errors = (tmp_path / "out" / "_errors.jsonl").read_text(encoding="utf-8")
    assert "f.pdf" in errors


def test_render_docx_from_the_command_line(tmp_path: Path) -> None:
    target = tmp_path / "report.docx"
    source = ROOT / "examples" / "chengguan-2020.json"
    run = _cli("render", str(source), "--format", "docx", "-o", str(target), cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    result = parse_file(target)
    assert result.report is not None
    assert cells(result.report) == cells(from_json(source.read_bytes()))
    refused = _cli("render", str(source), "--format", "docx", cwd=tmp_path)
    assert refused.returncode == 2
    assert "-o FILE.docx" in refused.stderr


def test_numbers_on_both_sides_of_a_break_without_labels_are_left_unread() -> None:
    # section 4: one data row, no label column; its numbers wrapped over the break
    first = _table(1, (0, 100, 0, 1, "1049"), (100, 200, 0, 1, "—"))
    second = _table(1, (0, 100, 0, 1, "89"), (100, 200, 0, 1, ""))
    table, notes = _stitch(first, second, LABELS)
    assert table.rows == 1
    assert notes == [
        "a row cut by the page break joined",
        "1 number(s) on both sides of the break left unread",
    ]
    assert sorted(c.text for c in table.cells) == ["1049 / 89", "—"]


def test_numbers_wrapped_by_the_break_are_joined_when_the_label_is_completed() -> None:
    first = _table(1, (0, 100, 0, 1, "一、本年新收政府信息公开申请"), (100, 200, 0, 1, "99999"))
    second = _table(1, (0, 100, 0, 1, "数量"), (100, 200, 0, 1, "99"))
    table, notes = _stitch(first, second, LABELS)
    assert notes == ["a row cut by the page break joined"]
    assert [c.lines for c in table.cells] == [
        ["一、本年新收政府信息公开申请", "数量"],
        ["99999", "99"],
    ]


def test_a_data_row_under_a_header_row_is_not_joined() -> None:
    first = _table(1, (0, 100, 0, 1, "结果维持"), (100, 200, 0, 1, "结果纠正"))
    second = _table(1, (0, 100, 0, 1, "3"), (100, 200, 0, 1, "4"))
    table, notes = _stitch(first, second, LABELS)
    assert notes == []
    assert table.rows == 2


def test_a_paragraph_cut_by_a_page_break_is_one_paragraph() -> None:
    page = _pdf.pdf_to_html((OFFICE / "chengguan-2020-preamble.pdf").read_bytes())
    assert page.html.count("<p>第4段") == 1
    assert "<p>内容均为虚构" not in page.html


def test_a_header_cut_at_the_foot_of_a_page_gives_way_to_the_repeated_one() -> None:
    # the corner cell spans three rows; only its first row fitted on the page
    first = _table(1, (0, 100, 0, 1, "（本列数据）"), (100, 300, 0, 1, "申请人情况"))
    second = _table(
        4,
        (0, 100, 0, 3, "（本列数据）"),
        (100, 300, 0, 1, "申请人情况"),
        (100, 200, 1, 3, "自然人"),
        (200, 300, 1, 2, "法人"),
        (200, 300, 2, 3, "商业企业"),
        (0, 100, 3, 4, "一、本年新收政府信息公开申请数量"),
        (100, 200, 3, 4, "1"),
        (200, 300, 3, 4, "2"),
    )
    table, notes = _stitch(first, second, LABELS)
    assert table is second
    assert notes == ["1 header row(s) cut from their table dropped"]


def test_an_empty_merged_cell_at_the_top_continues_the_cell_above() -> None:
    first = _table(1, (0, 100, 0, 1, "（本列数据）"), (100, 300, 0, 1, "申请人情况"))
    second = _table(
        2,
        (0, 100, 0, 2, ""),
        (100, 200, 0, 2, "自然人"),
        (200, 300, 0, 1, "法人"),
        (200, 300, 1, 2, "商业企业"),
    )
    table, _ = _stitch(first, second, LABELS)
    corner = next(c for c in table.cells if c.x0 == 0)
    assert (corner.row0, corner.row1, corner.text) == (0, 3, "（本列数据）")
    assert len(table.cells) == 5


def test_a_cut_pdf_is_an_error_not_a_traceback(capsys: pytest.CaptureFixture[str]) -> None:
    data = (OFFICE / "example-2021-portrait.pdf").read_bytes()
    for cut in (100, len(data) // 2, len(data) - 200):
        result = parse_bytes(data[:cut], filename="cut.pdf")
        assert result.report is None
        assert "PDF" in result.errors[-1].message
    assert capsys.readouterr().err == ""


def test_pdfminer_complaints_become_a_diagnostic(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import logging  # noqa: PLC0415

    def complaining_open(data: bytes) -> _FakePdf:
        logging.getLogger("pdfminer.pdfparser").warning("Data-loss while decompressing")
        return _FakePdf([_char("(cid:1)", 10.0)])

    monkeypatch.setattr(_pdf, "_open", complaining_open)
    result = _pdf.parse_pdf(b"%PDF-1.4")
    assert [d.code for d in result.diagnostics] == ["pdf_damaged", "needs_ocr"]
    assert "Data-loss" in result.diagnostics[0].message
    assert capsys.readouterr().err == ""


def test_a_blank_marker_under_a_number_is_not_fused_into_it() -> None:
    first = _table(1, (0, 100, 0, 1, "某项许可"), (100, 200, 0, 1, "3"))
    second = _table(1, (0, 100, 0, 1, "其他事项"), (100, 200, 0, 1, "—"))
    table, notes = _stitch(first, second, LABELS)
    assert "1 number(s) on both sides of the break left unread" in notes
    assert "3 / —" in [c.text for c in table.cells]


def test_a_row_below_a_whole_template_label_is_a_row_of_its_own() -> None:
    # an added row at the top of the next page is not the rest of 规范性文件
    first = _table(1, (0, 100, 0, 1, "规范性文件"), (100, 200, 0, 1, "4663"))
    second = _table(1, (0, 100, 0, 1, "附加示例行"), (100, 200, 0, 1, "附加说明"))
    table, notes = _stitch(first, second, LABELS)
    assert notes == []
    assert table.rows == 2


def test_kangxi_radicals_read_as_the_ideographs_they_look_like() -> None:
    assert _join_chars([_char("⽂", 0), _char("件", 10)]) == "文件"


def test_a_slot_no_cell_covers_keeps_the_columns_right() -> None:
    # the middle cell of the second row has no borders: its neighbour stays in column 3
    table = _table(
        2,
        (0, 100, 0, 1, "甲"),
        (100, 200, 0, 1, "乙"),
        (200, 300, 0, 1, "丙"),
        (0, 100, 1, 2, "规章"),
        (200, 300, 1, 2, "5"),
    )
    html = _pdf._table_html(table)
    assert "<tr><td><p>规章</p></td><td></td><td><p>5</p></td></tr>" in html


def test_text_in_an_open_merged_cell_gets_a_cell() -> None:
    # a merged label cell left open at the page foot: pdfplumber finds no cell for it
    boxes = [(100.0, 0.0, 200.0, 10.0), (100.0, 10.0, 200.0, 20.0), (0.0, 20.0, 200.0, 30.0)]
    label = [
        {"text": c, "x0": x, "x1": x + 10.0, "top": 8.0, "bottom": 18.0, "size": 10.0}
        for c, x in (("不", 20.0), ("予", 30.0))
    ]
    table, stray = _pdf._read_table(boxes, label)
    assert stray == []
    opened = [c for c in table.cells if c.text == "不予"]
    assert [(c.x0, c.x1, c.row0, c.row1) for c in opened] == [(0.0, 100.0, 0, 2)]


def test_a_browser_font_without_a_bounding_box_is_not_damage(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import logging  # noqa: PLC0415

    def quibbling_open(data: bytes) -> _FakePdf:
        logging.getLogger("pdfminer.pdffont").warning("Could not get FontBBox from font")
        return _FakePdf([_char("(cid:1)", 10.0)])

    monkeypatch.setattr(_pdf, "_open", quibbling_open)
    assert [d.code for d in _pdf.parse_pdf(b"%PDF-1.4").diagnostics] == ["needs_ocr"]


def test_a_blank_marker_under_a_merged_header_is_a_value_not_its_rest() -> None:
    # table 四 split after its header: "—" is the first value, not part of 结果维持
    first = _table(
        2, (0, 100, 0, 2, "结果维持"), (100, 200, 0, 1, "行政诉讼"), (100, 200, 1, 2, "总计")
    )
    second = _table(1, (0, 100, 0, 1, "—"), (100, 200, 0, 1, "7"))
    table, _ = _stitch(first, second, LABELS)
    assert table.rows == 3
    assert ("—", 2, 3) in [(c.text, c.row0, c.row1) for c in table.cells]


def _tiny_pdf(content: str) -> bytes:
    """A one-page PDF drawing ``content`` (PDF operators) with Helvetica."""
    stream = content.encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 200] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def test_fake_bold_doubled_characters_are_read_once() -> None:
    # "fake bold": the same text drawn twice, a fraction of a point apart
    drawn = "BT /F1 12 Tf 50 100 Td (Total 2023) Tj ET BT /F1 12 Tf 50.3 100 Td (Total 2023) Tj ET"
    page = _pdf.pdf_to_html(_tiny_pdf(drawn))
    assert "<p>Total 2023</p>" in page.html


def test_numbers_left_unread_by_a_stitch_are_a_warning_of_their_own() -> None:
    # the stitch is news (info); numbers it could not place are a warning (pdf_numbers_cut)
    first = _table(1, (0, 100, 0, 1, "1049"), (100, 200, 0, 1, "—"))
    second = _table(1, (0, 100, 0, 1, "89"), (100, 200, 0, 1, ""))
    pages = [_pdf._PageContent(1, 800.0, [first]), _pdf._PageContent(2, 800.0, [second])]
    diagnostics: list[Any] = []
    _pdf._assemble(pages, set(), LABELS, diagnostics)
    assert [(d.code, d.severity) for d in diagnostics] == [
        ("pdf_table_stitched", "info"),
        ("pdf_numbers_cut", "warning"),
    ]
    assert diagnostics[0].message == (
        "a table crossing from page 1 to 2 read as one (a row cut by the page break joined)"
    )
    assert diagnostics[1].message == (
        "a table crossing from page 1 to 2: 1 number(s) on both sides of the break left unread"
    )
