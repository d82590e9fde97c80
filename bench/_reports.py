"""The reports every bench uses: the two bundled examples and a synthetic one with every
cell, list and text field filled."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from disclosure_schema import Report, cell_kinds, from_dict, from_json, to_dict, to_json

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ("chengguan-2020.json", "example-2021.json")


def _set(data: dict[str, Any], key: str, value: object) -> None:
    node = data
    *parents, last = key.split(".")
    for part in parents:
        node = node[part]
    node[last] = value


def full_report(template: str = "2021") -> Report:
    """A report with every cell filled, prose, extra rows and written values."""
    data = to_dict(from_dict({"template": template}))
    for index, (key, kind) in enumerate(cell_kinds(template).items()):
        value: object = {"count": index, "signed": index - 50, "amount": f"{index}.125"}[kind]
        _set(data, key, value)
    data["meta"] = {
        "issuer": "示例县示例局",
        "year": 2023,
        "title": "示例县示例局2023年政府信息公开工作年度报告",
        "published": "2024-01-19",
        "source_url": "https://example.invalid/report.html",
        "contact": "0000-0000000",
        "region": "示例省示例市示例县",
    }
    for section in ("overview", "problems", "other_matters"):
        data[section] = {
            "paragraphs": ["一段说明文字。" * 8] * 3,
            "parts": [{"heading": "（一）主动公开", "paragraphs": ["一段说明文字。" * 8] * 2}],
        }
    data["proactive"]["extra_rows"] = [
        {
            "item": 1,
            "label": "其他主动公开文件",
            "values": [3, "1.5", None],
            "as_written": ["3", "1.5", "/"],
        }
    ]
    data["as_written"] = [
        {"key": key, "text": "+6", "unit": None} for key in list(cell_kinds(template))[:5]
    ]
    return from_dict(data)


def documents() -> dict[str, bytes]:
    """Name → compact JSON bytes of each bench report."""
    docs = {}
    for name in EXAMPLES:
        report = from_json((ROOT / "examples" / name).read_bytes())
        docs[name.removesuffix(".json")] = _compact(report)
    docs["synthetic-full-2021"] = _compact(full_report("2021"))
    docs["synthetic-full-2019"] = _compact(full_report("2019"))
    return docs


def _compact(report: Report) -> bytes:
    return to_json(report, pretty=False).encode("utf-8")
