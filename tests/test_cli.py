"""The disclosure-schema command: every command, batch behaviour, exit codes, no tracebacks."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path, PurePath

import duckdb
import orjson
import pytest
from click.testing import CliRunner

import disclosure_schema
from disclosure_schema import cli, from_json, json_schema
from disclosure_schema.cli import Input, main, output_paths, safe_relative

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
SAMPLE_PAGE = EXAMPLES / "sample-page.html"
# where the package under test lives, for subprocesses (src/ in a checkout)
PACKAGE_ROOT = str(Path(disclosure_schema.__file__).resolve().parent.parent)
COMMANDS = ("parse", "check", "render", "schema", "export", "summary", "compare", "form")


def run(*args: str | Path) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, [str(arg) for arg in args], catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def _json_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    (folder / "sub").mkdir(parents=True)
    shutil.copy(EXAMPLES / "chengguan-2020.json", folder / "chengguan-2020.json")
    shutil.copy(EXAMPLES / "example-2021.json", folder / "sub" / "example-2021.json")
    (folder / "bad.json").write_text('{"template": "2022"}', encoding="utf-8")
    (folder / "broken.json").write_text('{"template": "20', encoding="utf-8")
    (folder / "notes.csv").write_text("not a report", encoding="utf-8")
    (folder / ".hidden.json").write_text("{}", encoding="utf-8")
    return folder


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help_with_exit_codes(command):
    code, out, _ = run(command, "--help")
    assert code == 0
    assert "Exit codes:" in out
    assert "130" in out


def test_python_dash_m_runs_the_same_command():
    result = subprocess.run(
        [sys.executable, "-m", "disclosure_schema", "--help"],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "PYTHONPATH": PACKAGE_ROOT},
    )
    assert result.returncode == 0
    assert all(command in result.stdout for command in COMMANDS)


def test_usage_errors_exit_2_without_traceback(tmp_path):
    code, _, err = run("export", tmp_path / "missing.json", "-o", tmp_path / "t.csv")
    assert code == 2
    assert "does not exist" in err
    assert "Traceback" not in err


def test_schema_prints_the_json_schema(tmp_path):
    code, out, _ = run("schema")
    assert code == 0
    assert json.loads(out) == json_schema()
    assert run("schema", "-o", tmp_path / "s.json")[0] == 0
    assert json.loads((tmp_path / "s.json").read_text(encoding="utf-8")) == json_schema()


def test_export_a_folder_with_good_broken_and_other_files(tmp_path):
    folder = _json_folder(tmp_path)
    target = tmp_path / "out" / "reports.parquet"
    code, _, err = run("export", folder, "-o", target, "--jobs", "2", "--quiet")
    assert code == 2
    assert "Traceback" not in err
    assert "2 reports, 2 failed, 401 rows, 1 other file ignored" in err
    assert f"failed: {folder / 'bad.json'}: not a valid report" in err
    assert (
        f"failed: {folder / 'broken.json'}: not a valid report (1 problem): not valid JSON" in err
    )
    errors = [
        json.loads(line)
        for line in (tmp_path / "out" / "reports.parquet.errors.jsonl").read_text().splitlines()
    ]
    assert [record["input"] for record in errors] == [
        str(folder / "bad.json"),
        str(folder / "broken.json"),
    ]
    received = duckdb.sql(
        f"SELECT issuer, value::BIGINT FROM read_parquet('{target}')"
        " WHERE key = 'requests.received.total' ORDER BY issuer"
    ).fetchall()
    assert len(received) == 2


def test_export_wide_csv_for_excel_and_a_clean_run_removes_a_stale_errors_file(tmp_path):
    target = tmp_path / "wide.csv"
    stale = tmp_path / "wide.csv.errors.jsonl"
    stale.write_text("{}\n", encoding="utf-8")
    code, _, err = run(
        "export", EXAMPLES / "chengguan-2020.json", EXAMPLES / "example-2021.json",
        "-o", target, "--wide", "--excel",
    )  # fmt: skip
    assert code == 0, err
    data = target.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    assert len(data.decode("utf-8-sig").splitlines()) == 3
    assert not stale.exists()


def test_export_refuses_an_unknown_format_in_one_line(tmp_path):
    code, _, err = run("export", EXAMPLES / "example-2021.json", "-o", tmp_path / "t.xlsx")
    assert code == 2
    assert err.strip().count("\n") == 0
    assert "unknown export format '.xlsx'" in err


def test_summary_sums_and_records_its_inputs(tmp_path):
    target = tmp_path / "county.json"
    inputs = [EXAMPLES / "example-2021.json", EXAMPLES / "example-2021.json"]
    code, _, err = run("summary", *inputs, "-o", target, "--issuer", "示例县")
    assert code == 2, "the same report twice is refused"
    assert f"refused: {inputs[1]} repeats {inputs[0]}" in err
    assert not target.exists()
    code, _, err = run("summary", *inputs, "-o", target, "--issuer", "示例县", "--allow-duplicates")
    assert code == 0, err
    assert f"warning: {inputs[1]} repeats {inputs[0]}" in err
    summed = from_json(target.read_bytes())
    single = from_json((EXAMPLES / "example-2021.json").read_bytes())
    assert summed.requests.received.total == 2 * single.requests.received.total
    assert summed.meta.issuer == "示例县"
    assert str(inputs[0]) in summed.overview.paragraphs[0]


def test_summary_of_a_folder(tmp_path):
    folder = tmp_path / "offices"
    (folder / "east").mkdir(parents=True)
    for name in ("a.json", "east/b.json"):
        shutil.copy(EXAMPLES / "example-2021.json", folder / name)
    code, _, err = run("summary", folder, "-o", tmp_path / "county.json", "--allow-duplicates")
    assert code == 0, err
    assert "summed 2 reports (template 2021)" in err


def test_summary_refuses_mixed_templates_and_failed_inputs(tmp_path):
    target = tmp_path / "county.json"
    code, _, err = run(
        "summary", EXAMPLES / "example-2021.json", EXAMPLES / "chengguan-2020.json", "-o", target
    )
    assert code == 2
    assert "cannot mix templates: template 2021:" in err
    bad = tmp_path / "bad.json"
    bad.write_text("[]", encoding="utf-8")
    code, _, err = run("summary", EXAMPLES / "example-2021.json", bad, "-o", target)
    assert code == 2
    assert "1 of 2 inputs failed; nothing summed" in err
    assert not target.exists()


def test_output_names_mirror_inputs_resolve_collisions_and_stay_inside(tmp_path):
    inputs = [
        Input(Path("x/a.html"), PurePath("a.html")),
        Input(Path("x/a.txt"), PurePath("a.txt")),
        Input(Path("x/sub/b.htm"), PurePath("sub/b.htm")),
        Input(Path("y/sub/b.htm"), PurePath("sub/b.htm")),
        Input(Path("../../x.html"), PurePath("../../x.html")),
        Input(Path("README"), PurePath("README")),
    ]
    names = [path.relative_to(tmp_path).as_posix() for path in output_paths(inputs, tmp_path)]
    assert names == [
        "a.html.json",
        "a.txt.json",
        "sub/b.htm.json",
        "sub/b.htm~2.json",
        "x.json",
        "README.json",
    ]
    assert safe_relative(PurePath("/etc/../passwd")).as_posix() == "etc/passwd"
    assert safe_relative(PurePath("..")).as_posix() == "unnamed"


def test_an_unexpected_error_in_one_file_is_that_file_s_failure(tmp_path, monkeypatch):
    folder = _json_folder(tmp_path)
    real = cli.load_report

    def flaky(path):
        if path.name == "chengguan-2020.json":
            raise RuntimeError("boom")
        return real(path)

    monkeypatch.setattr(cli, "load_report", flaky)
    code, _, err = run("export", folder, "-o", tmp_path / "t.jsonl", "--jobs", "1")
    assert code == 2
    assert f"failed: {folder / 'chengguan-2020.json'}: unexpected RuntimeError: boom" in err
    assert "Traceback" not in err
    lines = (tmp_path / "t.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 200  # the 2021 example still exported


# --- with the parser -------------------------------------------------------------------


def _page_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "pages"
    (folder / "2023").mkdir(parents=True)
    shutil.copy(SAMPLE_PAGE, folder / "2023" / "town.html")
    shutil.copy(SAMPLE_PAGE, folder / "copy.htm")
    (folder / "notice.txt").write_text("关于开展植树活动的通知\n各村：请按时参加。\n", "utf-8")
    (folder / "garbage.html").write_bytes(b"\x00\xff\xfe" * 50)
    (folder / "picture.png").write_bytes(b"\x89PNG\r\n")
    return folder


def test_parse_a_folder_end_to_end(tmp_path):
    folder = _page_folder(tmp_path)
    out = tmp_path / "out"
    diagnostics = tmp_path / "diagnostics.jsonl"
    code, _, err = run("parse", folder, "-o", out, "--quiet", "--diagnostics", diagnostics)
    assert code == 2
    assert "Traceback" not in err
    assert "2 failed, 1 other file ignored; -v names them" in err
    assert re.search(r"^2 parsed(?: \(\d+ with warnings\))?, 2 failed", err, re.MULTILINE)
    for line in diagnostics.read_text(encoding="utf-8").splitlines():
        assert Path(json.loads(line)["input"]).name in ("town.html", "copy.htm")
    assert f"failed: {folder / 'notice.txt'}: not a report page" in err
    assert f"failed: {folder / 'garbage.html'}: binary file" in err
    outputs = sorted(path.relative_to(out).as_posix() for path in out.rglob("*.json"))
    assert outputs == ["2023/town.json", "copy.json"]
    report = from_json((out / "copy.json").read_bytes())
    assert report.requests.received.total == 46
    errors = [json.loads(line) for line in (out / "_errors.jsonl").read_text().splitlines()]
    assert {Path(record["input"]).name for record in errors} == {"notice.txt", "garbage.html"}

    # a re-run skips outputs that are up to date (manifest); --force redoes them
    code, _, err = run("parse", folder, "-o", out, "--quiet")
    assert "0 parsed, 2 failed, 2 up to date" in err
    code, _, err = run("parse", folder, "-o", out, "--quiet", "--force")
    assert "2 parsed, 2 failed" in err


def test_parse_one_file_to_one_file(tmp_path):
    target = tmp_path / "town.json"
    code, _, err = run("parse", SAMPLE_PAGE, "-o", target)
    assert code == 0, err
    assert from_json(target.read_bytes()).meta.year == 2023
    notice = tmp_path / "notice.txt"
    notice.write_text("今天天气很好。\n", encoding="utf-8")
    code, _, err = run("parse", notice, "-o", tmp_path / "notice.json")
    assert code == 2
    assert "notice.txt: not a report page" in err
    assert not (tmp_path / "notice.json").exists()


def test_killing_a_run_midway_leaves_only_complete_outputs(tmp_path):
    folder = tmp_path / "pages"
    folder.mkdir()
    for index in range(150):
        shutil.copy(SAMPLE_PAGE, folder / f"page{index:03}.html")
    out = tmp_path / "out"
    command = [sys.executable, "-m", "disclosure_schema", "parse", str(folder), "-o", str(out)]
    env = {**os.environ, "PYTHONPATH": PACKAGE_ROOT}
    process = subprocess.Popen([*command, "--jobs", "1"], env=env, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and len(list(out.glob("*.json"))) < 3:
        time.sleep(0.02)
    process.send_signal(signal.SIGKILL)
    process.wait()
    written = list(out.glob("*.json"))
    assert 3 <= len(written) < 150, "the run should have been killed midway"
    for path in written:
        from_json(path.read_bytes())  # every output present is complete
    # a re-run finishes the job and clears what the killed run left behind
    finished = subprocess.run([*command, "--jobs", "2"], env=env, capture_output=True, check=False)
    assert finished.returncode == 0, finished.stderr
    assert len(list(out.glob("*.json"))) == 150
    hidden = [path.name for path in out.iterdir() if path.name.startswith(".")]
    assert hidden in ([], [".disclosure-schema.manifest"])


def test_export_pages_directly_and_check_and_render(tmp_path):
    folder = _page_folder(tmp_path)
    code, _, err = run("export", folder, "-o", tmp_path / "t.csv", "--quiet")
    assert code == 2
    assert "2 reports, 2 failed, 400 rows" in err
    code, out, _ = run("check", SAMPLE_PAGE, "--format", "json")
    assert code == 0
    document = orjson.loads(out)
    assert document[0]["input"] == str(SAMPLE_PAGE)
    code, out, _ = run("render", SAMPLE_PAGE, "--format", "markdown")
    assert code == 0
    assert "三、收到和处理政府信息公开申请情况" in out


def test_sigterm_stops_a_parallel_run_cleanly(tmp_path):
    folder = tmp_path / "pages"
    folder.mkdir()
    for index in range(150):
        shutil.copy(SAMPLE_PAGE, folder / f"page{index:03}.html")
    out = tmp_path / "out"
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "disclosure_schema",
            "parse",
            str(folder),
            "-o",
            str(out),
            "-j",
            "2",
        ],
        env={**os.environ, "PYTHONPATH": PACKAGE_ROOT},
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and len(list(out.glob("*.json"))) < 3:
        time.sleep(0.02)
    process.terminate()
    _, err = process.communicate(timeout=60)
    assert process.returncode == 130, err
    assert "interrupted; outputs already written are complete" in err
    assert "Traceback" not in err
    written = list(out.glob("*.json"))
    assert len(written) < 150
    for path in written:
        from_json(path.read_bytes())
    hidden = [path.name for path in out.iterdir() if path.name.startswith(".")]
    assert hidden in ([], [".disclosure-schema.manifest"])


def _crash_on_poison(name: str) -> cli.Outcome:
    if name == "poison":
        os._exit(3)  # a crash no exception handler sees, as a segfault or the OOM killer
    return cli.Outcome(name, text=name.upper())


@pytest.mark.parametrize("jobs", [2, 3])
def test_a_worker_that_dies_fails_only_its_file(jobs):
    names = [f"f{index}" for index in range(12)]
    names[5] = "poison"
    outcomes = list(
        cli.run_batch(
            _crash_on_poison, [(name,) for name in names], jobs=jobs, quiet=True, label="t"
        )
    )
    assert [outcome.source for outcome in outcomes] == names
    failed = [outcome for outcome in outcomes if outcome.error]
    assert [(o.source, o.error) for o in failed] == [
        ("poison", "the worker process died on this file")
    ]
    assert all(o.text == o.source.upper() for o in outcomes if not o.error)


def test_a_json_file_over_the_size_limit_is_refused_before_reading(tmp_path, monkeypatch):
    monkeypatch.setattr(cli, "DEFAULT_LIMITS", cli.DEFAULT_LIMITS.__class__(max_json_bytes=100))
    big = tmp_path / "big.json"
    big.write_text(" " * 101, encoding="utf-8")
    code, _, err = run("export", big, "-o", tmp_path / "t.csv")
    assert code == 2
    assert "failed: " + str(big) + ": the JSON file is 101 bytes, over the limit of 100" in err


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
def test_progress_bar_on_a_terminal_only(tmp_path):
    import fcntl  # noqa: PLC0415
    import pty  # noqa: PLC0415
    import struct  # noqa: PLC0415
    import termios  # noqa: PLC0415

    command = [
        sys.executable, "-m", "disclosure_schema", "export",
        str(EXAMPLES / "chengguan-2020.json"), str(EXAMPLES / "example-2021.json"),
        "-o", str(tmp_path / "t.csv"), "--jobs", "1",
    ]  # fmt: skip
    env = {**os.environ, "PYTHONPATH": PACKAGE_ROOT}
    piped = subprocess.run(command, env=env, capture_output=True, text=True, check=True)
    assert "export:" not in piped.stderr
    assert piped.stderr.strip() == f"2 reports, 0 failed, 401 rows → {tmp_path / 't.csv'}"

    leader, follower = pty.openpty()
    # a fresh pseudo-terminal is 0 columns wide; give it a real terminal's size
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=follower)
    os.close(follower)
    shown = b""
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:  # the terminal closes when the process ends
            break
        if not chunk:
            break
        shown += chunk
    process.wait(timeout=60)
    os.close(leader)
    assert process.returncode == 0
    assert b"export: 100%" in shown


def test_check_exits_1_on_an_error_finding_and_0_otherwise(tmp_path):
    good = EXAMPLES / "example-2021.json"
    data = json.loads(good.read_text(encoding="utf-8"))
    data["requests"]["received"]["total"] += 1  # the row no longer adds up
    broken = tmp_path / "broken.json"
    broken.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    code, out, _ = run("check", good)
    assert code == 0, out
    code, out, _ = run("check", broken, "--language", "en")
    assert code == 1
    assert "R2" in out
    code, out, _ = run("check", broken, "--format", "json")
    assert code == 1
    findings = orjson.loads(out)[0]["findings"]
    assert any(
        f["severity"] == "error" and "requests.received.total" in f["cells"] for f in findings
    )
    code, _, _ = run("check", good, EXAMPLES / "chengguan-2020.json", "--series")
    assert code in (0, 1)


@pytest.mark.parametrize("output_format", ["docx", "xlsx"])
def test_a_binary_format_without_o_says_which_o_it_needs(output_format):
    code, out, err = run("render", EXAMPLES / "chengguan-2020.json", "--format", output_format)
    assert code == 2
    assert not out
    assert f"give -o FILE.{output_format}" in err
    code, out, err = run("render", EXAMPLES, "--format", output_format)
    assert code == 2
    assert not out
    assert "give -o FOLDER/" in err


@pytest.mark.parametrize("output_format", ["markdown", "text", "html"])
def test_render_each_format_to_a_file(tmp_path, output_format):
    target = tmp_path / f"report.{output_format}"
    code, _, err = run(
        "render", EXAMPLES / "chengguan-2020.json", "--format", output_format, "-o", target,
        "--findings",
    )  # fmt: skip
    assert code == 0, err
    assert "城关镇2020年政府信息公开工作年度报告" in target.read_text(encoding="utf-8")


def test_summary_names_a_report_without_a_year_in_words(tmp_path):
    blank = tmp_path / "blank.json"
    blank.write_text(disclosure_schema.to_json(disclosure_schema.Report2021()), encoding="utf-8")
    code, _, err = run("summary", EXAMPLES / "example-2021.json", blank, "-o", tmp_path / "s.json")
    assert code == 2
    assert "different years (2023, a report without a year)" in err
    assert "None" not in err


def test_a_single_input_that_fails_is_named(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    code, _, err = run("render", empty)
    assert code == 2
    assert f"Error: {empty}: empty file" in err
    code, _, err = run("form", "--previous", empty, "-o", tmp_path / "form.xlsx")
    assert code == 2
    assert f"Error: {empty}: empty file" in err
    assert not (tmp_path / "form.xlsx").exists()


def test_a_binary_output_must_carry_its_extension(tmp_path):
    code, _, err = run(
        "render", EXAMPLES / "chengguan-2020.json", "--format", "docx", "-o", tmp_path / "a.md"
    )
    assert code == 2
    assert "-o must end in .docx" in err
    assert not (tmp_path / "a.md").exists()
    code, _, err = run("form", "-o", tmp_path / "form.docx")
    assert code == 2
    assert "-o must end in .xlsx" in err
    assert not (tmp_path / "form.docx").exists()
    code, _, err = run("form", "-o", tmp_path / "FORM.XLSX")
    assert code == 0, err


def test_a_form_for_a_year_of_the_2019_template_is_a_2019_form(tmp_path):
    code, _, err = run("form", "--year", "2020", "-o", tmp_path / "form.xlsx")
    assert code == 0, err
    assert "blank 2019 form" in err
