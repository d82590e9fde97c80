"""Checks and rendering per report: ``check`` (all rules), ``render_markdown`` and
``render_html``, on the bench reports. A section whose function is not in the package
yet is skipped with a note.

    PYTHONPATH=src python bench/bench_check_render.py
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _reports import documents
from _timing import compare, table

import disclosure_schema
from disclosure_schema import from_json

TARGETS = {"check": 50e-6, "render_markdown": 2e-3, "render_html": None}


def main() -> None:
    reports = {name: from_json(data) for name, data in documents().items()}
    functions: dict[str, Callable[[Any], Any]] = {}
    for name in TARGETS:
        function = getattr(disclosure_schema, name, None)
        if function is None:
            print(f"skipped {name}: not in disclosure_schema yet\n")
        else:
            functions[name] = function
    if not functions:
        return
    rows = []
    for doc, report in reports.items():
        timings = compare(
            {name: (lambda f=f, r=report: f(r)) for name, f in functions.items()}, rounds=9
        )
        findings = str(len(functions["check"](report))) if "check" in functions else "-"
        rows.append([doc, *(f"{timings[name][0] * 1e6:.1f}" for name in functions), findings])
    print("## checks and rendering (µs per report, best of 9 rounds)\n")
    print("(the synthetic reports fill every cell with unrelated numbers: many findings)\n")
    print(table(["document", *(f"{name} µs" for name in functions), "findings"], rows))
    notes = []
    for name in functions:
        target = TARGETS[name]
        if target is None:
            continue
        column = 1 + list(functions).index(name)
        for label, selected in (
            ("all documents", rows),
            ("documents without findings", [row for row in rows if row[-1] == "0"]),
        ):
            if not selected or (label != "all documents" and name != "check"):
                continue
            worst = max(float(row[column]) for row in selected) / 1e6
            status = "met" if worst < target else "NOT met"
            notes.append(
                f"{name}, {label}: worst {worst * 1e6:.1f} µs,"
                f" target < {target * 1e6:.0f} µs: {status}"
            )
    print("\n" + "\n".join(notes))


if __name__ == "__main__":
    main()
