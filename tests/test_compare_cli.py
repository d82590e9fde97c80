"""`disclosure-schema compare` as a user runs it: in a fresh interpreter."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

import jsonschema

import disclosure_schema
from disclosure_schema import comparison_json_schema, to_json
from tests.test_compare import filled, hidden_after, hidden_before

SOURCE = str(Path(disclosure_schema.__file__).resolve().parent.parent)


def _run(*arguments: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": SOURCE}
    command = [sys.executable, "-m", "disclosure_schema", "compare", *map(str, arguments)]
    return subprocess.run(
        command, capture_output=True, text=True, timeout=120, check=False, cwd=cwd, env=env
    )


def _folder(tmp_path: Path) -> Path:
    folder = tmp_path / "reports"
    folder.mkdir()
    reports = {
        "body-2020.json": filled("2019", hidden_before, year=2020),
        "body-2021.json": filled("2021", hidden_before, year=2021),
        "body-2022.json": filled("2021", hidden_after, year=2022),
        "lone-2022.json": filled("2021", hidden_after, issuer="另一机关", year=2022),
    }
    for name, report in reports.items():
        (folder / name).write_text(to_json(report), encoding="utf-8")
    return folder


def test_two_files_as_json(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    result = _run(
        folder / "body-2020.json", folder / "body-2021.json", "--format", "json", cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    jsonschema.validate(document, comparison_json_schema())
    cell = next(c for c in document["cells"] if c["key"] == "requests.outcomes.other.total")
    assert cell["delta"] == cell["after"] - cell["before"]
    assert document["findings"]


def test_two_files_as_html_page_to_a_file(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    target = tmp_path / "out" / "page.html"
    result = _run(
        folder / "body-2021.json",
        folder / "body-2022.json",
        "--format",
        "html",
        "-o",
        target,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    page = target.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>")
    assert 'class="changed"' in page


def test_folder_three_years_and_a_lone_report(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    result = _run(folder, "--format", "json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    comparisons = json.loads(result.stdout)
    assert [(c["before"]["year"], c["after"]["year"]) for c in comparisons] == [
        (2020, 2021),
        (2021, 2022),
    ]
    assert "not paired:" in result.stderr
    assert "lone-2022.json" in result.stderr

    out = tmp_path / "comparisons"
    result = _run(folder, "--format", "markdown", "-o", out, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert sorted(path.name for path in out.iterdir()) == [
        "body-2020__body-2021.md",
        "body-2021__body-2022.md",
    ]
    assert "2 pairs compared, 1 report not paired, 0 failed" in result.stderr


def test_an_identical_copy_is_named_by_its_file(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    (folder / "zz-copy-2022.json").write_bytes((folder / "lone-2022.json").read_bytes())
    result = _run(folder, "--format", "json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    copy_line = next(line for line in result.stderr.splitlines() if "zz-copy-2022" in line)
    # the copy is named by its file, not by an index the user never saw ("report [3]")
    assert copy_line.endswith("identical to " + str(folder / "lone-2022.json")), copy_line


def test_bad_input_is_one_line_and_exit_2(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    broken = folder / "broken.json"
    broken.write_text("{", encoding="utf-8")
    result = _run(broken, folder / "body-2021.json", cwd=tmp_path)
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr
    # in a folder, the broken file fails and the pairs are still compared
    result = _run(folder, "--format", "json", cwd=tmp_path)
    assert result.returncode == 2
    assert len(json.loads(result.stdout)) == 2


def test_wrong_arguments_are_a_usage_error(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    result = _run(folder / "body-2020.json", cwd=tmp_path)
    assert result.returncode == 2
    assert "two report files" in result.stderr


def test_schema_is_printed(tmp_path: Path) -> None:
    result = _run("--schema", cwd=tmp_path)
    assert result.returncode == 0
    assert json.loads(result.stdout) == comparison_json_schema()


def test_three_files_are_paired_like_a_folder(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    files = [folder / name for name in ("body-2022.json", "lone-2022.json", "body-2021.json")]
    result = _run(*files, "--format", "json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert [(c["before"]["year"], c["after"]["year"]) for c in json.loads(result.stdout)] == [
        (2021, 2022)
    ]


def test_series_table_of_a_folder(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    target = tmp_path / "series.csv"
    result = _run(folder, "--format", "json", "--series", target, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    with target.open(encoding="utf-8", newline="") as stream:
        rows = list(csv.DictReader(stream))
    assert {(row["body"], row["year"]) for row in rows} == {
        ("示例县示例局", "2020"),
        ("示例县示例局", "2021"),
        ("示例县示例局", "2022"),
        ("另一机关", "2022"),
    }
    assert "series rows" in result.stderr


def test_series_refuses_two_different_reports_for_a_year(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    (folder / "body-2022-copy.json").write_text(
        to_json(filled("2021", hidden_before, year=2022)), encoding="utf-8"
    )
    result = _run(folder, "--format", "json", "--series", tmp_path / "s.csv", cwd=tmp_path)
    assert result.returncode == 2
    assert "two different reports for 2022" in result.stderr
