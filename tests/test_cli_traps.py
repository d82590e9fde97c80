"""The traps of issue 14, each as a user meets it: the command in a fresh interpreter
(subprocess), its exit code, its messages and what is left on disk."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import orjson
import pytest

import disclosure_schema
from disclosure_schema import from_json
from disclosure_schema._files import check_output_target, remove_stale_temporaries

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
PAGE = EXAMPLES / "sample-page.html"
GOOD = EXAMPLES / "example-2021.json"
OLD = EXAMPLES / "chengguan-2020.json"
PACKAGE_ROOT = str(Path(disclosure_schema.__file__).resolve().parent.parent)
ENV = {**os.environ, "PYTHONPATH": PACKAGE_ROOT}


def cli(*args: str | Path, stdin: bytes | None = None) -> subprocess.CompletedProcess[str]:
    """``disclosure-schema ARGS`` as a user runs it."""
    command = [sys.executable, "-m", "disclosure_schema", *map(str, args)]
    return subprocess.run(
        command,
        input=stdin.decode("utf-8", "surrogateescape") if stdin is not None else None,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
        env=ENV,
    )


def _broken(tmp_path: Path, name: str = "broken.json") -> Path:
    data = json.loads(GOOD.read_text(encoding="utf-8"))
    data["requests"]["received"]["total"] += 1  # R2 no longer holds: an error finding
    path = tmp_path / name
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


# --- output rules -------------------------------------------------------------------


def test_output_folder_may_not_be_the_input_folder(tmp_path):
    pages = tmp_path / "pages"
    pages.mkdir()
    shutil.copy(PAGE, pages / "a.html")
    result = cli("parse", pages, "-o", pages)
    assert result.returncode == 2
    assert "is an input folder" in result.stderr
    assert "0 parsed" not in result.stderr
    assert sorted(path.name for path in pages.iterdir()) == ["a.html"]


def test_a_newer_file_that_is_not_ours_is_not_up_to_date(tmp_path):
    existing = tmp_path / "existing.txt"
    existing.write_text("my notes\n", encoding="utf-8")  # newer than the page
    result = cli("parse", PAGE, "-o", existing)
    assert result.returncode == 0, result.stderr
    assert "up to date" not in result.stderr
    assert from_json(existing.read_bytes()).meta.year == 2023
    again = cli("parse", PAGE, "-o", existing)
    assert "up to date" in again.stderr  # now it is ours and made from this content


def test_trailing_slash_names_a_folder(tmp_path):
    result = cli("parse", PAGE, "-o", f"{tmp_path / 'newdir'}/")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "newdir").is_dir()
    assert (tmp_path / "newdir" / "sample-page.json").is_file()


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_a_fifo_output_is_refused_not_replaced(tmp_path):
    fifo = tmp_path / "out.json"
    os.mkfifo(fifo)
    for command in (
        ("parse", PAGE, "-o", fifo),
        ("render", GOOD, "-o", fifo),
        ("schema", "-o", fifo),
        ("export", GOOD, "-o", tmp_path / "t.csv", "--errors", fifo),
    ):
        result = cli(*command)
        assert result.returncode in (0, 2), result.stderr
        assert fifo.is_fifo(), command
    result = cli("parse", PAGE, "-o", fifo)
    assert result.returncode == 2
    assert "a FIFO (named pipe); only regular files are replaced" in result.stderr


def test_a_symlink_output_is_refused_and_its_target_untouched(tmp_path):
    precious = tmp_path / "precious.txt"
    precious.write_text("keep me\n", encoding="utf-8")
    link = tmp_path / "link.json"
    link.symlink_to(precious)
    for command in (("parse", PAGE, "-o", link), ("summary", GOOD, "-o", link)):
        result = cli(*command)
        assert result.returncode == 2, result.stderr
        assert "a symbolic link" in result.stderr
        assert link.is_symlink()
        assert precious.read_text(encoding="utf-8") == "keep me\n"


def test_a_device_is_never_an_output():
    # checked without writing: a regression here as root would replace /dev/null
    with pytest.raises(disclosure_schema.DisclosureSchemaError, match="character device"):
        check_output_target(Path("/dev/null"))


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_parse_dev_zero_makes_no_folder(tmp_path):
    target = tmp_path / "z.json"
    result = cli("parse", "/dev/zero", "-o", target)
    assert result.returncode == 2
    assert not target.exists()
    assert "Traceback" not in result.stderr


def test_new_content_with_an_older_time_is_parsed_again(tmp_path):
    pages = tmp_path / "pages"
    pages.mkdir()
    page = pages / "a.html"
    shutil.copy(PAGE, page)
    out = tmp_path / "out"
    assert cli("parse", pages, "-o", out).returncode == 0
    first = (out / "a.json").read_bytes()
    text = page.read_text(encoding="utf-8").replace("46", "47", 1)
    page.write_text(text, encoding="utf-8")
    os.utime(page, (1_000_000, 1_000_000))  # replaced by content with an old mtime
    result = cli("parse", pages, "-o", out)
    assert "1 parsed" in result.stderr, result.stderr
    assert "up to date" not in result.stderr
    assert (out / "a.json").read_bytes() != first


def test_an_input_that_now_fails_loses_its_stale_output(tmp_path):
    pages = tmp_path / "pages"
    pages.mkdir()
    shutil.copy(PAGE, pages / "a.html")
    shutil.copy(PAGE, pages / "b.html")
    out = tmp_path / "out"
    assert cli("parse", pages, "-o", out).returncode == 0
    (pages / "a.html").write_text("今天天气很好。\n", encoding="utf-8")
    result = cli("parse", pages, "-o", out)
    assert result.returncode == 2
    assert not (out / "a.json").exists(), "export would include the stale report"
    assert (out / "b.json").exists()
    exported = cli("export", out, "-o", tmp_path / "t.csv")
    assert "1 report," in exported.stderr

    single = tmp_path / "single.json"
    assert cli("parse", PAGE, "-o", single).returncode == 0
    notice = tmp_path / "notice.txt"
    notice.write_text("今天天气很好。\n", encoding="utf-8")
    shutil.copy(notice, tmp_path / "page.txt")
    assert cli("parse", tmp_path / "page.txt", "-o", single).returncode == 2
    assert not single.exists()


def test_a_file_that_is_not_ours_is_not_removed_when_the_input_fails(tmp_path):
    notes = tmp_path / "notes.txt"
    notes.write_text("my notes\n", encoding="utf-8")
    notice = tmp_path / "notice.txt"
    notice.write_text("今天天气很好。\n", encoding="utf-8")
    assert cli("parse", notice, "-o", notes).returncode == 2
    assert notes.read_text(encoding="utf-8") == "my notes\n"


def test_temporary_files_of_a_running_process_are_kept(tmp_path):
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        alive = tmp_path / f".a.json.{sleeper.pid}.abcdefgh.tmp"
        alive.write_text("", encoding="utf-8")
        finished = subprocess.run([sys.executable, "-c", "pass"], check=True)
        assert finished.returncode == 0
        dead_pid = _a_dead_pid()
        dead = tmp_path / f".b.json.{dead_pid}.abcdefgh.tmp"
        dead.write_text("", encoding="utf-8")
        assert remove_stale_temporaries(tmp_path) == 1
        assert alive.exists()
        assert not dead.exists()
    finally:
        sleeper.kill()
        sleeper.wait()


def _a_dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


# A command whose output is one file refuses an -o that names a folder (issue 14: click
# strips the trailing slash, so `-o dir/` used to write a *file* called dir).
ONE_FILE_COMMANDS = {
    "export": ("export", str(GOOD), "-o"),
    "schema": ("schema", "-o"),
    "summary": ("summary", str(GOOD), "-o"),
    "form": ("form", "--year", "2024", "-o"),
    "export --errors": ("export", str(GOOD), "-o", "t.csv", "--errors"),
    "compare --series": ("compare", str(OLD), str(GOOD), "--series"),
}


@pytest.mark.parametrize("command", sorted(ONE_FILE_COMMANDS))
@pytest.mark.parametrize("name", ["out/", "out.parquet/", "existing"])
def test_one_file_output_that_names_a_folder_is_refused(tmp_path, command, name):
    (tmp_path / "existing").mkdir()
    result = subprocess.run(
        [sys.executable, "-m", "disclosure_schema", *ONE_FILE_COMMANDS[command], name],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
        env=ENV,
        cwd=tmp_path,
    )
    assert result.returncode == 2, result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert "a folder" in lines[0]
    assert "one file" in lines[0]
    assert "Traceback" not in result.stderr
    left = sorted(path.name for path in tmp_path.iterdir())
    assert left == ["existing"], left  # no file called out, out.json, …
    assert list((tmp_path / "existing").iterdir()) == []


def test_compare_of_two_files_into_a_folder_writes_the_pair_there(tmp_path):
    result = cli("compare", OLD, GOOD, "-o", f"{tmp_path / 'changes'}/")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "changes").is_dir()
    [written] = (tmp_path / "changes").iterdir()
    assert written.name == "chengguan-2020__example-2021.md"
    assert "示例县示例局" in written.read_text(encoding="utf-8")


# --- messages -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "data", "cause"),
    [
        ("empty.html", b"", "empty file"),
        ("blank.txt", b" \n\n", "empty file (only white space)"),
        ("picture.html", b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "binary file (PNG)"),
        ("scan.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 100, "binary file (JPEG)"),
        ("report.docx", b"PK\x03\x04" + b"\x00" * 100, "binary file (ZIP"),
        ("notice.txt", "今天天气很好。\n".encode(), "not a report page"),
    ],
)
def test_one_cause_per_failure(tmp_path, name, data, cause):
    path = tmp_path / name
    path.write_bytes(data)
    result = cli("parse", path, "-o", tmp_path / "o.json")
    assert result.returncode == 2
    assert f"{path}: {cause}" in result.stderr
    assert "no report found: no report found" not in result.stderr
    assert result.stderr.count("\n") == 1


def test_a_pdf_names_the_pdf_extra_or_is_read(tmp_path):
    path = tmp_path / "report.pdf"
    path.write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n" + b"0" * 200)
    result = cli("parse", path, "-o", tmp_path / "o.json")
    assert result.returncode == 2
    assert "PDF" in result.stderr
    assert "no report tables, section headings or title" not in result.stderr


def test_ignored_files_are_counted_and_named_with_verbose(tmp_path):
    pages = tmp_path / "pages"
    pages.mkdir()
    shutil.copy(PAGE, pages / "a.html")
    shutil.copy(PAGE, pages / "b.md")  # the same extensions in a folder as when named
    (pages / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    result = cli("parse", pages, "-o", tmp_path / "out")
    assert result.returncode == 0, result.stderr
    assert result.stderr.startswith("2 parsed")
    assert "0 failed, 1 other file ignored; -v names them" in result.stderr
    result = cli("parse", pages, "-o", tmp_path / "out2", "-v")
    assert f"ignored (not a page): {pages / 'photo.png'}" in result.stderr
    assert "1 other file ignored" in result.stderr


def test_invalid_report_json_lists_its_problems_one_per_line(tmp_path):
    data = json.loads(GOOD.read_text(encoding="utf-8"))
    data["requests"]["received"]["total"] = "many"
    data["requests"]["received"]["natural_person"] = -3
    path = tmp_path / "invalid.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    result = cli("check", path)
    assert result.returncode == 2
    lines = result.stderr.splitlines()
    head = next(i for i, line in enumerate(lines) if line.startswith(f"failed: {path}"))
    assert lines[head].endswith("not a valid report (2 problems):")
    assert "requests.received.natural_person" in lines[head + 1]
    assert "requests.received.total" in lines[head + 2]


def test_control_characters_in_names_are_escaped(tmp_path):
    path = tmp_path / "bad\nname\x1b[31m.txt"
    path.write_bytes(b"")
    result = cli("parse", path, "-o", tmp_path / "o.json")
    assert result.returncode == 2
    assert "\x1b" not in result.stderr
    assert result.stderr.count("\n") == 1
    assert "bad\\nname\\x1b[31m.txt: empty file" in result.stderr


def test_plurals(tmp_path):
    result = cli("export", GOOD, "-o", tmp_path / "t.csv")
    assert result.stderr.startswith("1 report, 0 failed, ")
    result = cli("summary", GOOD, "-o", tmp_path / "s.json")
    assert "summed 1 report (template 2021)" in result.stderr


# --- check ----------------------------------------------------------------------------


def test_check_summary_line_filters_and_exit_3(tmp_path):
    broken = _broken(tmp_path)
    unreadable = tmp_path / "unreadable.json"
    unreadable.write_text("{", encoding="utf-8")
    result = cli("check", broken, GOOD, unreadable, "--language", "en")
    assert result.returncode == 3, "an error finding and an unreadable file: 1 | 2"
    last = result.stderr.splitlines()[-1]
    assert last.startswith("checked 2 reports: ")
    assert "2 errors, 0 warnings" in last
    assert last.endswith("; 1 unreadable file")

    quiet = cli("check", broken, "--quiet")
    assert quiet.returncode == 1
    assert quiet.stdout == ""
    assert "checked 1 report" in quiet.stderr

    only = cli("check", broken, "--only", "error", "--format", "json")
    findings = orjson.loads(only.stdout)[0]["findings"]
    assert findings
    assert {f["severity"] for f in findings} == {"error"}
    assert only.returncode == 1
    minimum = cli("check", broken, "--min-severity", "warning", "--format", "json")
    assert "not_assessable" not in {
        f["severity"] for f in orjson.loads(minimum.stdout)[0]["findings"]
    }


def test_check_json_names_the_files_it_could_not_read(tmp_path):
    unreadable = tmp_path / "unreadable.json"
    unreadable.write_text("{", encoding="utf-8")
    result = cli("check", GOOD, unreadable, "--format", "json")
    assert result.returncode == 2
    document = orjson.loads(result.stdout)
    assert [record["input"] for record in document] == [str(GOOD), str(unreadable)]
    assert "not valid JSON" in document[1]["error"]


def test_check_reads_stdin():
    result = cli("check", "-", "-v", stdin=GOOD.read_bytes())
    assert result.returncode == 0, result.stderr
    assert "== <stdin>" in result.stdout
    result = cli("check", "-", stdin=PAGE.read_bytes())
    assert result.returncode in (0, 1), result.stderr


def test_check_series_names_the_files(tmp_path):
    a = tmp_path / "a.json"
    b = tmp_path / "b.json"
    shutil.copy(OLD, a)
    data = json.loads(OLD.read_text(encoding="utf-8"))
    data["meta"]["year"] = 2021
    data["template"] = "2019"
    b.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    result = cli("check", a, b, "--series", "--language", "en")
    series = result.stdout.split("== (series)")[1]
    assert series.strip(), result.stdout
    assert str(a) in series
    assert str(b) in series
    result = cli("check", a, b, "--series", "--format", "json")
    (record,) = [r for r in orjson.loads(result.stdout) if r["input"] == "(series)"]
    assert record["findings"]
    assert all(set(f["files"]) == {str(a), str(b)} for f in record["findings"])


@pytest.mark.parametrize(
    "command",
    [
        ("check", "{many}"),
        ("check", "{many}", "--format", "json"),
        ("render", str(GOOD)),
        ("schema",),
    ],
)
def test_a_closed_pipe_is_quiet(tmp_path, command):
    many = tmp_path / "many"
    many.mkdir()
    for index in range(40):
        shutil.copy(_broken(tmp_path), many / f"r{index}.json")
    args = [part.replace("{many}", str(many)) for part in command]
    process = subprocess.Popen(
        [sys.executable, "-m", "disclosure_schema", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=ENV,
    )
    assert process.stdout is not None
    process.stdout.readline()
    process.stdout.close()  # as `| head -1` does
    _, err = process.communicate(timeout=120)
    assert b"Broken pipe" not in err
    assert b"Traceback" not in err
    assert process.returncode in (0, 141), err


# --- render and summary -----------------------------------------------------------------


def test_render_full_page_marks_flagged_cells(tmp_path):
    broken = _broken(tmp_path)
    page = tmp_path / "report.html"
    result = cli("render", broken, "--format", "html", "--full-page", "--findings", "-o", page)
    assert result.returncode == 0, result.stderr
    text = page.read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>")
    assert '<meta charset="utf-8">' in text
    assert "@page { size: A4" in text
    assert 'class="data flagged flagged-error" data-key="requests.received.total"' in text
    markdown = cli("render", broken, "--findings")
    assert "⚠" in markdown.stdout
    plain = cli("render", GOOD)
    assert "⚠" not in plain.stdout


def test_render_a_folder_into_a_folder(tmp_path):
    folder = tmp_path / "reports"
    (folder / "sub").mkdir(parents=True)
    shutil.copy(GOOD, folder / "a.json")
    shutil.copy(OLD, folder / "sub" / "b.json")
    out = tmp_path / "html"
    result = cli("render", folder, "--format", "html", "--full-page", "-o", out)
    assert result.returncode == 0, result.stderr
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*.html")) == [
        "a.html",
        "sub/b.html",
    ]
    assert "2 rendered, 0 failed" in result.stderr
    assert cli("render", folder).returncode == 2  # several inputs need -o FOLDER


def test_summary_refuses_mixed_years_and_unknown_formats(tmp_path):
    data = json.loads(GOOD.read_text(encoding="utf-8"))
    data["meta"]["year"] = 2022
    other = tmp_path / "other-year.json"
    other.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    target = tmp_path / "sum.json"
    result = cli("summary", GOOD, other, "-o", target)
    assert result.returncode == 2
    assert "different years" in result.stderr
    assert not target.exists()
    result = cli("summary", GOOD, other, "-o", target, "--allow-mixed-years")
    assert result.returncode == 0, result.stderr
    assert "warning: the inputs are of different years" in result.stderr

    csv = tmp_path / "sum.csv"
    result = cli("summary", GOOD, "-o", csv)
    assert result.returncode == 2
    assert "unknown format '.csv'" in result.stderr
    assert not csv.exists()
    markdown = tmp_path / "sum.md"
    assert cli("summary", GOOD, "-o", markdown).returncode == 0
    assert markdown.read_text(encoding="utf-8").startswith("# ")


# --- the batch runner ------------------------------------------------------------------


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux /proc")
def test_workers_die_with_a_killed_parent(tmp_path):
    pages = tmp_path / "pages"
    pages.mkdir()
    for index in range(400):
        shutil.copy(PAGE, pages / f"p{index:03}.html")
    out = tmp_path / "out"
    process = subprocess.Popen(
        [sys.executable, "-m", "disclosure_schema", "parse", pages, "-o", out, "-j", "2"],
        env=ENV,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    workers: list[int] = []
    while time.monotonic() < deadline and len(workers) < 2:
        workers = _children(process.pid)
        time.sleep(0.05)
    assert len(workers) >= 2, "the workers should have started"
    process.kill()  # kill -9: no clean-up code runs in the parent
    process.wait()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(map(_alive, workers)):
        time.sleep(0.05)
    assert not any(map(_alive, workers)), "the workers outlived their parent"


def test_a_failure_list_that_cannot_be_written_is_printed(tmp_path):
    notice = tmp_path / "pages" / "notice.txt"
    notice.parent.mkdir()
    notice.write_text("今天天气很好。\n", encoding="utf-8")
    shutil.copy(PAGE, tmp_path / "pages" / "a.html")
    blocked = tmp_path / "blocked"
    blocked.write_text("", encoding="utf-8")  # a file where the errors file's folder should be
    result = cli(
        "parse", tmp_path / "pages", "-o", tmp_path / "out", "--errors", blocked / "e.jsonl"
    )
    assert result.returncode == 2
    assert f"failed: {notice}: not a report page" in result.stderr
    assert "cannot write the failures list" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_folder_without_pages_is_an_error_not_zero_parsed(tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    result = cli("parse", empty, "-o", tmp_path / "out")
    assert result.returncode == 2
    assert "no pages found" in result.stderr
    assert "(1 other file ignored)" in result.stderr


def test_several_outputs_need_a_folder_not_a_file(tmp_path):
    existing = tmp_path / "out.json"
    existing.write_text("{}", encoding="utf-8")
    result = cli("parse", PAGE, GOOD, "-o", existing)
    assert result.returncode == 2
    assert "not a folder" in result.stderr
    assert existing.read_text(encoding="utf-8") == "{}"


def test_render_reads_stdin():
    result = cli("render", "-", "--format", "text", stdin=GOOD.read_bytes())
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout.strip()
