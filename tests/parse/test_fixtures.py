"""Static mangled pages in tests/fixtures/parse/ read through parse_file."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from disclosure_schema import cell_value
from disclosure_schema.parse import parse_file

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "parse"


def test_gbk_cms_page_file() -> None:
    result = parse_file(FIXTURES / "cms-2022-gbk.html")
    assert result.report is not None
    assert result.report.template == "2021"
    assert cell_value(result.report, "proactive.fees.amount") == Decimal("1.25")


def test_mangled_text_page() -> None:
    result = parse_file(FIXTURES / "mangled-2022-on-2019-grid.txt")
    report = result.report
    assert report is not None
    codes = {d.code for d in result.diagnostics}
    assert report.template == "2019"
    assert report.meta.year == 2022
    assert report.meta.issuer == "示例乡"
    assert str(report.meta.published) == "2023-01-30"
    assert "template_year_mismatch" in codes
    assert cell_value(report, "proactive.regulations.produced") is None
    assert cell_value(report, "proactive.normative_documents.total_published") == 6
    assert report.proactive.extra_rows[0].values == (30, 30, None)
    assert cell_value(report, "proactive.licensing.change") == -2
    assert cell_value(report, "proactive.licensing.decisions") == 1024
    assert cell_value(report, "proactive.other_services.change") == 1
    assert cell_value(report, "proactive.other_services.decisions") is None
    assert "unreadable_value" in codes
    assert cell_value(report, "proactive.procurement.amount") == Decimal("184719")
    assert cell_value(report, "requests.received.natural_person") == 2
    assert cell_value(report, "requests.received.total") == 2
    # the page is cut inside row （一）: its six visible values are kept, the rest is empty
    assert cell_value(report, "requests.outcomes.disclosed.natural_person") == 1
    assert cell_value(report, "requests.outcomes.disclosed.total") is None
    assert "truncated" in codes
