"""A year-over-year comparison as Markdown, plain text or a whole HTML page.

Findings come first, then the cells section by section (official labels; changed cells
marked), the cells that are not comparable, and the prose changes.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal
from html import escape
from typing import Final, Literal

from tabulate import tabulate
from wcwidth import wcswidth

from disclosure_schema._compare import (
    COMPARISON_LABELS,
    CellChange,
    Comparison,
    NotComparableCell,
    ProseDiff,
)
from disclosure_schema.labels import FINDINGS_TITLE, REPORT_YEAR, SECTION_TITLES, Label
from disclosure_schema.render.findings import render_findings
from disclosure_schema.render.html import page

__all__ = ["COMPARISON_CSS", "render_comparison"]

Language = Literal["zh", "en"]
Format = Literal["markdown", "text", "html"]

_L: Final = COMPARISON_LABELS
_MARK: Final = "●"

#: What only a comparison page has, added after the report page's style sheet
#: (:data:`~disclosure_schema.render.html.PAGE_CSS`), which gives it the same type,
#: ruled tables, right-aligned figures and print styles.
COMPARISON_CSS: Final = """\
.disclosure-comparison p { text-indent: 0; }
.disclosure-comparison ul { padding-left: 1.4em; }
table.disclosure-table.comparison td.label { text-align: left; }
table.disclosure-table.comparison th { white-space: nowrap; }
table.disclosure-table.comparison tr.changed td { background: #fff3c4; font-weight: 700; }
.disclosure-comparison ins { background: #e3f7e3; text-decoration: none; }
.disclosure-comparison del { background: #fbe3e3; }
@media print {
  tr.changed td, .disclosure-comparison ins, .disclosure-comparison del {
    -webkit-print-color-adjust: exact; print-color-adjust: exact;
  }
}
"""


def _pick(label: Label, language: Language) -> str:
    return label.zh if language == "zh" else label.en


def _number(value: int | Decimal | None, empty: str, *, signed: bool = False) -> str:
    if value is None:
        return empty
    text = format(value, "f") if isinstance(value, Decimal) else str(value)
    return f"+{text}" if signed and value > 0 else text


def _percent(value: float | None, empty: str) -> str:
    return empty if value is None else f"{value * 100:+.1f}%"


def _title(comparison: Comparison, language: Language) -> str:
    issuer = comparison.after.issuer or comparison.before.issuer or ""

    def year(value: int | None) -> str:
        return _pick(REPORT_YEAR, language).format(year="?" if value is None else value)

    title = _pick(_L["title"], language)
    if not issuer and language == "en":
        title = title.removeprefix("{issuer}: ")
    return title.format(
        issuer=issuer, before=year(comparison.before.year), after=year(comparison.after.year)
    )


def _sections(comparison: Comparison) -> list[tuple[str, list[CellChange]]]:
    grouped: dict[str, list[CellChange]] = {}
    for change in comparison.cells:
        grouped.setdefault(change.section, []).append(change)
    return [(section, grouped[section]) for section in SECTION_TITLES if section in grouped]


def _rows(
    changes: Sequence[CellChange], language: Language, empty: str, changed_only: bool
) -> list[tuple[bool, list[str]]]:
    rows = []
    for change in changes:
        if changed_only and not change.changed:
            continue
        label = change.label_zh if language == "zh" else change.label_en
        note = change.note_zh if language == "zh" else change.note_en
        if note:
            label = _pick(_L["with_note"], language).format(label=label, note=note)
        rows.append(
            (
                change.changed,
                [
                    label,
                    _number(change.before, empty),
                    _number(change.after, empty),
                    _number(change.delta, empty, signed=True),
                    _percent(change.relative, empty),
                ],
            )
        )
    return rows


def _header(comparison: Comparison, language: Language) -> list[str]:
    def year(value: int | None) -> str:
        return _pick(REPORT_YEAR, language).format(year="?" if value is None else value)

    return [
        _pick(_L["cell"], language),
        year(comparison.before.year),
        year(comparison.after.year),
        _pick(_L["delta"], language),
        _pick(_L["relative"], language),
    ]


def _missing_line(item: NotComparableCell, language: Language, empty: str) -> str:
    template = _pick(_L["template_of"], language).format(template=item.template)
    label = item.label_zh if language == "zh" else item.label_en
    reason = item.reason_zh if language == "zh" else item.reason_en
    value = _number(item.value, empty)
    return _pick(_L["missing_line"], language).format(
        template=template, label=label, value=value, reason=reason
    )


def _prose_lines(diff: ProseDiff, language: Language) -> list[tuple[str, str]]:
    """(kind, text) lines of one prose section; kind is added/removed/changed/same."""
    if not diff.changes:
        if not diff.unchanged:
            return [("same", _pick(_L["no_text"], language))]
        return [("same", _pick(_L["unchanged"], language).format(count=diff.unchanged))]
    lines = []
    for change in diff.changes:
        if change.kind == "added":
            kind = _pick(_L["added"], language)
            lines.append(
                ("added", _pick(_L["sentence"], language).format(kind=kind, text=change.after))
            )
        elif change.kind == "removed":
            kind = _pick(_L["removed"], language)
            text = _pick(_L["sentence"], language).format(kind=kind, text=change.before)
            lines.append(("removed", text))
        else:
            text = _pick(_L["changed_sentence"], language).format(
                kind=_pick(_L["changed"], language), before=change.before, after=change.after
            )
            if change.figures:
                figures = _pick(_L["figure_separator"], language).join(
                    f"{figure.before or '—'}→{figure.after or '—'}" for figure in change.figures
                )
                text = _pick(_L["with_figures"], language).format(
                    text=text, word=_pick(_L["figures"], language), figures=figures
                )
            lines.append(("changed", text))
    return lines


# --- Markdown and text ------------------------------------------------------------------


def _md_inline(text: str) -> str:
    return " ".join(text.replace("\\", "\\\\").replace("<", "\\<").split())


def _md_cell(text: str) -> str:
    return " ".join(text.replace("\\", "\\\\").replace("|", "\\|").split())


_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#|])")


def _md_text(text: str) -> str:
    return " ".join(_MD_SPECIAL.sub(r"\\\1", text).split())


def _plain(
    comparison: Comparison,
    language: Language,
    empty: str,
    changed_only: bool,
    markdown: bool,
) -> str:
    def heading(text: str, level: int) -> str:
        if markdown:
            return f"{'#' * level} {_md_inline(text)}"
        mark = "=" if level == 1 else "-" if level == 2 else "~"
        width = wcswidth(text)
        return f"{text}\n{mark * max(width if width > 0 else len(text), 1)}"

    def item(text: str) -> str:
        return f"- {_md_text(text) if markdown else text}"

    parts = [heading(_title(comparison, language), 1)]
    parts.append(
        _pick(_L["templates"], language).format(
            before=comparison.before.template, after=comparison.after.template
        )
    )
    parts.append(heading(_pick(FINDINGS_TITLE, language), 2))
    if comparison.findings:
        parts.append(
            render_findings(
                comparison.findings, format="markdown" if markdown else "text", language=language
            ).rstrip()
        )
    else:
        parts.append(_pick(_L["no_findings"], language))
    parts.append(heading(_pick(_L["cells"], language), 2))
    parts.append(_pick(_L["changed_note"], language))
    header = _header(comparison, language)
    for section, changes in _sections(comparison):
        parts.append(heading(_pick(SECTION_TITLES[section], language), 3))
        rows = _rows(changes, language, empty, changed_only)
        if not rows:
            parts.append(_pick(_L["no_change"], language))
            continue
        table_rows = []
        for changed, texts in rows:
            cells = [_md_cell(text) for text in texts] if markdown else list(texts)
            if changed:
                values = (f"**{cell}**" if markdown else cell for cell in cells[1:])
                cells = [f"{_MARK} {cells[0]}", *values]
            table_rows.append(cells)
        shown = [_md_cell(text) for text in header] if markdown else header
        parts.append(
            tabulate(
                table_rows,
                shown,
                tablefmt="pipe" if markdown else "grid",
                disable_numparse=True,
                colalign=("left", "right", "right", "right", "right"),
            )
        )
    if comparison.not_comparable:
        parts.append(heading(_pick(_L["not_comparable"], language), 2))
        parts.append(
            "\n".join(
                item(_missing_line(missing, language, empty))
                for missing in comparison.not_comparable
            )
        )
    parts.append(heading(_pick(_L["prose"], language), 2))
    for diff in comparison.prose:
        parts.append(heading(diff.title_zh if language == "zh" else diff.title_en, 3))
        parts.append("\n".join(item(text) for _, text in _prose_lines(diff, language)))
    return "\n\n".join(parts) + "\n"


# --- HTML -------------------------------------------------------------------------------


def _html(comparison: Comparison, language: Language, empty: str, changed_only: bool) -> str:
    title = _title(comparison, language)
    lines = [
        f'<article class="disclosure-report disclosure-comparison" lang="{language}">',
        f"<h1>{escape(title)}</h1>",
        "<p>"
        + escape(
            _pick(_L["templates"], language).format(
                before=comparison.before.template, after=comparison.after.template
            )
        )
        + "</p>",
        '<section data-section="findings">',
        f"<h2>{escape(_pick(FINDINGS_TITLE, language))}</h2>",
    ]
    if comparison.findings:
        lines.append(
            render_findings(comparison.findings, format="html", language=language).rstrip()
        )
    else:
        lines.append(f"<p>{escape(_pick(_L['no_findings'], language))}</p>")
    lines += [
        "</section>",
        '<section data-section="cells">',
        f"<h2>{escape(_pick(_L['cells'], language))}</h2>",
        f"<p>{escape(_pick(_L['changed_note'], language))}</p>",
    ]
    header = "".join(
        f'<th class="header">{escape(text)}</th>' for text in _header(comparison, language)
    )
    for section, changes in _sections(comparison):
        lines.append(f"<h3>{escape(_pick(SECTION_TITLES[section], language))}</h3>")
        rows = _rows(changes, language, empty, changed_only)
        if not rows:
            lines.append(f"<p>{escape(_pick(_L['no_change'], language))}</p>")
            continue
        lines.append(
            f'<table class="disclosure-table comparison" data-section="{escape(section)}">'
        )
        lines.append(f"<thead><tr>{header}</tr></thead>")
        lines.append("<tbody>")
        keys = [c.key for c in changes if c.changed or not changed_only]
        for key, (changed, cells) in zip(keys, rows, strict=True):
            label = f"{_MARK} {cells[0]}" if changed else cells[0]
            numbers = "".join(f'<td class="data number">{escape(text)}</td>' for text in cells[1:])
            css = ' class="changed"' if changed else ""
            lines.append(
                f'<tr{css} data-key="{escape(key)}">'
                f'<td class="label">{escape(label)}</td>{numbers}</tr>'
            )
        lines.append("</tbody>")
        lines.append("</table>")
    lines.append("</section>")
    if comparison.not_comparable:
        lines.append('<section data-section="not-comparable">')
        lines.append(f"<h2>{escape(_pick(_L['not_comparable'], language))}</h2>")
        lines.append("<ul>")
        lines.extend(
            f'<li data-key="{escape(missing.key)}">'
            f"{escape(_missing_line(missing, language, empty))}</li>"
            for missing in comparison.not_comparable
        )
        lines.append("</ul>")
        lines.append("</section>")
    lines.append('<section data-section="prose">')
    lines.append(f"<h2>{escape(_pick(_L['prose'], language))}</h2>")
    for diff in comparison.prose:
        lines.append(f"<h3>{escape(diff.title_zh if language == 'zh' else diff.title_en)}</h3>")
        lines.append("<ul>")
        for kind, text in _prose_lines(diff, language):
            tag = {"added": "ins", "removed": "del"}.get(kind)
            inner = f"<{tag}>{escape(text)}</{tag}>" if tag else escape(text)
            lines.append(f'<li class="{kind}">{inner}</li>')
        lines.append("</ul>")
    lines.append("</section>")
    lines.append("</article>")
    return page(title, language, "\n".join(lines) + "\n", extra_css=COMPARISON_CSS)


def render_comparison(
    comparison: Comparison,
    format: Format = "markdown",
    *,
    language: Language = "zh",
    changed_only: bool = False,
    empty: str = "—",
) -> str:
    """A comparison (:func:`~disclosure_schema.compare`) as a document.

    Args:
        comparison: What to render.
        format: ``"markdown"``, ``"text"`` (grid tables) or ``"html"`` (a whole UTF-8 page with
            the report page's style sheet and :data:`COMPARISON_CSS`).
        language: Official Chinese labels (``"zh"``) or their English renderings (``"en"``).
        changed_only: List only the cells that changed (default: every compared cell,
            changed ones marked ● and, in HTML, highlighted).
        empty: What an empty cell shows.

    Returns:
        The document: findings first, then cells by section, cells not comparable, prose.
    """
    if language not in ("zh", "en"):
        raise ValueError(f"unknown language {language!r}: expected 'zh' or 'en'")
    if format == "markdown":
        return _plain(comparison, language, empty, changed_only, markdown=True)
    if format == "text":
        return _plain(comparison, language, empty, changed_only, markdown=False)
    if format == "html":
        return _html(comparison, language, empty, changed_only)
    raise ValueError(f"unknown format {format!r}: expected 'markdown', 'text' or 'html'")
