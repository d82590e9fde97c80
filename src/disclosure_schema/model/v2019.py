"""Tables whose shape is particular to the 2019 template (reports on 2019 and 2020)."""

from __future__ import annotations

from decimal import Decimal
from typing import ClassVar, Literal

import attrs

from disclosure_schema.model._values import amount, count, items, part, signed, written_values
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
    "FeeItemRow2019",
    "ItemRow2019",
    "Outcomes2019",
    "Proactive2019",
    "ProcurementRow2019",
    "PublicationRow2019",
    "Report2019",
    "Requests2019",
]


@attrs.frozen(kw_only=True)
class PublicationRow2019:
    """规章 / 规范性文件 × 本年新制作数量 / 本年新公开数量 / 对外公开总数量."""

    produced: int | None = count()
    published: int | None = count()
    total_published: int | None = count()


@attrs.frozen(kw_only=True)
class ItemRow2019:
    """An item row × 上一年项目数量 / 本年增/减 (signed) / 处理决定数量."""

    previous_items: int | None = count()
    change: int | None = signed()
    decisions: int | None = count()


@attrs.frozen(kw_only=True)
class FeeItemRow2019:
    """行政事业性收费 × 上一年项目数量 / 本年增/减."""

    previous_items: int | None = count()
    change: int | None = signed()


@attrs.frozen(kw_only=True)
class ProcurementRow2019:
    """政府集中采购 × 采购项目数量 / 采购总金额 (in the unit the report states)."""

    projects: int | None = count()
    amount: Decimal | None = amount()


@attrs.frozen(kw_only=True)
class Proactive2019:
    """二、主动公开政府信息情况, 2019 template."""

    regulations: PublicationRow2019 = part(PublicationRow2019)
    normative_documents: PublicationRow2019 = part(PublicationRow2019)
    licensing: ItemRow2019 = part(ItemRow2019)
    other_services: ItemRow2019 = part(ItemRow2019)
    penalties: ItemRow2019 = part(ItemRow2019)
    enforcement: ItemRow2019 = part(ItemRow2019)
    fees: FeeItemRow2019 = part(FeeItemRow2019)
    procurement: ProcurementRow2019 = part(ProcurementRow2019)
    extra_rows: tuple[ExtraRow, ...] = items(ExtraRow)


@attrs.frozen(kw_only=True)
class Outcomes2019:
    """三、本年度办理结果, 2019 template: （六）其他处理 is a single row."""

    disclosed: ApplicantRow = part(ApplicantRow)
    partially_disclosed: ApplicantRow = part(ApplicantRow)
    withheld: Withheld = part(Withheld)
    unavailable: Unavailable = part(Unavailable)
    not_processed: NotProcessed = part(NotProcessed)
    other: ApplicantRow = part(ApplicantRow)
    total: ApplicantRow = part(ApplicantRow)


@attrs.frozen(kw_only=True)
class Requests2019:
    """三、收到和处理政府信息公开申请情况, 2019 template."""

    received: ApplicantRow = part(ApplicantRow)
    carried_over: ApplicantRow = part(ApplicantRow)
    outcomes: Outcomes2019 = part(Outcomes2019)
    carried_forward: ApplicantRow = part(ApplicantRow)


@attrs.frozen(kw_only=True)
class Report2019:
    """A whole annual report on the 2019 template (国办公开办函〔2019〕60号)."""

    template: ClassVar[Literal["2019"]] = "2019"

    meta: Meta = part(Meta)
    overview: Prose = part(Prose)
    proactive: Proactive2019 = part(Proactive2019)
    requests: Requests2019 = part(Requests2019)
    appeals: Appeals = part(Appeals)
    problems: Prose = part(Prose)
    other_matters: Prose = part(Prose)
    as_written: tuple[WrittenValue, ...] = written_values()
