"""HTML is read without network access, entity expansion or script content."""

from __future__ import annotations

from pathlib import Path

from disclosure_schema import parse_html

SECRET = "机密内容不应出现"


def _all_text(result: object) -> str:
    report = result.report  # type: ignore[attr-defined]
    if report is None:
        return ""
    return repr(report)


def test_external_entities_are_not_loaded(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text(SECRET, encoding="utf-8")
    page = (
        f'<!DOCTYPE html [<!ENTITY leak SYSTEM "file://{secret}">]>'
        "<html><body><h1>某镇2021年政府信息公开工作年度报告</h1><p>一、总体情况</p>"
        "<p>&leak;</p></body></html>"
    )
    assert SECRET not in _all_text(parse_html(page))


def test_entity_expansion_does_not_blow_up() -> None:
    entities = '<!ENTITY a "aaaaaaaaaa">' + "".join(
        f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(8)
    )
    page = f"<!DOCTYPE html [{entities}]><html><body><p>&i;</p></body></html>"
    result = parse_html(page)
    assert len(_all_text(result)) < 10_000


def test_scripts_and_styles_are_ignored() -> None:
    page = (
        "<html><head><style>p { content: '一、总体情况' }</style></head><body>"
        "<h1>某镇2021年政府信息公开工作年度报告</h1><p>一、总体情况</p><p>正文。</p>"
        f"<script>document.write('{SECRET}')</script><noscript>{SECRET}</noscript>"
        "</body></html>"
    )
    result = parse_html(page)
    assert result.report is not None
    assert SECRET not in _all_text(result)
