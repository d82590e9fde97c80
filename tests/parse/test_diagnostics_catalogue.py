"""Every parser diagnostic code is declared once and the docs table follows the catalogue."""

from __future__ import annotations

import re
from pathlib import Path

from tools import gen_parse_docs

from disclosure_schema.parse.diagnostics import CATALOGUE

PARSE = Path(__file__).resolve().parents[2] / "src" / "disclosure_schema" / "parse"
_CALL = re.compile(r"(?:diagnostic|_diag)\(\s*\"(\w+)\"")
_DIRECT = re.compile(r"\bDiagnostic\(")
# every module of parse/ (the text and HTML parser and the PDF, Word, office and Excel
# readers), found in the folder so that a new module is covered without being listed
_MODULES = tuple(sorted(PARSE.glob("*.py")))
# the one place a Diagnostic is built: the catalogue's builder
_BUILDER = PARSE / "diagnostics.py"


def test_the_modules_are_found() -> None:
    names = {path.stem for path in _MODULES}
    assert {"html", "tables", "_pdf", "_docx", "_office", "_xlsx"} <= names


def test_every_code_has_one_severity_a_title_and_a_description() -> None:
    assert len(CATALOGUE) == len({entry.code for entry in CATALOGUE.values()})
    for code, entry in CATALOGUE.items():
        assert entry.code == code
        assert entry.severity in ("error", "warning", "info"), code
        assert entry.title.strip(), code
        assert entry.description.strip(), code


def test_docs_table_is_generated_from_the_catalogue() -> None:
    committed = gen_parse_docs.PAGE.read_text(encoding="utf-8")
    assert committed == gen_parse_docs.page_text(committed), "run: python tools/gen_parse_docs.py"


def test_every_code_used_is_declared_and_every_declared_code_is_used() -> None:
    used: set[str] = set()
    for path in _MODULES:
        text = path.read_text(encoding="utf-8")
        used.update(_CALL.findall(text))
        # the catalogue's builder is the one way to make a diagnostic in parse/
        if path != _BUILDER:
            assert not _DIRECT.findall(text), f"{path.name}: use diagnostic(code, …)"
    assert used - set(CATALOGUE) == set()
    assert set(CATALOGUE) - used == set()


def test_the_office_guide_names_the_codes_a_workbook_gives() -> None:
    # docs/offices.md lists the workbook reader's codes and links to the generated table
    guide = (PARSE.parents[2] / "docs" / "offices.md").read_text(encoding="utf-8")
    section = guide.split("### What the parse may say", 1)[1].split("\n### ", 1)[0]
    named = set(re.findall(r"`(\w+)`", section))
    used = set(_CALL.findall((PARSE / "_xlsx.py").read_text(encoding="utf-8")))
    assert named == used
    assert "parsing.md#diagnostics" in section
