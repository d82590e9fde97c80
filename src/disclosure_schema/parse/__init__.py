"""Reading reports from page text and HTML.

``parse_text``, ``parse_html``, ``parse_pdf`` and ``parse_docx`` (and
``parse_bytes``/``parse_file`` for raw input, any of these formats)
return a :class:`ParseResult`: the report as far as it could be read, and diagnostics.
"""

from disclosure_schema.parse._docx import parse_docx
from disclosure_schema.parse._pdf import parse_pdf
from disclosure_schema.parse._xlsx import parse_xlsx
from disclosure_schema.parse.api import parse_bytes, parse_file, parse_html, parse_text
from disclosure_schema.parse.result import Diagnostic, ParseResult

__all__ = [
    "Diagnostic",
    "ParseResult",
    "parse_bytes",
    "parse_docx",
    "parse_file",
    "parse_html",
    "parse_pdf",
    "parse_text",
    "parse_xlsx",
]
