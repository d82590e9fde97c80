"""Summing reports cell by cell, e.g. all offices of a county into one county report.

:func:`summarize` returns a :class:`Summary`: the summed report (same template as the
inputs) and a record of what was summed and how.

Empty cells (the policy, also in :data:`EMPTY_POLICY`): a cell of the sum is empty
(``None``) only when it is empty in every input; otherwise it is the sum of the inputs'
non-empty values. An empty cell is never read as 0 and never makes the sum empty, and
every cell where some but not all inputs were empty is listed in
``Summary.partial_cells``, so a reader knows which sums rest on fewer reports.

What the summed report holds besides the sums: ``meta.issuer`` is the ``issuer`` given
(else empty), ``meta.year`` and ``meta.region`` are the inputs' common value (empty when
they differ); ``overview`` states, in Chinese, which reports were summed and the empty-cell
rule, so the record travels with the report's JSON. Rows a report added beyond the
template (``extra_rows``) are not summed (their labels are each report's own); the inputs
that had some are named in ``Summary.extra_rows_left_out`` and in the overview. Amounts
are summed only when the inputs state the same unit (e.g. all 万元); otherwise
:class:`~disclosure_schema.errors.AggregationError` names the cell and the units.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal, Inexact, localcontext
from typing import Any, Final

import attrs

from disclosure_schema.codec import from_dict
from disclosure_schema.errors import AggregationError, TemplateMismatchError
from disclosure_schema.model import CellValue, Report, cell_kinds, cells
from disclosure_schema.template import template_spec

__all__ = ["EMPTY_POLICY", "Summary", "summarize"]

#: How :func:`summarize` treats empty cells.
EMPTY_POLICY: Final = (
    "a cell is empty only when it is empty in every input; otherwise it is the sum of the"
    " non-empty values (an empty cell is not read as 0)"
)
_EMPTY_POLICY_ZH: Final = (
    "空格规则：某格在所有报告中均为空时，合计仍为空；否则为各报告非空值之和（空格不按 0 计）。"
)


@attrs.frozen(kw_only=True)
class Summary:
    """The result of :func:`summarize`.

    ``report``: the summed report. ``inputs``: a name for each input, in order.
    ``partial_cells``: cell keys where some but not all inputs were empty (the sum is
    over the others). ``extra_rows_left_out``: the inputs whose rows beyond the template
    are not in the sum.
    """

    report: Report
    inputs: tuple[str, ...]
    partial_cells: tuple[str, ...]
    extra_rows_left_out: tuple[str, ...] = ()


def _default_name(index: int, report: Report) -> str:
    issuer = report.meta.issuer or f"报告 {index + 1}"
    return f"{issuer} {report.meta.year}" if report.meta.year is not None else issuer


def _common(values: Iterable[Any]) -> Any:
    distinct = set(values)
    return distinct.pop() if len(distinct) == 1 else None


def _digits(value: int | Decimal) -> str:
    return format(value, "f") if isinstance(value, Decimal) else str(value)


def _exact_sum(values: list[int | Decimal]) -> int | Decimal:
    if all(type(value) is int for value in values):
        return sum(values)
    with localcontext() as context:
        # enough digits for any real amount; Inexact makes rounding an error, not a result
        context.prec = 200
        context.traps[Inexact] = True
        return sum((Decimal(value) for value in values), Decimal(0))


def _unit(report: Report, key: str) -> str | None:
    for written in report.as_written:
        if written.key == key and written.unit:
            return written.unit
    # the unit the template fixes in a header: a cell without a stated unit is in it
    return template_spec(report.template).cell_units().get(key)


def _set(tree: dict[str, Any], key: str, value: Any) -> None:
    *parents, leaf = key.split(".")
    for part in parents:
        tree = tree.setdefault(part, {})
    tree[leaf] = value


def summarize(
    reports: Iterable[Report], *, issuer: str | None = None, names: Sequence[str] | None = None
) -> Summary:
    """Sum reports of one template cell by cell (see the module docs for empty cells).

    ``issuer`` names the body the sum stands for (e.g. the county); ``names`` names the
    inputs in the record (default: each input's issuer and year). Raises
    :class:`~disclosure_schema.errors.TemplateMismatchError` when the templates differ and
    :class:`~disclosure_schema.errors.AggregationError` when there is nothing to sum.

    >>> from disclosure_schema import ApplicantRow, Report2021, Requests2021
    >>> def office(count):
    ...     return Report2021(requests=Requests2021(received=ApplicantRow(total=count)))
    >>> summary = summarize([office(3), office(4), office(None)], issuer="示例县")
    >>> summary.report.requests.received.total
    7
    >>> "requests.received.total" in summary.partial_cells
    True
    >>> summary.report.requests.received.natural_person is None
    True
    """
    inputs = list(reports)
    if not inputs:
        raise AggregationError("nothing to summarize: no reports were given")
    labels = list(names) if names is not None else []
    if names is not None and len(labels) != len(inputs):
        raise AggregationError(f"{len(inputs)} reports but {len(labels)} names were given")
    labels = labels or [_default_name(index, report) for index, report in enumerate(inputs)]
    by_template: dict[str, list[str]] = {}
    for label, report in zip(labels, inputs, strict=True):
        by_template.setdefault(report.template, []).append(label)
    if len(by_template) > 1:
        raise TemplateMismatchError(by_template)
    template = inputs[0].template

    values = [cells(report) for report in inputs]
    tree: dict[str, Any] = {"template": template}
    partial: list[str] = []
    written: list[dict[str, str]] = []
    for key, kind in cell_kinds(template).items():
        present = [(index, row[key]) for index, row in enumerate(values) if row[key] is not None]
        total: CellValue = None
        if present:
            total = _exact_sum([value for _, value in present if value is not None])
            if len(present) < len(inputs):
                partial.append(key)
        if kind == "amount" and present:
            unit = _amount_unit(key, [(labels[i], inputs[i]) for i, _ in present])
            if unit is not None and total is not None:
                written.append({"key": key, "text": f"{_digits(total)}{unit}", "unit": unit})
        _set(tree, key, _digits(total) if isinstance(total, Decimal) else total)

    left_out = tuple(
        label for label, report in zip(labels, inputs, strict=True) if report.proactive.extra_rows
    )
    tree["meta"] = {
        "issuer": issuer,
        "year": _common(report.meta.year for report in inputs),
        "region": _common(report.meta.region for report in inputs),
    }
    tree["overview"] = {"paragraphs": _record(labels, partial, left_out)}
    tree["as_written"] = written
    return Summary(
        report=from_dict(tree),
        inputs=tuple(labels),
        partial_cells=tuple(partial),
        extra_rows_left_out=left_out,
    )


def _amount_unit(key: str, stated: list[tuple[str, Report]]) -> str | None:
    units = {label: _unit(report, key) for label, report in stated}
    if len(set(units.values())) > 1:
        listed = ", ".join(f"{label}: {unit or '(not stated)'}" for label, unit in units.items())
        raise AggregationError(f"{key}: cannot add amounts in different units ({listed})")
    return next(iter(units.values()))


def _record(labels: list[str], partial: list[str], left_out: tuple[str, ...]) -> list[str]:
    paragraphs = [
        f"本报告为以下 {len(labels)} 份报告逐格相加的合计：{'；'.join(labels)}。",
        _EMPTY_POLICY_ZH + f"有 {len(partial)} 格至少一份报告为空。",
    ]
    if left_out:
        paragraphs.append(f"以下报告在模板之外另加的行未计入合计：{'；'.join(left_out)}。")
    return paragraphs
