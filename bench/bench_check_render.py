"""Checks and Markdown rendering as ratios measured in one run (CPU time of this process,
best of interleaved rounds):

- render_markdown against tabulate alone on the same flattened tables (the work no
  Markdown renderer with tabulate can avoid). Goal ≤ 1.3×.
- check: µs per finding, (check of a report with N findings − check of a consistent
  report of the same template) / N. Goal ≤ 2 µs.

    PYTHONPATH=src python bench/bench_check_render.py
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _reports import documents, full_report
from _timing import cpu_compare, goal, table
from tabulate import tabulate

from disclosure_schema import Report2019, Report2021, check, from_json, render_markdown
from disclosure_schema.render.layout import Table, build_document, flatten

MARKDOWN_GOAL = 1.3
FINDING_GOAL_US = 2.0


def _tabulate_alone(report: object) -> object:
    tables = [
        flat
        for section in build_document(report).sections  # type: ignore[arg-type]
        for block in section.blocks
        if isinstance(block, Table)
        for flat in flatten(block)
    ]
    cells = [([list(row) for row in flat.rows], list(flat.header)) for flat in tables]

    def run() -> None:
        for rows, header in cells:
            tabulate(rows, header, tablefmt="pipe", disable_numparse=True)

    return run


def main() -> None:
    reports = {name: from_json(data) for name, data in documents().items()}
    rows = []
    worst = 0.0
    for name, report in reports.items():
        times = cpu_compare(
            {"markdown": lambda r=report: render_markdown(r), "tabulate": _tabulate_alone(report)}
        )
        ratio = times["markdown"] / times["tabulate"]
        worst = max(worst, ratio)
        rows.append(
            [name, f"{times['markdown'] * 1e6:.0f}", f"{times['tabulate'] * 1e6:.0f}",
             f"{ratio:.2f}×"]
        )  # fmt: skip
    print("## render_markdown against tabulate alone (CPU µs per report)\n")
    print(table(["document", "render_markdown µs", "tabulate alone µs", "ratio"], rows))
    print(
        "\n"
        + goal(
            "render_markdown / tabulate alone",
            f"{worst:.2f}× (worst)",
            f"≤ {MARKDOWN_GOAL}×",
            worst <= MARKDOWN_GOAL,
        )
    )
    print("\n## check: cost per finding (CPU µs)\n")
    cases = {
        "2021 empty (all not assessable)": (Report2021(), reports["example-2021"]),
        "2021 every cell filled, unrelated": (full_report("2021"), reports["example-2021"]),
        "2019 empty (all not assessable)": (Report2019(), reports["chengguan-2020"]),
        "2019 every cell filled, unrelated": (full_report("2019"), reports["chengguan-2020"]),
    }
    rows = []
    worst = 0.0
    for label, (many, consistent) in cases.items():
        count = len(check(many))
        assert not check(consistent)
        times = cpu_compare(
            {
                "many": lambda r=many: check(r),
                "none": lambda r=consistent: check(r),
                "read": lambda r=many: [f.message_zh for f in check(r)],
            }
        )
        per = (times["many"] - times["none"]) / count
        read = (times["read"] - times["none"]) / count
        worst = max(worst, per)
        rows.append(
            [label, str(count), f"{times['many'] * 1e6:.1f}", f"{times['none'] * 1e6:.1f}",
             f"{per * 1e6:.2f}", f"{read * 1e6:.2f}"]
        )  # fmt: skip
    headers = ["report", "findings", "check µs", "consistent report µs", "µs per finding"]
    print(table([*headers, "… and its message read"], rows))
    print(
        "\n"
        + goal(
            "check, per finding",
            f"{worst * 1e6:.2f} µs (worst)",
            f"≤ {FINDING_GOAL_US} µs",
            worst * 1e6 <= FINDING_GOAL_US,
        )
    )


if __name__ == "__main__":
    main()
