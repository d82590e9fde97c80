"""A third template, defined in this file alone: the library handles it with no change.

The toy template (tag "2030") has three small tables. Declaring its attrs classes and
its :class:`TemplateSpec`, then registering it, gives: cell keys and kinds, label
tables, strict JSON both ways, the JSON Schema, every renderer, and the parser reading
its renderings.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from decimal import Decimal
from typing import Any, ClassVar

import attrs
import jsonschema
import pytest

from disclosure_schema import (
    ExtraRow,
    FieldValueError,
    Meta,
    Prose,
    ReportFormatError,
    WrittenValue,
    cell_kinds,
    cells,
    from_json,
    json_schema,
    render_html,
    render_markdown,
    render_text,
    to_dict,
    to_json,
)
from disclosure_schema.labels import cell_labels
from disclosure_schema.model._values import amount, count, items, part, written_values
from disclosure_schema.template import (
    ColumnSpec,
    Label,
    ProactiveBlock,
    RowSpec,
    TemplateLabels,
    TemplateSpec,
    article20_caption,
    register_template,
    template_spec,
    unregister_template,
)


@attrs.frozen(kw_only=True)
class ToyPublications:
    """规章 × 本年制发件数 / 经费."""

    issued: int | None = count()
    budget: Decimal | None = amount(unit="元")


@attrs.frozen(kw_only=True)
class ToyProactive:
    """二、主动公开 (toy)."""

    regulations: ToyPublications = part(ToyPublications)
    extra_rows: tuple[ExtraRow, ...] = items(ExtraRow)


@attrs.frozen(kw_only=True)
class ToyApplicants:
    """Applicants: a person, a company, the total."""

    natural_person: int | None = count()
    company: int | None = count()
    total: int | None = count()


@attrs.frozen(kw_only=True)
class ToyRequests:
    """三、申请 (toy)."""

    received: ToyApplicants = part(ToyApplicants)
    answered: ToyApplicants = part(ToyApplicants)


@attrs.frozen(kw_only=True)
class ToyAppealRow:
    """One appeal row (toy)."""

    upheld: int | None = count()
    total: int | None = count()


@attrs.frozen(kw_only=True)
class ToyAppeals:
    """四、复议 (toy)."""

    review: ToyAppealRow = part(ToyAppealRow)


@attrs.frozen(kw_only=True)
class ToyReport:
    """A report on the toy template."""

    template: ClassVar[str] = "2030"

    meta: Meta = part(Meta)
    overview: Prose = part(Prose)
    proactive: ToyProactive = part(ToyProactive)
    requests: ToyRequests = part(ToyRequests)
    appeals: ToyAppeals = part(ToyAppeals)
    problems: Prose = part(Prose)
    other_matters: Prose = part(Prose)
    as_written: tuple[WrittenValue, ...] = written_values()


_ORGANIZATIONS = Label("法人或其他组织", "Legal persons or other organizations")
TOY_LABELS = TemplateLabels(
    "2030",
    proactive_blocks=(
        ProactiveBlock(
            1,
            article20_caption(1),
            (
                ColumnSpec("issued", Label("本年制发件数", "Issued this year")),
                ColumnSpec("budget", Label("经费（元）", "Budget (yuan)")),
            ),
            (RowSpec("proactive.regulations", Label("规章", "Regulations")),),
        ),
    ),
    request_columns=(
        ColumnSpec("natural_person", Label("自然人", "Natural persons")),
        ColumnSpec("company", Label("企业", "Companies"), _ORGANIZATIONS),
        ColumnSpec("total", Label("总计", "Total")),
    ),
    request_rows=(
        RowSpec("requests.received", Label("一、收到申请", "1. Received")),
        RowSpec("requests.answered", Label("二、已答复", "2. Answered")),
    ),
    appeal_columns=(
        ColumnSpec("upheld", Label("结果维持", "Upheld")),
        ColumnSpec("total", Label("总计", "Total")),
    ),
    appeal_rows=(RowSpec("appeals.review", Label("行政复议", "Administrative review")),),
)


@pytest.fixture
def toy() -> Iterator[TemplateSpec]:
    spec = register_template(
        TemplateSpec(tag="2030", report_class=ToyReport, labels=TOY_LABELS, first_year=2030)
    )
    try:
        yield spec
    finally:
        unregister_template("2030")


def _report() -> Any:
    return ToyReport(
        meta=Meta(issuer="玩具局", year=2030),
        proactive=ToyProactive(regulations=ToyPublications(issued=3, budget=Decimal("12.50"))),
        requests=ToyRequests(
            received=ToyApplicants(natural_person=4, company=1, total=5),
            answered=ToyApplicants(natural_person=4, company=1, total=5),
        ),
        appeals=ToyAppeals(review=ToyAppealRow(upheld=1, total=1)),
        as_written=(WrittenValue(key="proactive.regulations.budget", text="12.50元", unit="元"),),
    )


def test_the_spec_gives_cells_kinds_units_and_labels(toy: TemplateSpec) -> None:
    assert list(cell_kinds("2030")) == [
        "proactive.regulations.issued",
        "proactive.regulations.budget",
        "requests.received.natural_person",
        "requests.received.company",
        "requests.received.total",
        "requests.answered.natural_person",
        "requests.answered.company",
        "requests.answered.total",
        "appeals.review.upheld",
        "appeals.review.total",
    ]
    assert toy.cell_units() == {"proactive.regulations.budget": "元"}
    assert cell_labels("2030")["requests.received.company"].column.group == _ORGANIZATIONS
    assert template_spec("2030").article20_items() == (1,)
    assert cells(_report())["proactive.regulations.budget"] == Decimal("12.50")


def test_the_model_checks_its_fields(toy: TemplateSpec) -> None:
    with pytest.raises(FieldValueError, match=r"ToyApplicants\.total: a count cannot be negative"):
        ToyApplicants(total=-1)
    with pytest.raises(FieldValueError, match="not a cell key of template 2030"):
        ToyReport(as_written=(WrittenValue(key="requests.received.total.x", text="1"),))
    del toy


def test_json_round_trip_both_forms(toy: TemplateSpec) -> None:
    report = _report()
    for pretty in (True, False):
        text = to_json(report, pretty=pretty)
        assert from_json(text) == report
        assert from_json(text.encode("utf-8")) == report
    assert to_dict(report)["template"] == "2030"
    assert to_dict(report)["proactive"]["regulations"]["budget"] == "12.50"
    del toy


def test_json_is_strict_for_the_toy_too(toy: TemplateSpec) -> None:
    data = to_dict(_report())
    data["requests"]["received"]["total"] = "5"
    data["appeals"]["review"]["pending"] = 0
    with pytest.raises(ReportFormatError) as refused:
        from_json(json.dumps(data))
    assert [str(problem) for problem in refused.value.problems] == [
        'requests.received.total: expected a non-negative integer or null, got string "5"',
        "appeals.review.pending: unknown key",
    ]
    del toy


def test_schema_covers_the_toy(toy: TemplateSpec) -> None:
    schema = json_schema()
    assert schema["properties"]["template"]["enum"] == ["2019", "2021", "2030"]
    validator = jsonschema.Draft202012Validator(schema)
    data = to_dict(_report())
    validator.validate(data)
    data["bogus"] = 1
    data["requests"]["received"]["total"] = "5"
    assert len(list(validator.iter_errors(data))) == 2
    del toy


def test_every_renderer_draws_the_toy(toy: TemplateSpec) -> None:
    report = _report()
    html = render_html(report)
    markdown = render_markdown(report)
    text = render_text(report)
    for rendered in (html, markdown, text):
        assert "本年制发件数" in rendered
        assert "已答复" in rendered
        assert "12.50元" in rendered
    english = render_markdown(report, language="en")
    assert "Answered" in english
    del toy


def test_an_unregistered_tag_is_unknown_again() -> None:
    with pytest.raises(ValueError, match="unknown template '2030'"):
        template_spec("2030")
    with pytest.raises(ReportFormatError, match='expected "2019" or "2021"'):
        from_json('{"template": "2030"}')


@pytest.mark.parametrize("form", ["text", "markdown", "html"])
def test_the_parser_reads_the_toys_own_rendering(toy: TemplateSpec, form: str) -> None:
    from disclosure_schema.parse import parse_html, parse_text  # noqa: PLC0415 - after the toy

    report = _report()
    if form == "html":
        parsed = parse_html(render_html(report))
    else:
        parsed = parse_text(render_markdown(report) if form == "markdown" else render_text(report))
    assert parsed.report is not None
    assert parsed.report.template == "2030"  # told by the toy's own labels
    assert cells(parsed.report) == cells(report)
    assert parsed.report.as_written == report.as_written
    assert parsed.report.meta.year == 2030
    assert not [d for d in parsed.diagnostics if d.severity != "info"]
    del toy
