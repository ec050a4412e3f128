"""What every benchmark shares: a figure beside its floor and target, a profile when it is missed.

A benchmark prints its own table as it goes, and one ``RESULT {json}`` line per row of the issue's
table it measures (``result``). ``make bench`` (bench/__main__.py) collects those lines from every
benchmark's output into the summary at the top of bench/results.md; a benchmark that prints none is
still run and its output kept, under its own heading.
"""

from __future__ import annotations

import cProfile
import io
import json
import os
import pstats
import re
import statistics
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from typing import Any

import click

MARK = "RESULT "

# The rows of the table, in its order: (key, what is measured, against what, the target).
ROWS: tuple[tuple[str, str, str, str], ...] = (
    ("api_write", "API write (POST /api/v1/bodies/{id}/members)", "the same command in process", ">= 0.5"),
    ("command", "in-process command (load + decide + save)", "durable floor: one-row insert per transaction", ">= 0.5"),
    ("snapshots", "one command on a body with 10,000 events", "the same on a body with 10", "<= 2x"),
    ("rebuild", "projections rebuild", "reading and decoding the same log", ">= 0.5"),
    ("reminder_scan", "reminder scan, 10,000 bodies, 100,000 meetings", "bare count(*) of the same tables", "<= 20x"),
    ("page_p99", "page p99 at >= 100,000 events", "a static file's p99", "<= 5x and <= 50 ms"),
    ("rss", "server RSS per worker", "10k against 100k events", "< 250 MB, flat"),
    # The record-integrity issue's rows.
    ("verify", "partnership-hub audit verify", "reading the log raw", ">= 0.3, memory flat"),
    ("export", "partnership-hub export", "reading the log raw", ">= 0.3, memory flat"),
    ("import", "partnership-hub import", "reading the log raw", ">= 0.3, memory flat"),
    # Issue 17, part 7.
    ("search", "search at 100,000 events (p95 of a query's median)", "a full scan (LIKE) of the same text", "< 1 s"),
)


@dataclass
class Result:
    row: str  # a key of ROWS
    backend: str  # sqlite / postgresql / "" where it does not apply
    measured: str  # the figure, with its unit
    floor: str  # what it is measured against, with its unit
    ratio: str  # figure against floor, as the target reads
    target: str
    met: bool
    events: int | None = None  # how many events the store held, where that matters
    why: str = ""  # when missed: what limits it and what would close it
    extra: dict[str, Any] = field(default_factory=dict)


def result(outcome: Result) -> None:
    """Prints one row of the summary for make bench to collect."""
    click.echo(MARK + json.dumps(asdict(outcome)))


def parse(output: str) -> list[Result]:
    return [Result(**json.loads(line[len(MARK) :])) for line in output.splitlines() if line.startswith(MARK)]


def median_of(run: Callable[[], Any], repeats: int) -> float:
    """The median seconds of ``repeats`` runs of ``run``."""
    samples = []
    for _ in range(repeats):
        started = time.perf_counter()
        run()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)


def percentile(samples: list[float], fraction: float) -> float:
    """The ``fraction`` percentile (0.99 for p99) by the nearest rank."""
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, max(0, round(fraction * len(ordered) + 0.5) - 1))]


def profile(run: Callable[[], Any], *, top: int = 14) -> str:
    """The top functions by their own time over one run of ``run``: what limits a missed target."""
    profiler = cProfile.Profile()
    profiler.enable()
    try:
        run()
    finally:
        profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("tottime").print_stats(top)
    lines = [line for line in out.getvalue().splitlines() if line.strip()]
    # Drop pstats' preamble; shorten paths to the project or the package.
    start = next((i for i, line in enumerate(lines) if line.lstrip().startswith("ncalls")), 0)
    return "\n".join(_short(line) for line in lines[start:])


def _short(line: str) -> str:
    """A profile line with paths from the project, the packages or the standard library only."""
    line = line.replace(os.getcwd() + "/", "")
    return re.sub(r"\S*/(site-packages|lib/python3\.\d+)/", "", line)


def show_profile(title: str, text: str) -> None:
    click.echo(f"\nProfile of {title} (top functions by their own time):")
    for line in text.splitlines():
        click.echo("    " + line)


@contextmanager
def stopwatch(label: str) -> Iterator[None]:
    started = time.perf_counter()
    yield
    click.echo(f"{label} in {time.perf_counter() - started:.0f} s.")
