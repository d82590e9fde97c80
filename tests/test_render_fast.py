"""The cached flattening (one layout per table shape, filled from the report) equals
flattening each table's cells anew."""

from __future__ import annotations

import pickle

from hypothesis import given, settings

from disclosure_schema import Report
from disclosure_schema.render.layout import Table, _flatten, build_document, flatten
from tests.strategies import reports


@settings(max_examples=80, deadline=None)
@given(reports)
def test_cached_flattening_equals_the_reference(report: Report) -> None:
    for language in ("zh", "en"):
        for empty in ("—", ""):
            fast = build_document(report, language=language, empty=empty)
            tables = [b for s in fast.sections for b in s.blocks if isinstance(b, Table)]
            flats = [flatten(table) for table in tables]  # before any body is built
            assert flats == [_flatten(table) for table in tables]  # builds the bodies
            assert flats == [flatten(table) for table in tables]  # from the cells now


def test_a_laid_out_table_equals_and_pickles_like_a_built_one() -> None:
    from disclosure_schema import Report2021  # noqa: PLC0415

    first, second = build_document(Report2021()), build_document(Report2021())
    assert first == second
    assert pickle.loads(pickle.dumps(first)) == first
