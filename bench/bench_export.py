"""Tidy export to Parquet against a column-wise floor, 10^5 reports with peak memory, and
``export --jobs 1`` against ``--jobs 2`` on report files.

- ratio: ``write_tidy`` of N synthetic reports (made one at a time) against the floor:
  the same columns already built in plain Python lists, turned into Arrow arrays and
  written by pyarrow with the same compression (the work no builder can avoid), both in
  CPU time of this process (robust on a shared machine). Goal: ≤ 1.5×.
- 10^5 reports, each size in its own process so the peak resident size is its own; the
  peak at 2·10^4 and 10^5 shows whether memory grows with the number of reports.
- the CLI on 2,000 report files with 1 and 2 workers: the 10^6 extrapolation for 2 cores.
  Goal: 10^6 reports under 10 minutes on 2 cores.

    PYTHONPATH=src python bench/bench_export.py [--quick]
"""

from __future__ import annotations

import importlib.util
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import attrs
from _reports import full_report
from _timing import goal, table

from disclosure_schema import Meta, Report, tidy_rows, to_json, write_tidy

RATIO_REPORTS = 10_000
SIZES = (20_000, 100_000)
FILES = 2_000
RATIO_GOAL = 1.5
MILLION_GOAL_S = 600


def synthetic_reports(count: int) -> Iterator[Report]:
    """``count`` distinct reports, made one at a time (nothing is held in a list)."""
    bases = [full_report("2019"), full_report("2021")]
    for index in range(count):
        base = bases[index % 2]
        meta = Meta(issuer=f"示例机关{index}", year=2019 + index % 5, region="示例省")
        yield attrs.evolve(base, meta=meta)


def floor_seconds(count: int) -> float:
    """Writing ``count`` reports' rows when the columns are already plain lists."""
    import pyarrow as pa  # noqa: PLC0415
    import pyarrow.parquet as pq  # noqa: PLC0415

    from disclosure_schema.export import _tidy_arrow_schema  # noqa: PLC0415

    per_batch = 500
    rows = list(tidy_rows(synthetic_reports(per_batch), sources=[f"f{i}" for i in range(500)]))
    columns = [list(column) for column in zip(*rows, strict=True)]
    schema = pa.schema(
        [
            (f.name, pa.string() if pa.types.is_dictionary(f.type) else f.type)
            for f in _tidy_arrow_schema()
        ]
    )
    with tempfile.TemporaryDirectory() as folder:
        start = time.process_time()
        writer = pq.ParquetWriter(str(Path(folder) / "floor.parquet"), schema, compression="zstd")
        for _ in range(count // per_batch):
            arrays = [pa.array(c, f.type) for c, f in zip(columns, schema, strict=True)]
            writer.write_table(pa.Table.from_arrays(arrays, schema=schema))
        writer.close()
        return time.process_time() - start


def ours_seconds(count: int, clock: Callable[[], float] = time.process_time) -> tuple[float, int]:
    with tempfile.TemporaryDirectory() as folder:
        start = clock()
        rows = write_tidy(
            synthetic_reports(count),
            Path(folder) / "t.parquet",
            sources=(f"f{i}" for i in range(count)),
        )
        return clock() - start, rows


def _run_one(count: int) -> None:
    seconds, rows = ours_seconds(count, time.perf_counter)
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(
        json.dumps({"count": count, "rows": rows, "seconds": seconds, "peak_mib": peak_kib / 1024})
    )


def cli_seconds(folder: Path, jobs: int) -> tuple[float, float]:
    """Wall and CPU seconds (the CLI and its workers) of one export run."""
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent / "src")}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "disclosure_schema", "export", str(folder), "-o",
         str(folder.parent / f"t{jobs}.parquet"), "--jobs", str(jobs), "--quiet"],
        check=True, env=env, capture_output=True,
    )  # fmt: skip
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    return wall, cpu


def startup_cpu() -> float:
    """CPU seconds of the CLI doing nothing (imports): subtracted per run."""
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent / "src")}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(
        [sys.executable, "-c", "import disclosure_schema.cli, pyarrow.parquet"],
        check=True, env=env, capture_output=True,
    )  # fmt: skip
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)


def main(quick: bool) -> None:
    if importlib.util.find_spec("pyarrow") is None:
        print("skipped export: pyarrow is not installed (pip install '.[bench]')")
        return
    count = RATIO_REPORTS // (5 if quick else 1)
    ours, rows = ours_seconds(count)
    floor = floor_seconds(count)
    ratio = ours / floor
    print(f"## export: {count:,} synthetic reports ({rows:,} rows) → tidy Parquet\n")
    print(
        table(
            ["what", "s", "µs/report", "ratio", "goal"],
            [
                [
                    "write_tidy",
                    f"{ours:.2f}",
                    f"{ours / count * 1e6:.0f}",
                    f"{ratio:.2f}×",
                    f"≤ {RATIO_GOAL}× ({'met' if ratio <= RATIO_GOAL else 'NOT met'})",
                ],
                [
                    "floor: same columns as lists → pyarrow",
                    f"{floor:.2f}",
                    f"{floor / count * 1e6:.0f}",
                    "1.00×",
                    "",
                ],
            ],
        )
    )
    results = []
    for size in SIZES[:1] if quick else SIZES:
        output = subprocess.run(
            [sys.executable, __file__, str(size)], check=True, capture_output=True, text=True
        ).stdout
        results.append(json.loads(output.strip().splitlines()[-1]))
    print("\n## export: streamed, one process per size\n")
    print(
        table(
            ["reports", "rows", "wall s", "reports/s", "peak RSS MiB"],
            [
                [
                    f"{r['count']:,}",
                    f"{r['rows']:,}",
                    f"{r['seconds']:.1f}",
                    f"{r['count'] / r['seconds']:,.0f}",
                    f"{r['peak_mib']:.0f}",
                ]
                for r in results
            ],
        )
    )
    files = FILES // (4 if quick else 1)
    with tempfile.TemporaryDirectory() as folder:
        inputs = Path(folder) / "reports"
        inputs.mkdir()
        for index, report in enumerate(synthetic_reports(files)):
            (inputs / f"r{index:05}.json").write_text(to_json(report), encoding="utf-8")
        idle = startup_cpu()
        (one, one_cpu), (two, two_cpu) = cli_seconds(inputs, 1), cli_seconds(inputs, 2)
    # The CPU time of the --jobs 1 run is the whole work (reading, decoding, encoding,
    # writing) in one process: 10^6 reports take that on one core, and at most that on
    # two. (With --jobs 2 the workers are children of a forkserver, so getrusage does not
    # see their CPU time; its figure below is the CLI process alone.)
    per_report = (one_cpu - idle) / files
    million = per_report * 1e6
    print(f"\n## export CLI: {files:,} report JSON files → tidy Parquet\n")
    print(
        table(
            ["jobs", "wall s", "CPU s (CLI + workers)", "CPU ms/report (less start-up)"],
            [
                ["1", f"{one:.1f}", f"{one_cpu:.1f}", f"{(one_cpu - idle) / files * 1e3:.2f}"],
                ["2", f"{two:.1f}", f"{two_cpu:.1f} (CLI only)", "-"],
            ],
        )
    )
    print(
        f"\nstart-up (imports) {idle:.2f} CPU s; wall speed-up --jobs 2 / --jobs 1:"
        f" {one / two:.2f}× (on a machine with other jobs running, wall time is not the"
        " program's alone)"
    )
    print(
        goal("write_tidy / column-wise floor", f"{ratio:.2f}×", f"≤ {RATIO_GOAL}×",
             ratio <= RATIO_GOAL)
    )  # fmt: skip
    print(
        goal("10^6 report files, export CPU time on one core (2 cores: at most this)",
             f"{million / 60:.1f} min", f"< {MILLION_GOAL_S // 60} min on 2 cores",
             million < MILLION_GOAL_S)
    )  # fmt: skip
    growth = results[-1]["peak_mib"] / results[0]["peak_mib"]
    print(
        goal("peak RSS 10^5 / 2·10^4 reports (flat memory)", f"{growth:.2f}×", "≈ 1×",
             growth < 1.2)
    )  # fmt: skip


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1].isdigit():
        _run_one(int(sys.argv[1]))
    else:
        main(quick="--quick" in sys.argv)
