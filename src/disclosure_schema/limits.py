"""Input limits: how much work one input may ask for before it is refused.

Every limit is checked before the expensive work it guards, and exceeding one raises
:class:`~disclosure_schema.errors.InputLimitError` with a message naming the limit, the
value found and how to raise it.
"""

from __future__ import annotations

import attrs

from disclosure_schema.errors import InputLimitError

__all__ = ["DEFAULT_LIMITS", "Limits", "check_size"]

_MIB = 1024 * 1024


@attrs.frozen(kw_only=True)
class Limits:
    """Upper bounds on one input. The defaults are far above any real report page.

    - ``max_page_bytes``: a page (text or HTML) given to a parser; real pages are well
      under 1 MiB even with inline styles.
    - ``max_json_bytes``: a JSON document given to ``from_json``; a full report is ~10 KiB.
    - ``max_tokens``: lines or table cells of one page after it is read; a full report
      has about 1,500, a long one a few thousand.
    - ``max_html_elements``: elements in a parsed HTML page.
    - ``max_html_depth``: not a setting but a fact: the HTML parser (libxml2) stops at
      256 levels of nesting, so deeper content is not read (and not walked).
    - ``max_table_cells``: cells of one table after rowspan/colspan are expanded.
    - ``max_span``: the largest rowspan or colspan honoured; larger spans are cut to it.
    """

    max_page_bytes: int = 10 * _MIB
    max_json_bytes: int = 4 * _MIB
    max_tokens: int = 50_000
    max_html_elements: int = 200_000
    max_table_cells: int = 20_000
    max_span: int = 100


DEFAULT_LIMITS = Limits()


def check_size(size: int, limit: int, what: str, setting: str) -> None:
    """Refuse an input of ``size`` bytes when it is over ``limit``."""
    if size > limit:
        raise InputLimitError(
            f"{what} is {size:,} bytes, over the limit of {limit:,}"
            f" (raise Limits.{setting} to accept it)"
        )
