"""Codec bench: JSON → validated report, and report → JSON, per report.

Ours (``from_json``, ``to_json``, ``to_json_bytes``) against pydantic v2 and msgspec
models of the same schema (bench/_baselines.py) and against ``orjson`` alone (the floor:
parsing or writing plain dicts, no validation, no objects). All measured in this
process, in turns, on the same documents, in CPU time of this process (the machine is
shared: wall time would count other jobs); the ratio columns are time / pydantic time.

Decoding is timed on distinct input objects, each read once: a ``str`` keeps its UTF-8
form once a reader has asked for it, so timing the same ``str`` again and again would
measure a warm cache no real input has.

    PYTHONPATH=src python bench/bench_codec.py
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import msgspec
import orjson
from _baselines import PydanticReport, msgspec_decode, msgspec_encode, pydantic_decode
from _reports import documents
from _timing import compare, table

from disclosure_schema import from_dict, from_json, parse_text, to_dict, to_json, to_json_bytes

# A real page, parsed (read where it is, not copied into the project; skipped if absent).
SEED_PAGE = Path("/work/shared/seed/chengguan-2020.txt")


def _documents() -> dict[str, bytes]:
    docs = documents()
    if SEED_PAGE.exists():
        report = parse_text(SEED_PAGE.read_text(encoding="utf-8")).report
        docs["seed page, parsed"] = to_json_bytes(report, pretty=False)
    return docs


# label → (function of one input, function making a fresh input)
Candidates = dict[str, tuple[Callable[[Any], Any], Callable[[], Any]]]


def cold_compare(
    candidates: Candidates, *, rounds: int = 15, batch_time: float = 0.02
) -> dict[str, tuple[float, float]]:
    """(best, median) CPU seconds per call of each candidate, timed in turns; every call
    gets its own input, made before the batch is timed."""
    sizes = {}
    for label, (fn, make) in candidates.items():
        fn(make())  # warm up (caches, lazily built hooks)
        item = make()
        start = time.process_time()
        fn(item)
        once = max(time.process_time() - start, 1e-6)
        sizes[label] = max(20, int(batch_time / once))
    samples: dict[str, list[float]] = {label: [] for label in candidates}
    for _ in range(rounds):
        for label, (fn, make) in candidates.items():
            inputs = [make() for _ in range(sizes[label])]
            start = time.process_time()
            for item in inputs:
                fn(item)
            samples[label].append((time.process_time() - start) / len(inputs))
    return {label: (min(s), statistics.median(s)) for label, s in samples.items()}


def _row(name: str, timings: dict[str, tuple[float, float]]) -> list[str]:
    pydantic_best = timings["pydantic"][0]
    cells = [name]
    for best, median in timings.values():
        cells.append(f"{best * 1e6:.1f} ({median * 1e6:.1f})")
    for label, (best, _median) in timings.items():
        if label != "pydantic":
            cells.append(f"{best / pydantic_best:.2f}×")
    return cells


def _same(value: Any) -> Callable[[], Any]:
    return lambda: value


def main() -> None:
    labels = ["ours", "pydantic", "msgspec", "orjson"]
    headers = [
        "document",
        *(f"{label} µs best (median)" for label in labels),
        *(f"{label}/pydantic" for label in labels if label != "pydantic"),
    ]
    rows: dict[str, list[list[str]]] = {
        "bytes": [],
        "str": [],
        "compact": [],
        "pretty": [],
        "compact bytes": [],
    }
    worst: dict[str, float] = dict.fromkeys(rows, 0.0)

    def add(kind: str, name: str, candidates: Candidates) -> None:
        timings = cold_compare(candidates)
        rows[kind].append(_row(name, timings))
        worst[kind] = max(worst[kind], timings["ours"][0] / timings["pydantic"][0])

    for name, data in _documents().items():
        report = from_json(data)
        pydantic_report = pydantic_decode(data)
        msgspec_report = msgspec_decode(data)
        plain = to_dict(report)
        text = data.decode("utf-8")
        # The baselines must read and write the same documents as ours.
        assert orjson.loads(pydantic_report.model_dump_json()) == orjson.loads(data)
        assert orjson.loads(msgspec_encode(msgspec_report)) == orjson.loads(data)
        assert to_json(report, pretty=False) == text
        fresh_bytes = lambda data=data: bytes(bytearray(data))  # noqa: E731
        fresh_str = lambda data=data: data.decode("utf-8")  # noqa: E731
        decoders = {
            "ours": from_json,
            "pydantic": PydanticReport.validate_json,
            "msgspec": msgspec_decode,
            "orjson": orjson.loads,
        }
        add("bytes", name, {k: (f, fresh_bytes) for k, f in decoders.items()})
        add("str", name, {k: (f, fresh_str) for k, f in decoders.items()})
        add(
            "compact",
            name,
            {
                "ours": (lambda r: to_json(r, pretty=False), _same(report)),
                "pydantic": (lambda r: r.model_dump_json(), _same(pydantic_report)),
                "msgspec": (lambda r: msgspec_encode(r).decode("utf-8"), _same(msgspec_report)),
                "orjson": (lambda p: orjson.dumps(p).decode("utf-8"), _same(plain)),
            },
        )
        add(
            "pretty",
            name,
            {
                "ours": (to_json, _same(report)),
                "pydantic": (lambda r: r.model_dump_json(indent=2), _same(pydantic_report)),
                "msgspec": (
                    lambda r: msgspec.json.format(msgspec_encode(r), indent=2).decode("utf-8"),
                    _same(msgspec_report),
                ),
                "orjson": (
                    lambda p: orjson.dumps(p, option=orjson.OPT_INDENT_2).decode("utf-8"),
                    _same(plain),
                ),
            },
        )
        add(
            "compact bytes",
            name,
            {
                "ours": (lambda r: to_json_bytes(r, pretty=False), _same(report)),
                "pydantic": (
                    lambda r: r.__pydantic_serializer__.to_json(r),
                    _same(pydantic_report),
                ),
                "msgspec": (msgspec_encode, _same(msgspec_report)),
                "orjson": (orjson.dumps, _same(plain)),
            },
        )
    sections = {
        "bytes": "decode: JSON bytes → validated report; pydantic: strict validate_json",
        "str": "decode: JSON str → validated report (each str read once: no cached UTF-8)",
        "compact": "encode: report → compact JSON str; ours: to_json(pretty=False);"
        " pydantic: model_dump_json()",
        "pretty": "encode: report → indented JSON str; ours: to_json() (the default);"
        " pydantic: model_dump_json(indent=2)",
        "compact bytes": "encode: report → compact JSON bytes; ours: to_json_bytes(pretty=False)",
    }
    for kind, title in sections.items():
        print(f"\n## {title} (µs per report, CPU time)\n")
        print(table(headers, rows[kind]))
    print("\nreference path (cattrs converter; from_dict, and every document msgspec refuses):")
    for name, data in _documents().items():
        parsed = orjson.loads(data)
        best, _median = compare({"from_dict": lambda parsed=parsed: from_dict(parsed)}, rounds=7)[
            "from_dict"
        ]
        print(f"  {name}: from_dict {best * 1e6:.1f} µs (input already parsed)")
    targets = {"bytes": 0.6, "str": 0.6, "compact": 0.5, "pretty": 0.5}
    print("\ntargets (worst document, ours/pydantic):")
    for kind, target in targets.items():
        status = "met" if worst[kind] <= target else "NOT met"
        print(f"  {kind}: {worst[kind]:.2f}× (≤ {target:.2f}×) {status}")


if __name__ == "__main__":
    main()
