"""Every parser diagnostic code is declared once and the docs table follows the catalogue."""

from __future__ import annotations

import re
from pathlib import Path

from tools import gen_parse_docs

from disclosure_schema.parse.diagnostics import CATALOGUE

PARSE = Path(__file__).resolve().parents[2] / "src" / "disclosure_schema" / "parse"
_CALL = re.compile(r"(?:diagnostic|_diag)\(\s*\"(\w+)\"")
_DIRECT = re.compile(r"\bDiagnostic\(\s*\"(\w+)\"")
# the modules of the text and HTML parser (readers of other formats add their own)
_MODULES = ("api", "build", "html", "meta", "normalize", "prose", "sections", "tables",
            "template", "text", "tokens", "values")  # fmt: skip


def test_docs_table_is_generated_from_the_catalogue() -> None:
    committed = gen_parse_docs.PAGE.read_text(encoding="utf-8")
    assert committed == gen_parse_docs.page_text(committed), "run: python tools/gen_parse_docs.py"


def test_every_code_used_is_declared_and_every_declared_code_is_used() -> None:
    used: set[str] = set()
    for name in _MODULES:
        path = PARSE / f"{name}.py"
        text = path.read_text(encoding="utf-8")
        used.update(_CALL.findall(text))
        # the catalogue's builder is the one way to make a diagnostic in these modules
        assert not _DIRECT.findall(text), f"{path.name}: use diagnostic(code, …)"
    assert used - set(CATALOGUE) == set()
    assert set(CATALOGUE) - used == set()
