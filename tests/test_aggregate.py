"""summarize: the cell-wise sum, the empty-cell policy, the record of inputs, refusals."""

from __future__ import annotations

from decimal import Decimal

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from disclosure_schema import (
    AggregationError,
    ApplicantRow,
    ExtraRow,
    FeeAmountRow2021,
    Meta,
    Proactive2019,
    Proactive2021,
    ProcurementRow2019,
    Report2019,
    Report2021,
    Requests2021,
    TemplateMismatchError,
    WrittenValue,
    cell_kinds,
    cells,
    from_json,
    summarize,
    to_json,
)
from tests.strategies import reports_of


def _expected_sum(reports, template):
    values = [cells(report) for report in reports]
    expected = {}
    for key in cell_kinds(template):
        present = [row[key] for row in values if row[key] is not None]
        expected[key] = sum(present) if present else None
    return expected


def _without_units(report):
    # reports_of gives as_written units at random; units are covered by their own tests
    return attrs.evolve(report, as_written=())


@settings(max_examples=60, deadline=None)
@given(
    st.sampled_from(["2019", "2021"]).flatmap(
        lambda t: st.lists(reports_of(t), min_size=1, max_size=4)
    )
)
def test_summarize_is_the_cell_wise_sum_of_non_empty_values(inputs):
    inputs = [_without_units(report) for report in inputs]
    template = inputs[0].template
    summary = summarize(inputs)
    assert summary.report.template == template
    assert cells(summary.report) == _expected_sum(inputs, template)
    values = [cells(report) for report in inputs]
    partial = [
        key
        for key in cell_kinds(template)
        if 0 < sum(row[key] is None for row in values) < len(inputs)
    ]
    assert list(summary.partial_cells) == partial
    assert len(summary.inputs) == len(inputs)
    # the summed report is a valid report: it round-trips through JSON
    assert from_json(to_json(summary.report)) == summary.report


def _office(issuer, natural, total):
    return Report2021(
        meta=Meta(issuer=issuer, year=2023),
        requests=Requests2021(received=ApplicantRow(natural_person=natural, total=total)),
    )


def test_empty_cells_as_documented_and_the_record():
    summary = summarize(
        [_office("甲", 1, None), _office("乙", None, None), _office("丙", 2, 5)], issuer="示例县"
    )
    received = summary.report.requests.received
    assert (received.natural_person, received.total, received.research_institution) == (3, 5, None)
    assert summary.inputs == ("甲 2023", "乙 2023", "丙 2023")
    assert summary.partial_cells == (
        "requests.received.natural_person",
        "requests.received.total",
    )
    assert summary.report.meta.issuer == "示例县"
    assert summary.report.meta.year == 2023
    record = "\n".join(summary.report.overview.paragraphs)
    assert "甲 2023；乙 2023；丙 2023" in record
    assert "2 格至少一份报告为空" in record


def test_mixed_templates_are_refused_naming_the_inputs():
    with pytest.raises(TemplateMismatchError) as caught:
        summarize([Report2019(), Report2021(), Report2019()], names=["a.json", "b.json", "c.json"])
    assert (
        str(caught.value)
        == "cannot mix templates: template 2019: a.json, c.json; template 2021: b.json"
    )


def test_nothing_to_sum_and_wrong_names_are_refused():
    with pytest.raises(AggregationError, match="nothing to summarize"):
        summarize([])
    with pytest.raises(AggregationError, match="2 reports but 1 names"):
        summarize([Report2021(), Report2021()], names=["x"])


def test_amounts_sum_exactly_and_units_must_agree():
    def fees(amount, unit=None):
        written = (WrittenValue(key="proactive.fees.amount", text=f"{amount}{unit}", unit=unit),)
        return Report2021(
            proactive=Proactive2021(fees=FeeAmountRow2021(amount=Decimal(amount))),
            as_written=written if unit else (),
        )

    summary = summarize([fees("0.1"), fees("0.2", "万元")])
    assert summary.report.proactive.fees.amount == Decimal("0.3")
    assert summary.report.as_written == (
        WrittenValue(key="proactive.fees.amount", text="0.3万元", unit="万元"),
    )

    def procurement(amount, unit):
        return Report2019(
            proactive=Proactive2019(procurement=ProcurementRow2019(amount=Decimal(amount))),
            as_written=(
                WrittenValue(key="proactive.procurement.amount", text=f"{amount}{unit}", unit=unit),
            ),
        )

    with pytest.raises(AggregationError, match=r"proactive\.procurement\.amount: .*万元.*元"):
        summarize([procurement("1", "万元"), procurement("2", "元")])


def test_extra_rows_are_left_out_and_named():
    with_extra = Report2021(
        proactive=Proactive2021(extra_rows=(ExtraRow(item=1, label="其他", values=(1,)),))
    )
    summary = summarize([with_extra, Report2021()], names=["a", "b"])
    assert summary.report.proactive.extra_rows == ()
    assert summary.extra_rows_left_out == ("a",)
    assert "a" in summary.report.overview.paragraphs[-1]
