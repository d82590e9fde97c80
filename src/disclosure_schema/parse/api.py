"""The public entry points: parse_text, parse_html, parse_bytes, parse_file."""

from __future__ import annotations

import itertools
import operator
import os
import re
from collections.abc import Iterable, Sequence
from typing import Final, cast

import attrs

from disclosure_schema.errors import DisclosureSchemaError, InputLimitError, ParseError
from disclosure_schema.limits import DEFAULT_LIMITS, Limits, check_size
from disclosure_schema.model import Template
from disclosure_schema.parse import _xlsx
from disclosure_schema.parse.build import build_report
from disclosure_schema.parse.diagnostics import diagnostic
from disclosure_schema.parse.figures import read_figures
from disclosure_schema.parse.html import decode_bytes, read_html
from disclosure_schema.parse.meta import read_meta
from disclosure_schema.parse.normalize import fold
from disclosure_schema.parse.prose import read_prose
from disclosure_schema.parse.result import Diagnostic, ParseResult
from disclosure_schema.parse.tables import map_tables
from disclosure_schema.parse.template import cited_items, template_votes
from disclosure_schema.parse.text import tokenize_text
from disclosure_schema.parse.tokens import Token
from disclosure_schema.template import template_for_year, template_spec, template_tags

__all__ = ["parse_bytes", "parse_file", "parse_html", "parse_text"]

_HTML_SNIFF = re.compile(r"<\s*(?:!doctype\s+html|html|head|body|table|div|p|meta)[\s>/]", re.I)
_MAX_MARKER_TOKEN: Final = 120
_TEXT: Final = operator.attrgetter("text")
_CELL: Final = operator.attrgetter("cell")


def _mentions_report(lines: Sequence[str]) -> bool:
    head = "".join(lines[:40])
    return "政府信息公开" in head and ("年度报告" in head or "年报" in head) and "统计期限" in head


def _no_report(reason: str, diagnostics: Sequence[Diagnostic] = ()) -> ParseResult:
    return ParseResult(None, (*diagnostics, diagnostic("no_report", reason)))


def _template_of_year(year: int | None) -> Template:
    """The official template reports on ``year`` use: the newest when the year is not
    known, the oldest for a year before every template."""
    official = template_tags(official=True)
    if year is None:
        return cast("Template", official[-1])
    return cast("Template", template_for_year(year) or official[0])


def _choose_template(
    tokens: Sequence[Token], year: int | None, diagnostics: list[Diagnostic]
) -> Template:
    folded = list(
        map(
            fold,
            [
                text
                for text in itertools.filterfalse(str.isdigit, map(_TEXT, tokens))
                if len(text) <= _MAX_MARKER_TOKEN
            ],
        )
    )
    votes = template_votes(folded, cited_items(folded))
    most = max(votes.values())
    leading = [tag for tag, count in votes.items() if count == most]
    if most and len(leading) == 1:
        template = leading[0]
        voted = {tag: count for tag, count in votes.items() if count}
        if len(voted) > 1:
            counted = ", ".join(f"{tag}: {count}" for tag, count in voted.items())
            several = "both" if len(voted) == 2 else str(len(voted))
            diagnostics.append(
                diagnostic(
                    "template_mixed",
                    f"the tables carry labels of {several} templates ({counted});"
                    f" read as {template}",
                )
            )
        if (
            year is not None
            and _template_of_year(year) != template
            and not template_spec(template).covers(year)  # a registered template's years
        ):
            diagnostics.append(
                diagnostic(
                    "template_year_mismatch",
                    f"a report on {year} that uses the {template} grid; parsed as {template}",
                )
            )
        return template
    template = _template_of_year(year)
    diagnostics.append(
        diagnostic(
            "template_from_year",
            f"the tables do not tell the template; {template} assumed from the year ({year})",
        )
    )
    return template


def _parse_tokens(
    tokens: Sequence[Token],
    *,
    cut_last: bool,
    hints: Sequence[str] = (),
    diagnostics: Sequence[Diagnostic] = (),
    source_url: str | None = None,
) -> ParseResult:
    found: list[Diagnostic] = list(diagnostics)
    has_cells = any(map(_CELL, tokens))
    lines = (
        list(itertools.compress(map(_TEXT, tokens), map(operator.not_, map(_CELL, tokens))))
        if has_cells
        else list(map(_TEXT, tokens))
    )
    meta = read_meta(lines, hints)
    if source_url is not None:
        meta = attrs.evolve(meta, source_url=source_url)
    reading: list[Diagnostic] = []
    template = _choose_template(tokens, meta.year, reading)
    # figures the prose states ("全年共收到申请34件") choose between readings of a table
    figures = read_figures(tokens, template, year=meta.year)
    tables = map_tables(tokens, template, cut_last=cut_last, figures=figures)
    headings = tables.headings
    if (
        not tables.cells
        and not headings
        # a title found in the page's own lines, not only in the HTML <title> hints
        and not (meta.title is not None and read_meta(lines).title is not None)
        and not _mentions_report(lines)
    ):
        return _no_report("no report found: no report tables, section headings or title", found)
    found.extend(reading)
    found.extend(tables.diagnostics)
    if not tables.cells:
        found.append(diagnostic("no_tables", "no report table cells were found"))
    if meta.year is None:
        found.append(diagnostic("no_year", "the report year was not found"))
    prose = read_prose(tokens, headings, tables.table_tokens)
    report = build_report(
        template, tables.cells, tables.extra_rows, meta, prose, tables.unusual, tables.values
    )
    return ParseResult(report, tuple(found))


def _refused(error: InputLimitError) -> ParseResult:
    return ParseResult(
        None,
        (
            diagnostic("input_too_large", str(error)),
            diagnostic("no_report", f"not read: {error}"),
        ),
    )


def _guarded(run: object, *args: object, **kwargs: object) -> ParseResult:
    assert callable(run)
    try:
        result = run(*args, **kwargs)
    except InputLimitError as error:
        return _refused(error)
    except DisclosureSchemaError as error:
        return _no_report(f"the page could not be read: {error}")
    except Exception as error:  # noqa: BLE001 - a bug on an unseen page must not crash a batch
        return _no_report(f"internal parser error ({type(error).__name__}: {error})")
    assert isinstance(result, ParseResult)
    return result


def _capped(tokens: Iterable[Token], limits: Limits) -> list[Token]:
    capped = list(itertools.islice(tokens, limits.max_tokens + 1))
    if len(capped) > limits.max_tokens:
        raise InputLimitError(
            f"the page has more than {limits.max_tokens:,} lines or cells"
            " (raise Limits.max_tokens to accept it)"
        )
    return capped


def _parse_text(text: str, limits: Limits) -> ParseResult:
    check_size(len(text), limits.max_page_bytes, "the page text", "max_page_bytes")
    tokens = _capped(tokenize_text(text), limits)
    cut_last = bool(text) and not text[-1].isspace() and text[-1] != "|"
    return _parse_tokens(tokens, cut_last=cut_last)


def parse_text(text: str, *, limits: Limits = DEFAULT_LIMITS) -> ParseResult:
    """Parse page text (copied or extracted: one cell per line, ``|`` rows, Markdown or
    tabulate tables). Inputs over ``limits`` give an ``input_too_large`` result."""
    return _guarded(_parse_text, text, limits)


def _parse_html(html: str | bytes, limits: Limits) -> ParseResult:
    diagnostics: list[Diagnostic] = []
    check_size(len(html), limits.max_page_bytes, "the page", "max_page_bytes")
    if isinstance(html, bytes | bytearray):
        html, diagnostics = decode_bytes(bytes(html))
    page = read_html(html, limits)
    _capped(page.tokens, limits)
    diagnostics.extend(page.diagnostics)
    if not page.tokens:
        return _no_report("no report found: the page has no text", diagnostics)
    tail = html[html.rfind(">") + 1 :]
    return _parse_tokens(
        page.tokens,
        # text after the last tag that no tag closes may be a number cut in half
        cut_last=bool(tail.strip()) and "<" not in tail,
        hints=page.hints,
        diagnostics=diagnostics,
        source_url=page.url,
    )


def parse_html(html: str | bytes, *, limits: Limits = DEFAULT_LIMITS) -> ParseResult:
    """Parse the HTML of a page or fragment (bytes are decoded: BOM, charset, UTF-8, GBK).
    Inputs over ``limits`` give an ``input_too_large`` result."""
    return _guarded(_parse_html, html, limits)


def _looks_like_html(text: str) -> bool:
    return bool(_HTML_SNIFF.search(text[:4096]))


def parse_bytes(
    data: bytes, *, filename: str | None = None, limits: Limits = DEFAULT_LIMITS
) -> ParseResult:
    """Parse page bytes: PDF, Word (.docx; .doc/.wps through LibreOffice) or an Excel
    workbook by content or extension, else HTML or text by the file name's extension,
    else by content."""
    try:
        check_size(len(data), limits.max_page_bytes, "the page", "max_page_bytes")
    except InputLimitError as error:
        return _refused(error)
    extension = os.path.splitext(filename or "")[1].lower()
    if extension in (".xlsx", ".xlsm") or _xlsx.looks_like_xlsx(data):
        return _xlsx.parse_xlsx(data, limits=limits)
    # PDF and Word files, by their bytes first (a renamed file still works)
    from disclosure_schema.parse._office import parse_office  # noqa: PLC0415 - import cycle

    office = parse_office(data, extension, limits)
    if office is not None:
        return office
    if extension in (".html", ".htm", ".shtml", ".xhtml"):
        return parse_html(data, limits=limits)
    text, diagnostics = decode_bytes(data)
    if extension not in (".txt", ".md", ".text") and _looks_like_html(text):
        return parse_html(data, limits=limits)
    result = parse_text(text, limits=limits)
    return ParseResult(result.report, (*diagnostics, *result.diagnostics))


def parse_file(path: str | os.PathLike[str], *, limits: Limits = DEFAULT_LIMITS) -> ParseResult:
    """Parse a .txt/.md/.html/.htm/.pdf/.docx/.doc/.wps/.xlsx file.

    The file is not read past ``limits.max_page_bytes``: a larger one is refused unread.
    A path that cannot be read raises ``OSError`` (``FileNotFoundError``,
    ``PermissionError``, ``IsADirectoryError``), as every Python reader does; a str that
    is page text rather than a path raises :class:`ParseError` (use :func:`parse_text` or
    :func:`parse_html`).
    """
    if isinstance(path, str) and ("\n" in path or "<" in path or len(path) > 4096):
        raise ParseError(
            f"parse_file takes a path, not page text ({len(path):,} characters);"
            " use parse_text or parse_html for text"
        )
    with open(path, "rb") as handle:
        data = handle.read(limits.max_page_bytes + 1)
    return parse_bytes(data, filename=os.fspath(path), limits=limits)
