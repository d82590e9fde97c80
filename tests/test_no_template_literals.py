"""Template facts are written in the spec alone: no template tag or year boundary as a
literal in library code outside the spec (issue 11).

The report classes (model/v2019.py, model/v2021.py) are half of each template's
declaration (the spec's shape) and model/cells.py spells the tags once more as the
``Template`` type that mypy checks; everything else derives its tags and years from
``disclosure_schema.template``. Docstrings are prose and are not scanned.
"""

from __future__ import annotations

import ast
from collections import Counter
from pathlib import Path

from disclosure_schema.template import template_spec, template_tags

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "disclosure_schema"

#: Where a tag literal is part of a template's declaration.
DECLARATIONS = {"model/cells.py", "model/v2019.py", "model/v2021.py"}

#: Literals not yet derived, with how many each file may still hold (none left; a new
#: literal fails the test).
PENDING: Counter[str] = Counter()


def _docstrings(tree: ast.AST) -> set[int]:
    found: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            first = node.body[0] if node.body else None
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                found.add(id(first.value))
    return found


def _literals() -> Counter[str]:
    tags = set(template_tags(official=True))
    years = set()
    for tag in tags:
        spec = template_spec(tag)
        years.update(year for year in (spec.first_year, spec.last_year) if year is not None)
    found: Counter[str] = Counter()
    for path in sorted(PACKAGE.rglob("*.py")):
        name = path.relative_to(PACKAGE).as_posix()
        if name.startswith("template/") or name in DECLARATIONS:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = _docstrings(tree)
        for node in ast.walk(tree):
            if not isinstance(node, ast.Constant) or id(node) in docstrings:
                continue
            value = node.value
            if (isinstance(value, str) and value in tags) or (
                type(value) is int and value in years
            ):
                found[name] += 1
    return found


def test_no_template_tag_or_year_boundary_outside_the_spec() -> None:
    over = {name: count for name, count in _literals().items() if count > PENDING[name]}
    assert not over, f"template literals outside the spec (derive them from it): {over}"


def test_the_parser_modules_hold_none() -> None:
    parser = {
        f"parse/{name}.py" for name in ("api", "tables", "template", "build", "sections", "meta")
    }
    assert not {name for name in _literals() if name in parser}
