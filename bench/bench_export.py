"""Export of 100,000 synthetic reports to Parquet (``write_wide``, one row per report):
wall time and peak memory, and the peak at 10,000 and 200,000 reports to show whether it
grows with the number of reports (a streamed export holds one batch of rows at a time,
so the peak stops growing once a run is longer than a batch). Each size runs in its own process
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

SIZES = (10_000, 100_000, 200_000)
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
    by_count = {r["count"]: r for r in results}
    hundred = by_count[100_000]
    growth = by_count[200_000]["peak_mib"] / hundred["peak_mib"]
    status = "met" if hundred["seconds"] < TARGET_SECONDS else "NOT met"
    print(
        f"\n100,000 reports in {hundred['seconds']:.1f} s (target < {TARGET_SECONDS} s: {status});"
        f" peak memory ×{growth:.2f} from 100,000 to 200,000 reports (streamed if ≈ 1)"
    )


if __name__ == "__main__":
    if len(sys.argv) > 1:
        _run_one(int(sys.argv[1]))
    else:
        main()
