"""What a check reports: a :class:`Finding` per rule application that did not pass."""

from __future__ import annotations

from decimal import Decimal
from typing import Literal, TypeAlias

import attrs

__all__ = ["Finding", "Severity"]

#: ``error``: a rule of the template is broken; ``warning``: a heuristic is off (real
#: reports often are); ``not_assessable``: a cell the rule needs is empty.
Severity: TypeAlias = Literal["error", "warning", "not_assessable"]


@attrs.frozen(kw_only=True)
class Finding:
    """One rule that a report (or a pair of reports) does not satisfy, or cannot be checked on.

    ``cells`` are full cell keys; ``expected`` is what the rule computes from the other
    cells, ``actual`` what the report states, ``difference`` is ``actual - expected``
    (``None`` when not assessable). ``subject`` names the report(s) concerned, e.g.
    ``"城关镇人民政府 2020"`` or ``"城关镇人民政府 2019→2020"`` for cross-year rules.
    Compliance rules (family C) name parts that are not cells by their section key
    (``problems``, ``other_matters``, ``overview``) or meta field (``meta.published``) and
    put a short ``quote`` of the text they judged.
    """

    rule: str
    severity: Severity
    cells: tuple[str, ...]
    expected: int | Decimal | None
    actual: int | Decimal | None
    difference: int | Decimal | None
    message_zh: str
    message_en: str
    subject: str | None = None
    quote: str | None = None
