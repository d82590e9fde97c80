"""disclosure_schema.dask.parse_to_parquet on a LocalCluster with 1 and then 2 worker
processes: pages parsed per second (wall), same pages, same chunks. The start-up of the
cluster is not timed.

    PYTHONPATH=src python bench/bench_dask.py [--quick]
"""

from __future__ import annotations

import importlib.util
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _reports import full_report
from _timing import goal, table

from disclosure_schema import from_json, render_html

PAGES = 400


def main(quick: bool) -> None:
    if importlib.util.find_spec("distributed") is None:
        print("skipped dask: dask[distributed] is not installed (pip install '.[dask]')")
        return
    import distributed  # noqa: PLC0415

    from disclosure_schema.dask import parse_to_parquet  # noqa: PLC0415

    root = Path(__file__).resolve().parent.parent
    reports = [
        from_json((root / "examples" / "chengguan-2020.json").read_bytes()),
        from_json((root / "examples" / "example-2021.json").read_bytes()),
        full_report("2019"),
        full_report("2021"),
    ]
    count = PAGES // (4 if quick else 1)
    rates = {}
    with tempfile.TemporaryDirectory() as folder:
        pages = Path(folder) / "pages"
        pages.mkdir()
        for index in range(count):
            html = render_html(reports[index % len(reports)])
            (pages / f"p{index:05}.html").write_text(html, encoding="utf-8")
        env = {"PYTHONPATH": os.pathsep.join(sys.path)}
        for workers in (1, 2):
            with (
                distributed.LocalCluster(
                    n_workers=workers, threads_per_worker=1, dashboard_address=None, env=env
                ) as cluster,
                distributed.Client(cluster) as client,
            ):
                # warm the workers (imports) before timing
                parse_to_parquet([pages / "p00000.html"], Path(folder) / "warm", client=client,
                                 overwrite=True)  # fmt: skip
                start = time.perf_counter()
                summary = parse_to_parquet(
                    [pages], Path(folder) / f"out{workers}", client=client, chunk_size=16
                )
                seconds = time.perf_counter() - start
                assert summary.reports == count, summary.failed[:3]
                rates[workers] = count / seconds
    print(f"## dask: parse_to_parquet of {count} HTML pages on a LocalCluster\n")
    print(
        table(
            ["workers", "pages/s", "speed-up"],
            [[str(w), f"{rate:.0f}", f"{rate / rates[1]:.2f}×"] for w, rate in rates.items()],
        )
    )
    speedup = rates[2] / rates[1]
    print(
        "\n"
        + goal(
            "dask 2 workers / 1 worker, pages/s",
            f"{speedup:.2f}×",
            "> 1× (≈ 2× on 2 idle cores)",
            speedup > 1,
        )
    )


if __name__ == "__main__":
    main(quick="--quick" in sys.argv)
