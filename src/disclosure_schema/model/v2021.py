"""Tables whose shape is particular to the 2021 template (reports on 2021 onward)."""

from __future__ import annotations

from decimal import Decimal
from typing import ClassVar, Literal

import attrs

from disclosure_schema.model._values import amount, count, items, part, written_values
from disclosure_schema.model.common import (
    Appeals,
    ApplicantRow,
    ExtraRow,
    Meta,
    NotProcessed,
    Prose,
    Unavailable,
    Withheld,
    WrittenValue,
)

__all__ = [
    "DecisionRow2021",
    "FeeAmountRow2021",
    "OtherProcessing2021",
    "Outcomes2021",
    "Proactive2021",
    "PublicationRow2021",
    "Report2021",
    "Requests2021",
]


@attrs.frozen(kw_only=True)
class PublicationRow2021:
    """规章 / 行政规范性文件 × 本年制发件数 / 本年废止件数 / 现行有效件数."""

    issued: int | None = count()
    repealed: int | None = count()
    in_force: int | None = count()


@attrs.frozen(kw_only=True)
class DecisionRow2021:
    """行政许可 / 行政处罚 / 行政强制 × 本年处理决定数量."""

    decisions: int | None = count()


@attrs.frozen(kw_only=True)
class FeeAmountRow2021:
    """行政事业性收费 × 本年收费金额（单位：万元）."""

    amount: Decimal | None = amount(unit="万元")


@attrs.frozen(kw_only=True)
class Proactive2021:
    """二、主动公开政府信息情况, 2021 template."""

    regulations: PublicationRow2021 = part(PublicationRow2021)
    normative_documents: PublicationRow2021 = part(PublicationRow2021)
    licensing: DecisionRow2021 = part(DecisionRow2021)
    penalties: DecisionRow2021 = part(DecisionRow2021)
    enforcement: DecisionRow2021 = part(DecisionRow2021)
    fees: FeeAmountRow2021 = part(FeeAmountRow2021)
    extra_rows: tuple[ExtraRow, ...] = items(ExtraRow)


@attrs.frozen(kw_only=True)
class OtherProcessing2021:
    """（六）其他处理, 2021 template: three sub-rows."""

    no_correction: ApplicantRow = part(ApplicantRow)
    fee_unpaid: ApplicantRow = part(ApplicantRow)
    other: ApplicantRow = part(ApplicantRow)


@attrs.frozen(kw_only=True)
class Outcomes2021:
    """三、本年度办理结果, 2021 template."""

    disclosed: ApplicantRow = part(ApplicantRow)
    partially_disclosed: ApplicantRow = part(ApplicantRow)
    withheld: Withheld = part(Withheld)
    unavailable: Unavailable = part(Unavailable)
    not_processed: NotProcessed = part(NotProcessed)
    other: OtherProcessing2021 = part(OtherProcessing2021)
    total: ApplicantRow = part(ApplicantRow)


@attrs.frozen(kw_only=True)
class Requests2021:
    """三、收到和处理政府信息公开申请情况, 2021 template."""

    received: ApplicantRow = part(ApplicantRow)
    carried_over: ApplicantRow = part(ApplicantRow)
    outcomes: Outcomes2021 = part(Outcomes2021)
    carried_forward: ApplicantRow = part(ApplicantRow)


@attrs.frozen(kw_only=True)
class Report2021:
    """A whole annual report on the 2021 template (国办公开办函〔2021〕30号)."""

    template: ClassVar[Literal["2021"]] = "2021"

    meta: Meta = part(Meta)
    overview: Prose = part(Prose)
    proactive: Proactive2021 = part(Proactive2021)
    requests: Requests2021 = part(Requests2021)
    appeals: Appeals = part(Appeals)
    problems: Prose = part(Prose)
    other_matters: Prose = part(Prose)
    as_written: tuple[WrittenValue, ...] = written_values()
