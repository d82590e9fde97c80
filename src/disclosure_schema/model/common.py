"""Parts of a report that are the same in both templates."""

from __future__ import annotations

import datetime as _dt
from decimal import Decimal

import attrs

from disclosure_schema.model._values import (
    article20_item,
    count,
    date,
    extra_values,
    items,
    optional_text,
    part,
)
from disclosure_schema.model._values import (
    text as _text,
)
from disclosure_schema.model._values import year as _year

__all__ = [
    "AppealRow",
    "Appeals",
    "ApplicantRow",
    "ExtraRow",
    "Meta",
    "NotProcessed",
    "Prose",
    "ProsePart",
    "Unavailable",
    "Withheld",
    "WrittenValue",
]


@attrs.frozen(kw_only=True)
class Meta:
    """Who published the report, for which year, and where it came from.

    ``issuer`` and ``year`` are ``None`` when a parsed page does not state them. Every
    field is checked: texts are strings writable as UTF-8, ``year`` an int from 1900 to
    9999, ``published`` exactly a :class:`datetime.date` (not a datetime), ``source_url``
    where the page came from (a URL or a file name, as given).
    """

    issuer: str | None = optional_text()
    year: int | None = _year()
    title: str | None = optional_text()
    published: _dt.date | None = date()
    source_url: str | None = optional_text()
    contact: str | None = optional_text()
    region: str | None = optional_text()


@attrs.frozen(kw_only=True)
class ProsePart:
    """A named sub-part of a prose section, e.g. （一）主动公开."""

    heading: str = _text()
    paragraphs: tuple[str, ...] = items(str)


@attrs.frozen(kw_only=True)
class Prose:
    """A prose section (一, 五, 六): paragraphs, then optional named sub-parts."""

    paragraphs: tuple[str, ...] = items(str)
    parts: tuple[ProsePart, ...] = items(ProsePart)


@attrs.frozen(kw_only=True)
class ApplicantRow:
    """One row of table 三: the six applicant columns and their total."""

    natural_person: int | None = count()
    commercial_enterprise: int | None = count()
    research_institution: int | None = count()
    social_welfare_organization: int | None = count()
    legal_service_organization: int | None = count()
    other_organization: int | None = count()
    total: int | None = count()


@attrs.frozen(kw_only=True)
class Withheld:
    """（三）不予公开: the eight grounds for withholding."""

    state_secret: ApplicantRow = part(ApplicantRow)
    prohibited_by_law: ApplicantRow = part(ApplicantRow)
    security_stability: ApplicantRow = part(ApplicantRow)
    third_party_rights: ApplicantRow = part(ApplicantRow)
    internal_affairs: ApplicantRow = part(ApplicantRow)
    process_information: ApplicantRow = part(ApplicantRow)
    enforcement_case_files: ApplicantRow = part(ApplicantRow)
    administrative_inquiry: ApplicantRow = part(ApplicantRow)


@attrs.frozen(kw_only=True)
class Unavailable:
    """（四）无法提供: the three reasons information could not be provided."""

    not_held: ApplicantRow = part(ApplicantRow)
    needs_creation: ApplicantRow = part(ApplicantRow)
    still_unclear: ApplicantRow = part(ApplicantRow)


@attrs.frozen(kw_only=True)
class NotProcessed:
    """（五）不予处理: the five reasons an application was not processed."""

    petition_or_complaint: ApplicantRow = part(ApplicantRow)
    duplicate: ApplicantRow = part(ApplicantRow)
    publication: ApplicantRow = part(ApplicantRow)
    excessive: ApplicantRow = part(ApplicantRow)
    confirmation: ApplicantRow = part(ApplicantRow)


@attrs.frozen(kw_only=True)
class AppealRow:
    """One row of table 四: outcomes of review or litigation cases."""

    upheld: int | None = count()
    corrected: int | None = count()
    other: int | None = count()
    pending: int | None = count()
    total: int | None = count()


@attrs.frozen(kw_only=True)
class Appeals:
    """四、政府信息公开行政复议、行政诉讼情况."""

    review: AppealRow = part(AppealRow)
    litigation_direct: AppealRow = part(AppealRow)
    litigation_after_review: AppealRow = part(AppealRow)


@attrs.frozen(kw_only=True)
class ExtraRow:
    """A row a report added to a 第二十条 block beyond the template (e.g. 其他主动公开文件).

    ``item`` is the article 20 item number of the block (1, 5, 6, 8 or 9);
    ``values`` are the numbers read from its cells (``None`` where empty or unreadable)
    and ``as_written`` the cells' text exactly as the report wrote it. ``values`` is a
    tuple (a list is refused); an int is checked as a signed count, a Decimal as an amount.
    A report checks that ``item`` is an article 20 item of its template.
    """

    item: int = article20_item()
    label: str = _text()
    values: tuple[int | Decimal | None, ...] = extra_values()
    as_written: tuple[str, ...] = items(str)


@attrs.frozen(kw_only=True)
class WrittenValue:
    """What a report wrote in a cell, where it differs from the normalized value.

    ``key`` is the cell key; ``text`` the cell as written (e.g. ``"160.5964万元"``,
    ``"+6"``, ``"/"``); ``unit`` the unit the report stated, if any.
    """

    key: str = _text()
    text: str = _text()
    unit: str | None = optional_text()
