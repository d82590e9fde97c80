"""Timing helpers shared by the bench scripts: best and median of several repeats."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from typing import Any


def per_call(
    fn: Callable[[], Any], *, repeats: int = 7, min_time: float = 0.2
) -> tuple[float, float]:
    """(best, median) seconds per call of ``fn`` over ``repeats`` timed batches.

    The batch size is chosen so one batch takes about ``min_time`` seconds; the best
    batch is the least disturbed by other processes on a shared machine.
    """
    fn()  # warm up (caches, lazily built hooks)
    number = 1
    while True:
        start = time.perf_counter()
        for _ in range(number):
            fn()
        elapsed = time.perf_counter() - start
        if elapsed >= min_time / 4:
            break
        number *= 4
    number = max(1, int(number * min_time / elapsed))
    samples = []
    for _ in range(repeats):
        start = time.perf_counter()
        for _ in range(number):
            fn()
        samples.append((time.perf_counter() - start) / number)
    return min(samples), statistics.median(samples)


def compare(
    candidates: dict[str, Callable[[], Any]], *, rounds: int = 25, batch_time: float = 0.02
) -> dict[str, tuple[float, float]]:
    """(best, median) seconds per call of each candidate, timed in turns.

    Each round times one short batch of every candidate in turn, so a burst of load
    from other processes on a shared machine hits all of them alike; the best batch is
    the least disturbed, the median shows the spread.
    """
    sizes = {}
    for label, fn in candidates.items():
        fn()  # warm up (caches, lazily built hooks)
        start = time.perf_counter()
        fn()
        once = max(time.perf_counter() - start, 1e-7)
        sizes[label] = max(1, int(batch_time / once))
    samples: dict[str, list[float]] = {label: [] for label in candidates}
    for _ in range(rounds):
        for label, fn in candidates.items():
            number = sizes[label]
            start = time.perf_counter()
            for _ in range(number):
                fn()
            samples[label].append((time.perf_counter() - start) / number)
    return {label: (min(s), statistics.median(s)) for label, s in samples.items()}


def table(headers: list[str], rows: list[list[str]]) -> str:
    """A Markdown table (pipe format), so the output can be pasted into docs/performance.md."""
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(headers)]

    def line(cells: list[str]) -> str:
        return "| " + " | ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)) + " |"

    sep = "|" + "|".join("-" * (w + 2) for w in widths) + "|"
    return "\n".join([line(headers), sep, *(line(r) for r in rows)])


def cpu_compare(
    candidates: dict[str, Callable[[], Any]], *, rounds: int = 15, batch_time: float = 0.05
) -> dict[str, float]:
    """Best CPU seconds (this process's, not wall time) per call of each candidate, timed
    in turns. On a machine shared with other jobs the wall clock counts the time others
    ran; the process's CPU time does not, so ratios stay meaningful under load."""
    sizes = {}
    for label, fn in candidates.items():
        fn()
        start = time.process_time()
        fn()
        once = max(time.process_time() - start, 1e-6)
        sizes[label] = max(1, int(batch_time / once))
    best = dict.fromkeys(candidates, float("inf"))
    for _ in range(rounds):
        for label, fn in candidates.items():
            number = sizes[label]
            start = time.process_time()
            for _ in range(number):
                fn()
            best[label] = min(best[label], (time.process_time() - start) / number)
    return best


def goal(what: str, measured: str, target: str, met: bool) -> str:
    """One line of the closing summary of ``bench/run.py`` (it collects lines so marked)."""
    return f"GOAL | {what} | {measured} | {target} | {'met' if met else 'NOT met'}"
