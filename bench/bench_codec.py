"""Codec bench: JSON bytes → validated report, and report → JSON bytes, per report.

Ours (``from_json``, ``to_json_bytes``, ``to_json``) against pydantic v2 and msgspec
models of the same schema (bench/_baselines.py) and against ``orjson`` alone (the floor:
parsing or writing plain dicts, no validation, no objects). All measured in this
process, in turns (see ``_timing.compare``), on the same documents; the ratio columns
are time / pydantic time.

    PYTHONPATH=src python bench/bench_codec.py
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import msgspec
import orjson
from _baselines import msgspec_decode, msgspec_encode, pydantic_decode, pydantic_encode
from _reports import documents
from _timing import compare, table

from disclosure_schema import from_dict, from_json, to_dict, to_json, to_json_bytes


def _row(name: str, candidates: dict[str, Callable[[], Any]]) -> list[str]:
    timings = compare(candidates)
    pydantic_best = timings["pydantic"][0]
    cells = [name]
    for label in candidates:
        best, median = timings[label]
        cells.append(f"{best * 1e6:.1f} ({median * 1e6:.1f})")
    for label in candidates:
        if label != "pydantic":
            cells.append(f"{timings[label][0] / pydantic_best:.2f}×")
    return cells


def main() -> None:
    labels = ["ours", "pydantic", "msgspec", "orjson"]
    headers = [
        "document",
        *(f"{label} µs best (median)" for label in labels),
        *(f"{label}/pydantic" for label in labels if label != "pydantic"),
    ]
    decode_rows, encode_rows, text_rows, pretty_rows = [], [], [], []
    for name, data in documents().items():
        report = from_json(data)
        pydantic_report = pydantic_decode(data)
        msgspec_report = msgspec_decode(data)
        plain = to_dict(report)
        # The baselines must read and write the same documents as ours.
        assert orjson.loads(pydantic_encode(pydantic_report)) == orjson.loads(data)
        assert orjson.loads(msgspec_encode(msgspec_report)) == orjson.loads(data)
        decode_rows.append(
            _row(
                name,
                {
                    "ours": lambda data=data: from_json(data),
                    "pydantic": lambda data=data: pydantic_decode(data),
                    "msgspec": lambda data=data: msgspec_decode(data),
                    "orjson": lambda data=data: orjson.loads(data),
                },
            )
        )
        text_rows.append(
            _row(
                name,
                {
                    "ours": lambda r=report: to_json(r, pretty=False),
                    "pydantic": lambda r=pydantic_report: r.model_dump_json(),
                    "msgspec": lambda r=msgspec_report: msgspec_encode(r).decode("utf-8"),
                    "orjson": lambda p=plain: orjson.dumps(p).decode("utf-8"),
                },
            )
        )
        pretty_rows.append(
            _row(
                name,
                {
                    "ours": lambda r=report: to_json(r),
                    "pydantic": lambda r=pydantic_report: r.model_dump_json(indent=2),
                    "msgspec": lambda r=msgspec_report: msgspec.json.format(
                        msgspec_encode(r), indent=2
                    ).decode("utf-8"),
                    "orjson": lambda p=plain: orjson.dumps(p, option=orjson.OPT_INDENT_2).decode(
                        "utf-8"
                    ),
                },
            )
        )
        encode_rows.append(
            _row(
                name,
                {
                    "ours": lambda r=report: to_json_bytes(r, pretty=False),
                    "pydantic": lambda r=pydantic_report: pydantic_encode(r),
                    "msgspec": lambda r=msgspec_report: msgspec_encode(r),
                    "orjson": lambda p=plain: orjson.dumps(p),
                },
            )
        )
    print("## decode: JSON bytes → validated report (µs per report)\n")
    print(table(headers, decode_rows))
    print("\nreference path (cattrs converter; from_dict, and every document msgspec refuses):")
    for name, data in documents().items():
        plain = orjson.loads(data)
        best, _median = compare({"from_dict": lambda plain=plain: from_dict(plain)}, rounds=7)[
            "from_dict"
        ]
        print(f"  {name}: from_dict {best * 1e6:.1f} µs (input already parsed)")
    print("\n## encode: report → compact JSON bytes (µs per report)\n")
    print("ours: to_json_bytes; pydantic: TypeAdapter.dump_json; msgspec: Encoder.encode\n")
    print(table(headers, encode_rows))
    print("\n## encode to str: report → compact JSON text (µs per report)\n")
    print("ours: to_json; pydantic: model_dump_json; others: bytes decoded as UTF-8\n")
    print(table(headers, text_rows))
    print("\n## encode to str, indented: report → pretty JSON text (µs per report)\n")
    print("ours: to_json (the default, indent 2); pydantic: model_dump_json(indent=2)\n")
    print(table(headers, pretty_rows))
    print(
        "\ntargets: decode ours/pydantic ≤ 0.60×, encode (compact and indented)"
        " ours/pydantic ≤ 0.50×"
    )


if __name__ == "__main__":
    main()
