"""``render --full-page`` as a browser shows it: a headless Chromium screenshot of the
page (skipped when Chromium is not installed)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from disclosure_schema.cli import main

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = next(
    (
        found
        for name in ("chromium", "chromium-browser", "google-chrome")
        if (found := shutil.which(name))
    ),
    None,
)


@pytest.mark.skipif(CHROMIUM is None, reason="needs chromium (apt install chromium)")
def test_full_page_screenshot_shows_ruled_tables_and_the_flagged_cell(tmp_path):
    pil = pytest.importorskip("PIL.Image")
    data = json.loads((ROOT / "examples" / "chengguan-2020.json").read_text(encoding="utf-8"))
    data["requests"]["received"]["total"] += 1  # an error finding: its cell is flagged
    report = tmp_path / "broken.json"
    report.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    page = tmp_path / "report.html"
    result = CliRunner().invoke(
        main,
        ["render", str(report), "--format", "html", "--full-page", "--findings", "-o", str(page)],
    )
    assert result.exit_code == 0, result.output
    picture = tmp_path / "report.png"
    profile = tmp_path / "profile"
    assert CHROMIUM is not None
    subprocess.run(
        [
            CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
            "--no-first-run", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", f"--user-data-dir={profile}", f"--screenshot={picture}",
            "--window-size=1200,1600", page.as_uri(),
        ],
        capture_output=True, timeout=120, check=False,
    )  # fmt: skip
    assert picture.exists(), "chromium wrote no screenshot"
    image = pil.open(picture).convert("RGB")
    assert image.size == (1200, 1600)
    colours = image.getcolors(maxcolors=1 << 20) or []
    by_colour = {colour: count for count, colour in colours}
    # the page sheet (white) on the grey background, black rules and text
    assert by_colour.get((255, 255, 255), 0) > 0.3 * 1200 * 1600
    assert by_colour.get((242, 242, 242), 0) > 0
    dark = sum(count for colour, count in by_colour.items() if max(colour) < 60)
    assert dark > 10_000, "tables with ruled borders and text"
    # the flagged cell's fill (#fbd5d2) shows in the requests table
    assert by_colour.get((0xFB, 0xD5, 0xD2), 0) > 100
