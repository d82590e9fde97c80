"""disclosure_schema.dask on a LocalCluster of 2 worker processes: the same rows as the
local export, failures with their reasons, findings, and the CLI's --scheduler."""

from __future__ import annotations

import builtins
import os
import subprocess
import sys
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import pytest

from disclosure_schema import (
    Meta,
    TidyRow,
    check,
    from_json,
    read_tidy,
    render_html,
    render_text,
    to_json,
    write_tidy,
)
from disclosure_schema.cli import load_report

distributed = pytest.importorskip("distributed")
pa = pytest.importorskip("pyarrow")
ds = pytest.importorskip("pyarrow.dataset")

from disclosure_schema.dask import (  # noqa: E402
    DaskMissingError,
    check_to_parquet,
    parse_to_parquet,
)

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"


@pytest.fixture(scope="module")
def client() -> Iterator[Any]:
    env = {"PYTHONPATH": os.pathsep.join(sys.path)}
    with (
        distributed.LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            env=env,
        ) as cluster,
        distributed.Client(cluster) as connected,
    ):
        yield connected


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Pages and JSON of our own example reports (one without a year), and a bad file."""
    folder = tmp_path_factory.mktemp("corpus")
    reports = [from_json((EXAMPLES / name).read_bytes()) for name in sorted(os.listdir(EXAMPLES))
               if name.endswith(".json")]  # fmt: skip
    for index, report in enumerate(reports):
        (folder / f"page{index}.html").write_text(render_html(report), encoding="utf-8")
        (folder / "text").mkdir(exist_ok=True)
        (folder / "text" / f"page{index}.txt").write_text(render_text(report), encoding="utf-8")
    no_year = attrs.evolve(reports[0], meta=Meta(issuer="无年度机关"))
    (folder / "no-year.json").write_text(to_json(no_year), encoding="utf-8")
    # a report whose totals do not add up, so that checks find something
    base = from_json((EXAMPLES / "example-2021.json").read_bytes())
    received = attrs.evolve(base.requests.received, total=999)
    broken = attrs.evolve(base, requests=attrs.evolve(base.requests, received=received))
    (folder / "broken.json").write_text(to_json(broken), encoding="utf-8")
    (folder / "empty.txt").write_text("", encoding="utf-8")
    return folder


def _sources(folder: Path) -> list[str]:
    return sorted(str(p) for p in folder.rglob("*") if p.is_file())


def _local_rows(folder: Path, tmp_path: Path) -> list[TidyRow]:
    """The rows the local export writes for the files that load."""
    loaded = []
    for source in _sources(folder):
        try:
            loaded.append((load_report(Path(source)), source))
        except Exception:  # noqa: BLE001 - the failing file is compared separately
            continue
    target = tmp_path / "local.parquet"
    write_tidy([r for r, _ in loaded], target, sources=[s for _, s in loaded])
    return sorted(read_tidy(target), key=_order)


def _order(row: TidyRow) -> tuple[Any, ...]:
    return (row.source, row.key)


def _dataset_rows(path: str) -> list[TidyRow]:
    partitioning = ds.partitioning(
        pa.schema([("year", pa.int32()), ("template", pa.string())]), flavor="hive"
    )
    table = ds.dataset(path, format="parquet", partitioning=partitioning).to_table()
    rows = []
    for record in table.to_pylist():
        amount = record["amount"]
        if amount is not None:  # Parquet's fixed scale: compare the numbers
            amount = Decimal(amount).normalize()
        rows.append(TidyRow(**{**record, "amount": amount}))
    return sorted(rows, key=_order)


def _normalized(rows: list[TidyRow]) -> list[TidyRow]:
    return [
        row._replace(amount=row.amount.normalize() if row.amount is not None else None)
        for row in rows
    ]


def test_parse_to_parquet_on_two_workers_gives_the_local_rows(client, corpus, tmp_path):
    summary = parse_to_parquet([corpus], tmp_path / "out", client=client, chunk_size=2)
    assert len(client.scheduler_info()["workers"]) == 2
    assert summary.failed == ((str(corpus / "empty.txt"), summary.failed[0][1]),)
    assert "no report found" in summary.failed[0][1]
    expected = _normalized(_local_rows(corpus, tmp_path))
    assert summary.rows == len(expected)
    assert _dataset_rows(summary.dataset) == expected
    assert {row.year for row in expected} >= {None, 2020}
    failures = pa.parquet.read_table(summary.failures).to_pylist()
    assert failures == [{"source": str(corpus / "empty.txt"), "reason": summary.failed[0][1]}]
    # partitioned by year and template, a part per chunk
    assert (tmp_path / "out" / "tidy" / "year=2020" / "template=2019").is_dir()


def test_an_existing_dataset_is_kept_unless_overwrite(client, corpus, tmp_path):
    from disclosure_schema import ExportError  # noqa: PLC0415

    parse_to_parquet([corpus / "page0.html"], tmp_path, client=client)
    with pytest.raises(ExportError, match="overwrite=True"):
        parse_to_parquet([corpus / "page0.html"], tmp_path, client=client)
    summary = parse_to_parquet([corpus / "page1.html"], tmp_path, client=client, overwrite=True)
    assert {row.source for row in _dataset_rows(summary.dataset)} == {str(corpus / "page1.html")}


def test_check_to_parquet_holds_every_finding(client, corpus, tmp_path):
    summary = check_to_parquet(_sources(corpus), tmp_path, client=client, chunk_size=3)
    table = ds.dataset(summary.dataset, format="parquet", partitioning="hive").to_table()
    got = sorted((r["source"], r["rule"], r["message_en"]) for r in table.to_pylist())
    expected = []
    for source in _sources(corpus):
        if source.endswith("empty.txt"):
            continue
        expected += [(source, f.rule, f.message_en) for f in check(load_report(Path(source)))]
    assert got == sorted(expected)
    assert summary.rows == len(expected) > 0
    assert [source for source, _ in summary.failed] == [str(corpus / "empty.txt")]


def test_without_a_client_the_same_work_runs_here(corpus, tmp_path):
    summary = parse_to_parquet([corpus / "page0.html"], tmp_path)
    assert summary.reports == 1
    assert summary.rows == len(_dataset_rows(summary.dataset))


def test_without_dask_our_error_says_what_to_install(monkeypatch, tmp_path):
    real_import = builtins.__import__

    def no_distributed(name: str, *args: Any, **kwargs: Any) -> Any:
        if name == "distributed" or name.startswith("distributed."):
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_distributed)
    with pytest.raises(DaskMissingError, match=r"pip install 'disclosure-schema\[dask\]'"):
        parse_to_parquet([], tmp_path)


def _cli(*args: object) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    return subprocess.run(
        [sys.executable, "-m", "disclosure_schema", *map(str, args)],
        capture_output=True, text=True, env=env, check=False, timeout=300,
    )  # fmt: skip


def test_cli_export_and_parse_on_a_scheduler(client, corpus, tmp_path):
    address = client.scheduler.address
    remote = _cli("export", corpus, "-o", tmp_path / "remote.parquet", "--scheduler", address)
    assert remote.returncode == 2, remote.stderr  # the empty file failed, the rest exported
    assert "empty.txt" in remote.stderr
    local = _cli("export", corpus, "-o", tmp_path / "local.parquet", "--jobs", "1")
    assert local.returncode == 2, local.stderr
    assert list(read_tidy(tmp_path / "remote.parquet")) == list(
        read_tidy(tmp_path / "local.parquet")
    )
    parsed = _cli("parse", corpus / "text", "-o", tmp_path / "json", "--scheduler", address)
    assert parsed.returncode == 0, parsed.stderr
    names = sorted(p.name for p in (tmp_path / "json").glob("*.json"))
    assert names == sorted(p.with_suffix(".json").name for p in (corpus / "text").iterdir())


def test_cli_scheduler_that_is_not_there_is_one_line(tmp_path):
    result = _cli(
        "export", EXAMPLES / "example-2021.json", "-o", tmp_path / "t.csv",
        "--scheduler", "tcp://127.0.0.1:9",
    )  # fmt: skip
    assert result.returncode == 2
    assert "Dask scheduler" in result.stderr
    assert "Traceback" not in result.stderr
