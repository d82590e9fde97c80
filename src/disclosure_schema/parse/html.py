"""HTML page → tokens: decode bytes, drop boilerplate, find the content container,
resolve each ``<table>`` into a grid (spans expanded, with size guards), flatten the rest
to text lines that go through the text path."""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator
from html import escape
from typing import Final, NamedTuple, cast

import attrs
import lxml.etree

from disclosure_schema.errors import InputLimitError
from disclosure_schema.limits import DEFAULT_LIMITS, Limits
from disclosure_schema.parse.diagnostics import diagnostic
from disclosure_schema.parse.result import Diagnostic
from disclosure_schema.parse.sections import section_of_heading
from disclosure_schema.parse.text import tokenize_text
from disclosure_schema.parse.tokens import Token

__all__ = ["HtmlPage", "decode_bytes", "read_html"]

_CHARSET = re.compile(rb"""charset\s*=\s*["']?\s*([A-Za-z0-9_\-]{2,40})""", re.IGNORECASE)
_SNIFF_BYTES: Final = 4096
_GB_NAMES: Final = frozenset({"gb2312", "gbk", "gb18030", "x-gbk", "cp936", "gb_2312-80"})
_DROP_TAGS: Final = (
    "script", "style", "noscript", "iframe", "select", "button", "object", "embed", "svg",
    "template",
)  # fmt: skip
_BOILERPLATE_WORDS: Final = (
    "share", "nav", "breadcrumb", "crumb", "footer", "wza", "toolbar", "menu", "bdshare",
    "sidebar", "friendlink", "position", "location",
)  # fmt: skip
_CONTAINERS: Final = (
    "TRS_Editor", "zoom", "ivs_content", "xxgk_content", "article-content", "article_content",
    "content", "Custom_UnionStyle", "view", "detail", "main-content", "article", "wenzhang",
)  # fmt: skip
_CONTAINER_NAMES: Final = frozenset(_CONTAINERS)
_BLOCK_TAGS: Final = frozenset(
    (
        "p", "div", "br", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "dl", "dt",
        "dd", "tr", "section", "article", "blockquote", "hr", "center", "title", "caption",
    )
)  # fmt: skip
_MAX_BOILERPLATE: Final = 300
# dropped unless they hold the report (a whole page inside <header> or <nav> happens)
_LAYOUT_BOILERPLATE: Final = ("nav", "header", "footer", "aside")
_HINT_LINES: Final = 200
# what a browser does not show as the cell's text: struck-out and hidden content, and
# footnote marks set as superscripts ("12<sup>1</sup>" reads 12, not 121)
_STRUCK: Final = frozenset(("del", "s", "strike"))
_MARK_TAGS: Final = frozenset(("sup", "sub"))
_MAX_MARK_CHARS: Final = 3
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
_PARSER: Final = lxml.etree.HTMLParser(
    no_network=True, remove_comments=True, remove_pis=True, recover=True, huge_tree=False
)
# every class and id value on the page, in document order, in one C-level pass (_named):
# the boilerplate and container candidates are the few elements whose values name them
_NAMED_VALUES: Final = lxml.etree.XPath("descendant-or-self::*/@class | descendant-or-self::*/@id")
# the same values as plain strings: no element proxy made per value (smart strings know
# their element, which costs one proxy each)
_NAMED_TEXTS: Final = lxml.etree.XPath(
    "descendant-or-self::*/@class | descendant-or-self::*/@id", smart_strings=False
)
_BOILERPLATE_NAME = re.compile("|".join(_BOILERPLATE_WORDS))
# the nodes ``root.iter()`` yields (elements, comments, processing instructions), counted in C
_NODE_COUNT: Final = lxml.etree.XPath(
    "count(descendant-or-self::node()) - count(descendant::text())"
)


class _Named(NamedTuple):
    """What the page's class and id values name: elements whose value holds a
    boilerplate word, and container names with their element, in document order."""

    boilerplate: list[lxml.etree._Element]
    containers: list[tuple[tuple[str, ...], lxml.etree._Element]]


def _named(root: lxml.etree._Element) -> _Named:
    """Every ``class`` and ``id`` value under ``root`` (itself included), read once per
    distinct value: a boilerplate word in it, the container names it gives as a class
    and as an id."""
    boilerplate: list[lxml.etree._Element] = []
    containers: list[tuple[tuple[str, ...], lxml.etree._Element]] = []
    # most values repeat and name nothing ("data", "label"): judge each distinct one once
    # and look at the elements only when some value names something
    seen: dict[str, tuple[bool, tuple[str, ...], tuple[str, ...]]] = {}
    for value in set(cast("list[str]", _NAMED_TEXTS(root))):
        as_class = tuple(w for w in dict.fromkeys(value.split()) if w in _CONTAINER_NAMES)
        as_id = (str(value),) if value in _CONTAINER_NAMES else ()
        boiler = _BOILERPLATE_NAME.search(value.lower()) is not None
        if boiler or as_class or as_id:
            seen[value] = (boiler, as_class, as_id)
    if not seen:
        return _Named(boilerplate, containers)
    values = cast("list[lxml.etree._ElementUnicodeResult]", _NAMED_VALUES(root))
    for value in values:
        known = seen.get(value)
        if known is None:
            continue
        owner = value.getparent()
        if owner is None:
            continue
        if known[0] and (not boilerplate or boilerplate[-1] is not owner):
            boilerplate.append(owner)
        names = known[2] if value.attrname == "id" else known[1]
        if names:
            containers.append((names, owner))
    return _Named(boilerplate, containers)


_new_tuple: Final = tuple.__new__
_CDATA = re.compile(r"<!\[CDATA\[(.*?)\]\]>", re.DOTALL)
_CJK_OR_SPACE = re.compile(r"[\u3000-\u9fff\uff00-\uffef]")


@attrs.frozen
class HtmlPage:
    """What the HTML reader found: tokens in reading order, title hints, diagnostics."""

    tokens: tuple[Token, ...]
    hints: tuple[str, ...]
    diagnostics: tuple[Diagnostic, ...]
    url: str | None = None


def _codec(name: str) -> str | None:
    lowered = name.lower()
    if lowered in _GB_NAMES:
        return "gb18030"
    try:
        return codecs.lookup(lowered).name
    except LookupError:
        return None


def decode_bytes(data: bytes) -> tuple[str, list[Diagnostic]]:
    """Decode page bytes: BOM, declared charset, then UTF-8, then GB18030; undecodable
    bytes are replaced and reported."""
    diagnostics: list[Diagnostic] = []
    for bom, bom_codec in (
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
    ):
        if data.startswith(bom):
            return data[len(bom) :].decode(bom_codec, errors="replace"), diagnostics
    tried: list[str] = []
    declared = _CHARSET.search(data[:_SNIFF_BYTES])
    if declared:
        declared_codec = _codec(declared.group(1).decode("ascii", "replace"))
        if declared_codec is not None:
            tried.append(declared_codec)
    for name in ("utf-8", "gb18030"):
        if name not in tried:
            tried.append(name)
    failures: list[tuple[str, UnicodeDecodeError]] = []
    for name in tried:
        try:
            text = data.decode(name)
        except UnicodeDecodeError as error:
            failures.append((name, error))
            continue
        except LookupError:
            continue
        if declared and name != tried[0]:
            diagnostics.append(
                diagnostic(
                    "encoding_fallback",
                    f"declared charset {declared.group(1).decode('ascii', 'replace')!r} does"
                    f" not decode the page; read as {name}",
                )
            )
        return text, diagnostics
    name, first_bad = _closest(data, failures)
    diagnostics.append(
        diagnostic(
            "undecodable_bytes",
            f"the page is not valid {name}: byte {first_bad.start}"
            f" ({data[first_bad.start : first_bad.start + 1]!r})"
            f" and any other undecodable bytes were replaced; the rest is read as {name}",
        )
    )
    return data.decode(name, errors="replace"), diagnostics


def _closest(
    data: bytes, failures: list[tuple[str, UnicodeDecodeError]]
) -> tuple[str, UnicodeDecodeError]:
    """The encoding that decodes the page with the fewest bad bytes (a GBK page with one
    bad byte is GBK with one replacement, not UTF-8 with thousands).

    The first tried (declared, else UTF-8) wins while its bad bytes are few: GB18030 reads
    almost any byte pairs, so it cannot win on count alone against UTF-8 text.
    """
    non_ascii = sum(1 for byte in data if byte >= 0x80) or 1
    few = max(4, non_ascii // 200)
    counted: list[tuple[int, int, str, UnicodeDecodeError]] = []
    for order, (name, error) in enumerate(failures):
        bad = data.decode(name, errors="replace").count("\ufffd")
        if bad <= few:
            return name, error
        counted.append((bad, order, name, error))
    _, _, name, error = min(counted, key=lambda item: (item[0], item[1]))
    return name, error


def _classes(element: lxml.etree._Element) -> list[str]:
    found = (element.get("class") or "").split()
    identifier = element.get("id")
    if identifier:
        found.append(identifier)
    return found


def _no_table_in(element: lxml.etree._Element) -> bool:
    """Whether no ``<table>`` is inside ``element`` (found in C, no XPath compiled)."""
    return next(element.iterdescendants("table"), None) is None


def _is_boilerplate(element: lxml.etree._Element) -> bool:
    tag = element.tag.lower()
    if tag in ("body", "html", "table", "tbody", "tr", "td", "th"):
        return False
    if tag in _LAYOUT_BOILERPLATE:
        return _no_table_in(element) and len(_text_of(element)) < _MAX_BOILERPLATE
    for name in _classes(element):
        lowered = name.lower()
        if any(word in lowered for word in _BOILERPLATE_WORDS) and "content" not in lowered:
            # a wrapper that happens to carry such a name (id="printArea") holds the report
            return _no_table_in(element) and len(_text_of(element)) < _MAX_BOILERPLATE
    return False


def _drop(element: lxml.etree._Element) -> None:
    """Remove an element and its content, keeping the text that follows it."""
    parent = element.getparent()
    if parent is None:
        return
    if element.tail:
        previous = element.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + element.tail
        else:
            parent.text = (parent.text or "") + element.tail
    parent.remove(element)


def _clean_tree(root: lxml.etree._Element, named: _Named) -> None:
    # the HTML parser lowercases tag names, so lxml selects these in C: no Python step
    # per element of the page, only per candidate
    doomed = list(root.iter(*_DROP_TAGS))
    for element in doomed:
        if element.getparent() is not None:
            _drop(element)
    # what _is_boilerplate can say yes to: a layout element, or one with a class or id
    # that holds a boilerplate word; dropping is order-free (each drop splices its tail
    # into the text before it), so the candidates need not be in document order
    candidates = [*root.iter(*_LAYOUT_BOILERPLATE), *named.boilerplate]
    doomed = [element for element in candidates if _is_boilerplate(element)]
    for element in doomed:
        if element.getparent() is not None:
            _drop(element)


def _plain(element: lxml.etree._Element) -> bool:
    """Whether every descendant is inline markup a browser shows as its text, with at
    most one ``<p>`` or ``<div>`` in the element (itself included): one walk for both."""
    blocks = 1 if element.tag in ("p", "div") else 0
    for child in element.iterdescendants():
        tag = child.tag
        if not isinstance(tag, str):
            return False
        if tag in ("p", "div"):
            blocks += 1
            if blocks > 1:
                return False
        elif tag in _BLOCK_TAGS or tag in _MARK_TAGS or tag in _STRUCK:
            return False
        style = child.get("style")
        if child.get("hidden") is not None or (style and _HIDDEN_STYLE.search(style)):
            return False
    return True


# what makes a cell's text other than its plain text (_plain), looked for in a whole
# table at once: a break, mark, struck-out or other block element, a comment, processing
# instruction or entity (found by lxml in C, each charged to its cell), a hidden attribute
# or a hiding style (found in the serialized table, where attribute values have tabs and
# newlines as character references; every hiding style has a colon followed by "none" or
# "hidden")
_UNPLAIN_TAGS: Final = (
    *sorted(_BLOCK_TAGS - {"p", "div", "tr"} | _MARK_TAGS | _STRUCK),
    lxml.etree.Comment,
    lxml.etree.ProcessingInstruction,
    lxml.etree.Entity,
)
_SPACE_OR_REF = r"(?:\s|&#(?:9|10|13);)*"
# a colon a hiding style's value follows (found from the colon: a literal, fast); the
# property's name is then read backwards from it (a case-insensitive search for the
# names themselves tries every position of the table's markup)
_HIDING_VALUE = re.compile(f":{_SPACE_OR_REF}(none|hidden)", re.IGNORECASE)
_HIDING_NAMES: Final = {
    len("none"): re.compile("display", re.IGNORECASE),
    len("hidden"): re.compile("visibility", re.IGNORECASE),
}
_SPACE_REFS: Final = ("&#9;", "&#10;", "&#13;")


def _hiding_style_in(markup: str) -> bool:
    """Whether serialized markup holds what _HIDDEN_STYLE matches in an attribute value
    (``display:none``, ``visibility: hidden`` in any case, with any white space)."""
    for match in _HIDING_VALUE.finditer(markup):
        end = match.start()
        while end:  # back over the white space between the name and the colon
            last = markup[end - 1]
            if last.isspace():
                end -= 1
            elif last == ";" and markup.endswith(_SPACE_REFS, 0, end):
                end = markup.rindex("&", 0, end)
            else:
                break
        if not end or markup[end - 1] not in "yY":
            continue  # both names end in y ("border:none" is the common colon)
        name = _HIDING_NAMES[len(match.group(1))]
        start = end - len(name.pattern)
        if start >= 0 and name.fullmatch(markup, start, end):
            return True
    return False


def _hides_in(table: lxml.etree._Element) -> bool:
    """Whether the table holds a hidden attribute or what may be a hiding style (never
    False where :func:`_plain` could find one in a cell)."""
    markup = lxml.etree.tostring(table, encoding="unicode", with_tail=False)
    return ' hidden="' in markup or _hiding_style_in(markup)


_ROW_GROUPS: Final = frozenset(("tbody", "thead", "tfoot"))
_BLOCKS_AND_UNPLAIN: Final = ("p", "div", *_UNPLAIN_TAGS)


def _plain_cells(
    table: lxml.etree._Element,
    rows: list[lxml.etree._Element],
    cells: list[lxml.etree._Element],
) -> set[lxml.etree._Element] | None:
    """Which of ``cells`` (of ``table``, each with child elements) are :func:`_plain`,
    found for the whole table at once; ``None`` when the table needs a look at each cell.

    With no row inside a cell and nothing hidden anywhere in the table, a cell is plain
    when it holds at most one ``<p>`` or ``<div>`` and none of :data:`_UNPLAIN_TAGS`:
    one C-level pass over the table's elements of those tags charges each to its cell.
    """
    for tr in rows:
        parent = tr.getparent()
        if parent is not table and (
            parent is None or parent.tag not in _ROW_GROUPS or parent.getparent() is not table
        ):
            return None  # a row inside a cell: a cell may hold another
    if _hides_in(table):
        return None
    blocks = dict.fromkeys(cells, 0)
    for element in table.iter(*_BLOCKS_AND_UNPLAIN):
        # the cell holding it: each element is in at most one cell (no row in a cell)
        holder = element.getparent()
        while holder is not None and holder is not table and holder not in blocks:
            holder = holder.getparent()
        if holder is not None and holder is not table:
            # a <p> or <div> counts one; anything else makes the cell not plain
            blocks[holder] += 1 if element.tag in ("p", "div") else 2
    return {cell for cell, count in blocks.items() if count <= 1}


def _cell_text(element: lxml.etree._Element) -> str:
    # str.split() without a separator splits at no-break spaces too
    if len(element) == 0:
        return " ".join((element.text or "").split())
    if _plain(element):
        # nested <p><span> with no breaks, hidden or struck parts: its text as it is
        return " ".join(_text_of(element).split())
    return _broken_text(element)


def _broken_text(element: lxml.etree._Element) -> str:
    """A cell's text as a browser shows it: line by line, hidden, struck-out parts and
    footnote marks left out, lines joined with a space between words of Latin text."""
    lines = [" ".join(line.split()) for line in "".join(_texts(element)).split("\n")]
    joined = ""
    for line in (line for line in lines if line):
        if joined and not (_CJK_OR_SPACE.match(joined[-1]) or _CJK_OR_SPACE.match(line[0])):
            joined += " "
        joined += line
    return joined


def _unseen(element: lxml.etree._Element, tag: str) -> bool:
    """Whether a browser leaves the element's content out of what it shows as text."""
    if tag in _STRUCK:
        return True
    if tag in _MARK_TAGS:
        return len(_text_of(element).strip()) <= _MAX_MARK_CHARS
    if element.get("hidden") is not None:
        return True
    style = element.get("style")
    return style is not None and _HIDDEN_STYLE.search(style) is not None


def _texts(element: lxml.etree._Element) -> Iterator[str]:
    """The text of an element with line breaks for block elements and <br>."""
    tag = element.tag.lower() if isinstance(element.tag, str) else ""
    if _unseen(element, tag):
        return
    if tag in _BLOCK_TAGS:
        yield "\n"
    if element.text and tag != "br":
        yield element.text.replace("\xa0", " ")
    for child in element:
        if isinstance(child.tag, str):
            yield from _texts(child)
        if child.tail:
            yield child.tail.replace("\xa0", " ")
    if tag in _BLOCK_TAGS:
        yield "\n"


@attrs.define
class _Flattener:
    tree: lxml.etree._ElementTree
    limits: Limits = DEFAULT_LIMITS
    tokens: list[Token] = attrs.field(factory=list)
    buffer: list[str] = attrs.field(factory=list)
    row: int = 0
    diagnostics: list[Diagnostic] = attrs.field(factory=list)
    # the element the buffered text starts in: its path is built only if the text is kept
    buffer_start: lxml.etree._Element | None = None

    def flush(self) -> None:
        text = "".join(self.buffer)
        self.buffer = []
        if text.strip():
            start = self.buffer_start
            path = "/" if start is None else str(self.tree.getpath(start))
            self.tokens.extend(tokenize_text(text, path=path))
        self.buffer_start = None

    def walk(self, element: lxml.etree._Element) -> None:
        tag = element.tag.lower() if isinstance(element.tag, str) else ""
        if _unseen(element, tag):
            return
        if tag == "table" and _no_table_in(element):
            self.flush()
            self.table(element)
            return
        if tag == "pre":
            self.flush()
            self.buffer_start = element
            self.buffer.append(_text_of(element).replace("\xa0", " "))
            self.flush()
            return
        if self.buffer_start is None:
            self.buffer_start = element
        if tag in _BLOCK_TAGS or tag in ("td", "th"):
            self.buffer.append("\n")
        if element.text and tag != "br":
            self.buffer.append(element.text.replace("\xa0", " "))
        for child in element:
            if isinstance(child.tag, str):
                self.walk(child)
            if child.tail:
                self.buffer.append(child.tail.replace("\xa0", " "))
        if tag in _BLOCK_TAGS or tag in ("td", "th"):
            self.buffer.append("\n")

    def table(self, table: lxml.etree._Element) -> None:
        # each cell at the row and column where it starts (a later span never covers a
        # cell's first position, so these are final); a cell's own row is filled left to
        # right, so only the columns rowspans of earlier rows hold need remembering
        max_span, max_cells = self.limits.max_span, self.limits.max_table_cells
        held: dict[int, set[int]] = {}
        cells = 0
        rows = list(table.iter("tr"))
        count = len(rows)
        tokens = self.tokens
        # cells with child elements get their text after the grid, all at once
        nested: list[tuple[int, lxml.etree._Element, int]] = []
        for r, tr in enumerate(rows):
            c = 0
            taken = held.pop(r, None)
            row = 0
            # the HTML parser lowercases tag names: lxml picks the cells in C
            for cell in tr.iterchildren("td", "th"):
                if taken:
                    while c in taken:
                        c += 1
                colspan_text, rowspan_text = cell.get("colspan"), cell.get("rowspan")
                colspan = 1 if colspan_text is None else _span(colspan_text, max_span)
                rowspan = (
                    1 if rowspan_text is None else min(_span(rowspan_text, max_span), count - r)
                )
                if cells + colspan * rowspan > max_cells:
                    self.diagnostics.append(
                        diagnostic(
                            "table_too_large",
                            f"table has more than {max_cells} cells"
                            f" (Limits.max_table_cells); its rows after row {r} are not read",
                            path=str(self.tree.getpath(table)),
                        )
                    )
                    break
                if rowspan > 1:
                    columns = range(c, c + colspan)
                    for later in range(r + 1, r + rowspan):
                        held.setdefault(later, set()).update(columns)
                if not row:
                    self.row += 1
                    row = self.row
                if len(cell):
                    nested.append((len(tokens), cell, row))
                    text = ""
                else:  # text alone, most cells: _cell_text's first case inline
                    text = cell.text or ""
                    if text:
                        text = " ".join(text.split())
                # the cell itself as its path (path_string builds the string if a diagnostic
                # needs it); Token's own __new__ is a Python function, the tuple's is not
                tokens.append(_new_tuple(Token, (text, None, cell, True, row)))
                cells += colspan * rowspan
                c += colspan
            else:
                continue
            break  # the table is over the cell limit
        if nested:
            plain = _plain_cells(table, rows, [cell for _, cell, _ in nested])
            for at, cell, row in nested:
                if plain is None:
                    text = _cell_text(cell)
                elif cell in plain:
                    text = " ".join(_text_of(cell).split())
                else:
                    text = _broken_text(cell)
                tokens[at] = _new_tuple(Token, (text, None, tokens[at].path, True, row))


def _text_of(element: lxml.etree._Element) -> str:
    # the same text as joining ``itertext()``, serialized in C without a Python step per node
    return str(lxml.etree.tostring(element, method="text", encoding="unicode", with_tail=False))


def _span(value: str | None, cap: int) -> int:
    try:
        number = int((value or "1").strip())
    except ValueError:
        return 1
    return max(1, min(number, cap))


def _headings(text: str, memo: dict[str, bool], *, first: bool = False) -> int:
    """How many of ``text``'s short lines open a section (``first``: stop at one);
    ``memo`` keeps each line's answer across the calls for one page."""
    found = 0
    for line in text.splitlines():
        if 0 < len(line.strip()) <= 60:
            heading = memo.get(line)
            if heading is None:
                heading = memo[line] = section_of_heading(line) is not None
            if heading:
                found += 1
                if first:
                    break
    return found


def _tables_in(element: lxml.etree._Element) -> int:
    return sum(1 for _ in element.iter("table"))


def _scores_as_high(
    element: lxml.etree._Element,
    whole_text: str,
    whole_tables: int,
    memo: dict[str, bool],
) -> bool:
    """Whether ``element`` scores at least as high as the whole page: section headings
    among its short lines, plus 3 per table.

    The lines the element shares with the page cancel out: with ``text`` at ``at`` in
    the page's text and cut after its first and last newline into head, middle and
    tail, the page's lines are those of (before + head), middle, (tail + after) and the
    element's those of head, middle, tail (a text ending in a newline splits from what
    follows it), so only the lines outside the element and its first and last line are
    read.
    """
    text = _text_of(element)
    tables = _tables_in(element)
    first, last = text.find("\n"), text.rfind("\n")
    at = whole_text.find(text) if first >= 0 else -1
    if at < 0:
        mine = _headings(text, memo) + 3 * tables
        return mine >= _headings(whole_text, memo) + 3 * whole_tables
    more_in_page = (
        _headings(whole_text[: at + first + 1], memo)
        + _headings(whole_text[at + last + 1 :], memo)
        - _headings(text[: first + 1], memo)
        - _headings(text[last + 1 :], memo)
    )
    return 3 * (tables - whole_tables) >= more_in_page


def _attached(element: lxml.etree._Element, root: lxml.etree._Element) -> bool:
    """Whether ``element`` is still in the tree under ``root`` (not dropped)."""
    top = element
    parent = element.getparent()
    while parent is not None:
        top, parent = parent, parent.getparent()
    return top is root


def _container(
    root: lxml.etree._Element,
    whole_text: str,
    named: _Named,
) -> lxml.etree._Element:
    body = root.find("body")
    whole = body if body is not None else root
    memo: dict[str, bool] = {}
    whole_tables = _tables_in(whole)
    if not whole_tables and not _headings(whole_text, memo, first=True):
        return whole  # nothing scores: the page as it is
    # the candidates by name (id, or a class word), from the values collected before
    # the boilerplate was dropped (those no longer in the tree are passed over)
    found: dict[str, list[lxml.etree._Element]] = {}
    for names, element in named.containers:
        for name in names:
            listed = found.setdefault(name, [])
            if not listed or listed[-1] is not element:
                listed.append(element)
    for name in _CONTAINERS:
        for element in found.get(name, ()):
            if not _attached(element, root):
                continue  # dropped as boilerplate, or inside what was
            if _scores_as_high(element, whole_text, whole_tables, memo):
                return element
    return whole


def read_html(html: str, limits: Limits = DEFAULT_LIMITS) -> HtmlPage:
    """Tokens of the report part of an HTML page.

    Raises :class:`InputLimitError` when the page has more elements than the limit.
    """
    diagnostics: list[Diagnostic] = []
    html = html.lstrip("\ufeff")
    if html.lstrip().startswith("<?xml"):
        html = html.split("?>", 1)[-1]
    if "<![CDATA[" in html:
        html = _CDATA.sub(lambda match: escape(match.group(1)), html)
    try:
        # the plain etree parser: no Python element class looked up per element
        root = lxml.etree.fromstring(html or "<html></html>", parser=_PARSER)
    except (lxml.etree.ParserError, lxml.etree.XMLSyntaxError, ValueError) as error:
        diagnostics.append(diagnostic("unreadable_html", f"cannot parse HTML: {error}"))
        return HtmlPage((), (), tuple(diagnostics))
    if root is None:
        return HtmlPage((), (), tuple(diagnostics))
    if int(cast("float", _NODE_COUNT(root))) > limits.max_html_elements:
        raise InputLimitError(
            f"the page has more than {limits.max_html_elements:,} HTML elements"
            " (raise Limits.max_html_elements to accept it)"
        )
    hints = [" ".join(_text_of(element).split()) for element in root.iter("title", "h1", "h2")]
    url = _canonical_url(root)
    named = _named(root)
    _clean_tree(root, named)
    body = root.find("body")
    page_text = _text_of(body if body is not None else root)
    hints.extend(line.strip() for line in page_text.splitlines()[:_HINT_LINES] if line.strip())
    container = _container(root, page_text, named)
    flattener = _Flattener(root.getroottree(), limits)
    flattener.walk(container)
    flattener.flush()
    diagnostics.extend(flattener.diagnostics)
    return HtmlPage(tuple(flattener.tokens), tuple(h for h in hints if h), tuple(diagnostics), url)


def _canonical_url(root: lxml.etree._Element) -> str | None:
    """The page's own address when it states one (canonical link or og:url)."""
    for element in root.iter("link", "meta"):
        rel = (element.get("rel") or "").lower()
        prop = (element.get("property") or element.get("name") or "").lower()
        value = str(element.get("href" if element.tag == "link" else "content") or "").strip()
        if (rel == "canonical" or prop == "og:url") and value.startswith(("http://", "https://")):
            return value[:2000]
    return None
