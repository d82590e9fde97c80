"""The main job on the bundled examples: load, round-trip, summarize, render as Markdown.

Run with ``make demo``.
"""

from __future__ import annotations

from pathlib import Path

from disclosure_schema import cells, from_json, render_markdown, to_json

HERE = Path(__file__).parent


def main() -> None:
    for path in sorted(HERE.glob("*.json")):
        text = path.read_text(encoding="utf-8")
        report = from_json(text)
        assert to_json(report) == text, f"{path.name} does not round-trip byte-identically"
        values = cells(report)
        filled = sum(value is not None for value in values.values())
        received = report.requests.received.total
        print(
            f"{path.name}: {report.meta.issuer} · {report.meta.year} · template {report.template}"
        )
        print(f"  cells: {filled} of {len(values)} filled; applications received: {received}")
        print("  round trip through JSON: byte-identical")
    print()
    report = from_json((HERE / "chengguan-2020.json").read_text(encoding="utf-8"))
    print(render_markdown(report), end="")


if __name__ == "__main__":
    main()
