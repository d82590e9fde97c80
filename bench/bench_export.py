"""Export of 100,000 synthetic reports to Parquet (``write_wide``, one row per report):
wall time and peak memory, and peak memory at 10,000 reports to show it does not grow
with the number of reports (the export is streamed). Each size runs in its own process
so the peak resident size is its own.

Skipped with a note when ``write_wide`` is not in the package yet or pyarrow is missing.

    PYTHONPATH=src python bench/bench_export.py
"""

from __future__ import annotations

import importlib.util
import json
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import attrs
from _reports import full_report
from _timing import table

import disclosure_schema
from disclosure_schema import Meta, Report

SIZES = (10_000, 100_000)
TARGET_SECONDS = 120


def synthetic_reports(count: int) -> Iterator[Report]:
    """``count`` distinct reports, made one at a time (nothing is held in a list)."""
    bases = [full_report("2019"), full_report("2021")]
    for index in range(count):
        base = bases[index % 2]
        meta = Meta(issuer=f"示例机关{index}", year=2019 + index % 5, region="示例省")
        yield attrs.evolve(base, meta=meta)


def _run_one(count: int) -> None:
    write_wide = disclosure_schema.write_wide  # type: ignore[attr-defined]
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / "reports.parquet"
        start = time.perf_counter()
        rows = write_wide(synthetic_reports(count), target)
        seconds = time.perf_counter() - start
        size = target.stat().st_size
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(
        json.dumps(
            {
                "count": count,
                "rows": rows,
                "seconds": seconds,
                "peak_mib": peak_kib / 1024,
                "bytes": size,
            }
        )
    )


def main() -> None:
    if not hasattr(disclosure_schema, "write_wide"):
        print("skipped export: write_wide not in disclosure_schema yet")
        return
    if importlib.util.find_spec("pyarrow") is None:
        print("skipped export: pyarrow is not installed (pip install '.[bench]')")
        return
    results = []
    for count in SIZES:
        output = subprocess.run(
            [sys.executable, __file__, str(count)], check=True, capture_output=True, text=True
        ).stdout
        results.append(json.loads(output.strip().splitlines()[-1]))
    rows = [
        [
            f"{r['count']:,}",
            f"{r['rows']:,}",
            f"{r['seconds']:.1f}",
            f"{r['count'] / r['seconds']:,.0f}",
            f"{r['peak_mib']:.0f}",
            f"{r['bytes'] / 1e6:.1f}",
        ]
        for r in results
    ]
    print("## export: synthetic reports → Parquet (write_wide), one process per size\n")
    print(table(["reports", "rows", "wall s", "reports/s", "peak RSS MiB", "file MB"], rows))
    small, large = results[0], results[-1]
    growth = large["peak_mib"] / small["peak_mib"]
    status = "met" if large["seconds"] < TARGET_SECONDS else "NOT met"
    print(
        f"\n100,000 reports in {large['seconds']:.1f} s (target < {TARGET_SECONDS} s: {status});"
        f" peak memory ×{growth:.2f} for ×10 reports (streamed if ≈ 1)"
    )


if __name__ == "__main__":
    if len(sys.argv) > 1:
        _run_one(int(sys.argv[1]))
    else:
        main()
