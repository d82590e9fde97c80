"""The model classes: immutability, single-value invariants, template shapes."""

from __future__ import annotations

from decimal import Decimal

import attrs
import pytest

from disclosure_schema import (
    ApplicantRow,
    DisclosureSchemaError,
    ExtraRow,
    FeeAmountRow2021,
    FieldValueError,
    ItemRow2019,
    Meta,
    Proactive2019,
    Proactive2021,
    Prose,
    Report2019,
    Report2021,
    Requests2021,
    cell_kinds,
    cell_value,
    cells,
    empty_report,
)


def test_reports_are_frozen() -> None:
    report = Report2021()
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        report.meta = Meta()  # type: ignore[misc]


def test_empty_cells_are_none_not_zero() -> None:
    assert set(cells(Report2019()).values()) == {None}
    assert set(cells(Report2021()).values()) == {None}


def test_template_is_a_class_tag() -> None:
    assert Report2019.template == "2019"
    assert Report2021().template == "2021"
    assert empty_report("2021") == Report2021()
    with pytest.raises(ValueError, match="2022"):
        empty_report("2022")


def test_cell_counts_match_the_templates() -> None:
    # 二: 22 cells (2019) / 10 (2021); 三: 23 or 25 rows × 7; 四: 15.
    assert len(cell_kinds("2019")) == 22 + 23 * 7 + 15
    assert len(cell_kinds("2021")) == 10 + 25 * 7 + 15


@pytest.mark.parametrize("value", [-1, True, 1.0, "3", Decimal(3)])
def test_count_rejects_bad_values_naming_the_field(value: object) -> None:
    with pytest.raises(FieldValueError, match=r"ApplicantRow\.total"):
        ApplicantRow(total=value)  # type: ignore[arg-type]


def test_signed_change_accepts_negatives() -> None:
    assert ItemRow2019(change=-417).change == -417
    with pytest.raises(FieldValueError, match=r"ItemRow2019\.change"):
        ItemRow2019(change=False)


@pytest.mark.parametrize("value", [Decimal("-1"), Decimal("NaN"), Decimal("Infinity"), 9.63, 9])
def test_amount_rejects_bad_values(value: object) -> None:
    with pytest.raises(FieldValueError, match=r"FeeAmountRow2021\.amount"):
        FeeAmountRow2021(amount=value)  # type: ignore[arg-type]


def test_a_2019_report_cannot_hold_a_2021_table() -> None:
    with pytest.raises(FieldValueError, match=r"Report2019\.proactive: expected Proactive2019"):
        Report2019(proactive=Proactive2021())  # type: ignore[arg-type]
    with pytest.raises(FieldValueError, match=r"Report2019\.requests"):
        Report2019(requests=Requests2021())  # type: ignore[arg-type]


def test_tuples_not_lists() -> None:
    with pytest.raises(FieldValueError, match=r"Prose\.paragraphs: expected a tuple"):
        Prose(paragraphs=["a"])  # type: ignore[arg-type]
    with pytest.raises(FieldValueError, match=r"Proactive2019\.extra_rows\[0\]"):
        Proactive2019(extra_rows=("row",))  # type: ignore[arg-type]


def test_extra_row_item_must_be_an_article_20_item() -> None:
    with pytest.raises(FieldValueError, match="item"):
        ExtraRow(item=2, label="x")


def test_errors_belong_to_our_family() -> None:
    assert issubclass(FieldValueError, DisclosureSchemaError)
    assert issubclass(FieldValueError, ValueError)


def test_cell_value_reads_by_key() -> None:
    report = Report2021(requests=Requests2021(received=ApplicantRow(total=7)))
    assert cell_value(report, "requests.received.total") == 7
    with pytest.raises(KeyError, match="other_services"):
        cell_value(report, "proactive.other_services.decisions")
