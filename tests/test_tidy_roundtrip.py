"""Tidy export → re-import gives back every cell, in every format."""

from __future__ import annotations

import tempfile
from pathlib import Path

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from disclosure_schema import (
    Report,
    WrittenValue,
    cells,
    from_json,
    read_tidy,
    reports_from_tidy,
    write_tidy,
)
from tests.strategies import reports

ROOT = Path(__file__).resolve().parent.parent
FORMATS = (".csv", ".jsonl", ".parquet")


def _written_texts(report: Report) -> dict[str, tuple[str, str | None]]:
    texts: dict[str, tuple[str, str | None]] = {}
    for entry in report.as_written:
        texts.setdefault(entry.key, (entry.text, entry.unit))
    return texts


def _round_trip(batch: list[Report], suffix: str, *, excel: bool = False) -> list[Report]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"cells{suffix}"
        write_tidy(batch, path, excel=excel)
        return list(reports_from_tidy(read_tidy(path)))


def _fits_parquet(report: Report) -> bool:
    return all(
        value is None or not hasattr(value, "as_tuple") or -value.as_tuple().exponent <= 6
        for value in cells(report).values()
    )


@pytest.mark.parametrize("suffix", FORMATS)
def test_examples_round_trip(suffix: str) -> None:
    batch = [
        from_json(p.read_text(encoding="utf-8")) for p in sorted((ROOT / "examples").glob("*.json"))
    ]
    back = _round_trip(batch, suffix)
    assert [cells(r) for r in back] == [cells(r) for r in batch]
    assert [r.proactive.extra_rows for r in back] == [r.proactive.extra_rows for r in batch]
    assert [(r.meta.issuer, r.meta.year) for r in back] == [
        (r.meta.issuer, r.meta.year) for r in batch
    ]


@settings(max_examples=40, deadline=None)
@given(st.lists(reports, min_size=1, max_size=3), st.sampled_from(FORMATS), st.booleans())
def test_every_cell_comes_back(batch: list[Report], suffix: str, excel: bool) -> None:
    batch = [attrs.evolve(r, proactive=attrs.evolve(r.proactive, extra_rows=())) for r in batch]
    if suffix == ".parquet":
        batch = [r for r in batch if _fits_parquet(r)]
    back = _round_trip(batch, suffix, excel=excel and suffix == ".csv")
    assert [cells(r) for r in back] == [cells(r) for r in batch]
    for original, rebuilt in zip(batch, back, strict=True):
        # a text equal to the plain value is not repeated, and "" reads back as none;
        # an entry with a unit is kept, its text then the plain value where it was none
        expected = {}
        for key, (text, unit) in _written_texts(original).items():
            plain = _plain(cells(original)[key])
            if text not in (plain, ""):
                expected[key] = (text, unit)
            elif unit is not None:
                expected[key] = (plain or "", unit)
        assert _written_texts(rebuilt) == expected


def _plain(value: object) -> str | None:
    if value is None:
        return None
    return format(value, "f") if not isinstance(value, int) else str(value)


@pytest.mark.parametrize("suffix", FORMATS)
def test_written_units_come_back(suffix: str) -> None:
    """``reports_from_tidy(read_tidy(p))`` gives back each WrittenValue's unit."""
    report = from_json((ROOT / "examples" / "example-2021.json").read_text(encoding="utf-8"))
    written = (
        WrittenValue(key="proactive.fees.amount", text="1.5万元", unit="万元"),
        WrittenValue(key="requests.received.total", text="52", unit="件"),
    )
    report = attrs.evolve(report, as_written=written)
    [back] = _round_trip([report], suffix)
    assert {(w.key, w.text, w.unit) for w in back.as_written} == {
        (w.key, w.text, w.unit) for w in written
    }


def test_the_same_report_twice_comes_back_twice() -> None:
    report = from_json((ROOT / "examples" / "example-2021.json").read_text(encoding="utf-8"))
    for suffix in FORMATS:
        assert len(_round_trip([report, report], suffix)) == 2
