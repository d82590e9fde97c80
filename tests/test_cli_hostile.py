"""The CLI on hostile files: exit 0 or 2 with a one-line reason, never a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

SEED = Path(__file__).resolve().parents[2] / "shared" / "seed" / "chengguan-2020.txt"


def _hostile(folder: Path) -> dict[str, Path]:
    files = {
        "empty.txt": b"",
        "random.bin": os.urandom(100_000),
        "digits.txt": b"1234567890" * 2_100_000,  # 21 MB: over the page limit
        "lines.txt": b"1\n" * 100_000,  # more lines than Limits.max_tokens
        "nested.html": b"<div>" * 200_000 + b"x" + b"</div>" * 200_000,
        "spans.html": b"<table>"
        + b'<tr><td rowspan="9999999" colspan="9999999">1</td></tr>' * 500
        + b"</table>",
    }
    paths = {}
    for name, data in files.items():
        paths[name] = folder / name
        paths[name].write_bytes(data)
    return paths


def _parse(page: Path, output: Path) -> subprocess.CompletedProcess[str]:
    """`disclosure-schema parse PAGE -o OUTPUT` in a fresh interpreter, as a user runs it."""
    command = [sys.executable, "-m", "disclosure_schema", "parse", str(page), "-o", str(output)]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)


@pytest.mark.parametrize(
    "name", ["empty.txt", "random.bin", "digits.txt", "lines.txt", "nested.html", "spans.html"]
)
def test_hostile_file_gets_exit_2_and_one_line(tmp_path: Path, name: str) -> None:
    path = _hostile(tmp_path)[name]
    result = _parse(path, tmp_path / "o.json")
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert result.stderr.strip(), "a reason is printed"
    assert not (tmp_path / "o.json").exists()


@pytest.mark.skipif(not SEED.exists(), reason="needs ../shared")
def test_page_cut_mid_table_gives_the_cells_before_the_cut(tmp_path: Path) -> None:
    seed = SEED.read_text(encoding="utf-8")
    cut = tmp_path / "cut.txt"
    cut.write_text(seed[: seed.index("8.属于行政查询事项") + 40], encoding="utf-8")
    result = _parse(cut, tmp_path / "o.json")
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert "the page ends inside the tables" in result.stderr
    assert (tmp_path / "o.json").exists()
