"""How fast the read models rebuild, next to what the same database does with no projection logic at all.

Run it as ``.venv/bin/python -m bench.projections [--events N] [--backend sqlite|postgres|both]``.

Four rates are measured, side by side, in one run, on the same database and the same event log:

- **rebuild**: ``ReadModels.rebuild()``, every read model from event one: events per second.
- **raw read**: the whole notification log read with ``hub.recorder.select_notifications`` in the
  runner's batch size, nothing written: the floor that any projection pays to see the events.
- **read + decode**: the same, plus ``hub.mapper.to_domain_event`` on every notification: what the
  runner pays before a read model's own code runs.
- **plain insert**: as many rows as there are events, into a table of an integer id and a text column
  the size of an average stored event, through the read models' own engine, one transaction and one
  ``executemany`` per batch of ``BATCH_SIZE`` rows, as the runner commits: roughly what writing one
  row per event costs on this database with this driver.

Absolute times depend on the machine, its disks and whatever else runs on it, so they say little on
their own. The ratios do not: rebuild / raw read and rebuild / read + decode say how much of a rebuild
is the projections' own work, and rebuild / plain insert says how far the read models are from
"one batched row per event". Those are the figures to watch as the read models change.

The event log is made by the real application commands (bench/store.py): the framework import, then
the demo seeder, kept under ./var/bench; a log of N events is the first N of a bigger kept store when
there is one. PostgreSQL gets a copy of that same log (the stored events and the timeline rows, in
notification order) in a throwaway cluster, so both backends replay an identical history. Each
measurement runs ``--repeats`` times (default 3) and the median is reported, unless one measurement
has used up ``--budget`` seconds, which keeps a slow rebuild from running the benchmark past its time.

The row it reports (bench/report.py): rebuild against read + decode, target at least 0.5. When it is
missed, one more rebuild runs under the profiler and its SQL statements are counted.
"""

from __future__ import annotations

import math
import os
import random
import statistics
import string
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import click
from sqlalchemy import Column, Engine, Integer, MetaData, Table, Text, event, insert

from application.bootstrap import Services
from application.settings import sqlite_url
from bench import store
from bench.report import Result, profile, result, show_profile
from projections.runner import BATCH_SIZE, ReadModels

REBUILD = "rebuild"
RAW_READ = "raw read"
READ_DECODE = "read + decode"
PLAIN_INSERT = "plain insert"
MEASUREMENTS = (REBUILD, RAW_READ, READ_DECODE, PLAIN_INSERT)
RATIOS = ((REBUILD, RAW_READ), (REBUILD, READ_DECODE), (REBUILD, PLAIN_INSERT))
TARGET = 0.5  # rebuild / read + decode

plain_rows = Table(
    "bench_plain_rows",
    MetaData(),
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("payload", Text, nullable=False),
)


@dataclass
class BackendResult:
    backend: str
    events: int
    event_bytes: int
    samples: dict[str, list[float]] = field(default_factory=dict)

    def median(self, measurement: str) -> float:
        return statistics.median(self.samples[measurement])


# ------------------------------------------------------------------ the event store


def store_of(events: int) -> Path:
    """A SQLite store of exactly ``events`` events: the first of a bigger kept store, or one made for it."""
    kept = sorted(
        (int(p.stem.split("-")[1]), p)
        for p in store.BENCH_DIR.glob("events-*.sqlite3")
        if p.stem.split("-")[1].isdigit() and "-first-" not in p.stem
    )
    source = next((p for n, p in kept if n >= events), None) or store.events_store(events)
    return store.prefix_store(source, events)


def mean_event_bytes(services: Services, samples: int = 10) -> int:
    """The average size of a stored event's state, from batches spread along the log."""
    head = store.event_count(services)
    sizes: list[int] = []
    for k in range(samples):
        batch = services.hub.recorder.select_notifications(start=1 + head * k // samples, limit=BATCH_SIZE)
        sizes.extend(len(n.state) for n in batch)
    return round(statistics.fmean(sizes)) if sizes else 0


# ------------------------------------------------------------------ the measurements


def rate(count: int, seconds: float) -> float:
    return count / seconds if seconds > 0 else math.inf


def timed(run: Callable[[], int]) -> float:
    """Runs ``run`` and returns how many things it did per second."""
    started = time.perf_counter()
    count = run()
    return rate(count, time.perf_counter() - started)


def rebuild_rate(models: ReadModels) -> float:
    return timed(models.rebuild)


def read_rate(services: Services, *, decode: bool) -> float:
    def read() -> int:
        count = 0
        for notifications in store.batches(services, BATCH_SIZE):
            if decode:
                for notification in notifications:
                    services.hub.mapper.to_domain_event(notification)
            count += len(notifications)
        return count

    return timed(read)


def plain_payloads(count: int, size: int) -> list[dict[str, Any]]:
    """``count`` rows of varied text, ``size`` characters each, made before the clock starts."""
    rng = random.Random(store.DEMO_SEED)
    source = "".join(rng.choices(string.ascii_letters + string.digits + ' ,:{}"', k=2 * size + 1_000))
    return [{"id": i + 1, "payload": source[i % 1_000 : i % 1_000 + size]} for i in range(count)]


def plain_insert_rate(engine: Engine, rows: Sequence[dict[str, Any]]) -> float:
    plain_rows.drop(engine, checkfirst=True)
    plain_rows.create(engine)

    def write() -> int:
        for first in range(0, len(rows), BATCH_SIZE):
            with engine.begin() as connection:
                connection.execute(insert(plain_rows), rows[first : first + BATCH_SIZE])
        return len(rows)

    return timed(write)


def repeated(label: str, measure: Callable[[], float], repeats: int, budget: float) -> list[float]:
    """Runs ``measure`` up to ``repeats`` times, stopping early once ``budget`` seconds are spent."""
    rates: list[float] = []
    started = time.perf_counter()
    while len(rates) < repeats:
        rates.append(measure())
        click.echo(f"  {label:14s} run {len(rates)}: {rates[-1]:>10,.0f}/s")
        if len(rates) < repeats and time.perf_counter() - started > budget:
            click.echo(f"  {label:14s} stopped after {len(rates)} run(s): the {budget:.0f} s budget is spent")
            break
    return rates


def measure_backend(backend: str, services: Services, repeats: int, budget: float, profiled: bool) -> BackendResult:
    """The four rates on one backend; with ``profiled``, a missed target gets one more rebuild under the profiler."""
    outcome = BackendResult(backend, store.event_count(services), mean_event_bytes(services))
    click.echo(f"Measuring {backend}: {outcome.events:,} events, {outcome.event_bytes} bytes each on average.")
    models = services.read_models
    try:
        rows = plain_payloads(outcome.events, outcome.event_bytes)
        plan: dict[str, Callable[[], float]] = {
            RAW_READ: lambda: read_rate(services, decode=False),
            READ_DECODE: lambda: read_rate(services, decode=True),
            PLAIN_INSERT: lambda: plain_insert_rate(models.engine, rows),
        }
        with counting(models.engine) as statements:
            outcome.samples[REBUILD] = repeated(REBUILD, lambda: rebuild_rate(models), repeats, budget)
        for name, measure in plan.items():
            outcome.samples[name] = repeated(name, measure, repeats, budget)
        runs = len(outcome.samples[REBUILD])
        per_rebuild = {k: v // runs for k, v in statements.items()}
        click.echo(
            f"  a rebuild ran {per_rebuild['statements']:,} SQL statements writing {per_rebuild['rows']:,} rows "
            f"for {outcome.events:,} events"
        )
        ratio = outcome.median(REBUILD) / outcome.median(READ_DECODE)
        why = "" if ratio >= TARGET else what_limits(models, outcome.events, per_rebuild, profiled)
        result(
            Result(
                row="rebuild", backend=backend, events=outcome.events,
                measured=f"{outcome.median(REBUILD):,.0f} events/s",
                floor=f"{outcome.median(READ_DECODE):,.0f} events/s read + decode",
                ratio=f"{ratio:.3f}", target=f">= {TARGET}", met=ratio >= TARGET, why=why,
            )
        )  # fmt: skip
    finally:
        plain_rows.drop(models.engine, checkfirst=True)
    return outcome


@contextmanager
def counting(engine: Engine) -> Iterator[dict[str, int]]:
    """Counts the SQL statements run on ``engine`` (and the rows they carry) while the block runs."""
    counts = {"statements": 0, "rows": 0}

    def count(_conn: Any, _cursor: Any, _statement: str, parameters: Any, _context: Any, many: bool) -> None:
        counts["statements"] += 1
        counts["rows"] += len(parameters) if many else 1

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield counts
    finally:
        event.remove(engine, "before_cursor_execute", count)


def what_limits(models: ReadModels, events: int, statements: dict[str, int], profiled: bool) -> str:
    """Where a slow rebuild spends its time: its SQL statements per event and, once, a profile of a rebuild."""
    if profiled:
        show_profile("one rebuild", profile(models.rebuild))
    per_event = statements["statements"] / max(1, events)
    where = "profile in this section" if profiled else "profile in the SQLite section"
    if per_event > 1:
        return (
            f"{statements['statements']:,} SQL statements for {events:,} events ({per_event:.2f} per event): the "
            "rows are written one statement at a time, so the database's per-statement cost, not the projections' "
            f"logic, sets the rate ({where}). Writing each batch's rows with one executemany per table, in one "
            "transaction, would close it."
        )
    return (
        f"{statements['statements']:,} SQL statements for {events:,} events ({per_event:.2f} per event): the "
        f"writes are batched already; the {where} shows where a rebuild spends its time."
    )


# ------------------------------------------------------------------ the report


def report(results: Sequence[BackendResult], repeats: int) -> None:
    width = 22
    click.echo("")
    click.echo(f"CPUs: {os.cpu_count()}   batch size: {BATCH_SIZE}   median of up to {repeats} runs")
    click.echo("".ljust(width) + "".join(f"{r.backend:>22s}" for r in results))
    click.echo("events".ljust(width) + "".join(f"{r.events:>22,}" for r in results))
    click.echo("bytes per event".ljust(width) + "".join(f"{r.event_bytes:>22,}" for r in results))
    for name in MEASUREMENTS:
        unit = "rows/s" if name == PLAIN_INSERT else "events/s"
        cells = "".join(f"{f'{r.median(name):,.0f} {unit} ({len(r.samples[name])})':>22s}" for r in results)
        click.echo(name.ljust(width) + cells)
    for top, bottom in RATIOS:
        cells = "".join(f"{r.median(top) / r.median(bottom):>22.3f}" for r in results)
        click.echo(f"{top} / {bottom}".ljust(width) + cells)


# ------------------------------------------------------------------ the command


@click.command()
@click.option("--events", default=20_000, show_default=True, type=click.IntRange(1_000), help="Events in the log.")
@click.option("--backend", type=click.Choice(["sqlite", "postgres", "both"]), default="sqlite", show_default=True)
@click.option("--repeats", default=3, show_default=True, type=click.IntRange(1), help="Runs per measurement.")
@click.option(
    "--budget",
    default=40.0,
    show_default=True,
    help="Seconds one measurement may take before it stops repeating.",
)
def main(events: int, backend: str, repeats: int, budget: float) -> None:
    """Rebuild rate of the read models against raw read, read + decode and plain insert rates."""
    started = time.perf_counter()
    results: list[BackendResult] = []
    with ExitStack() as stack:
        source = store.services_for(sqlite_url(store_of(events)))
        stack.callback(source.close)
        if backend in ("sqlite", "both"):
            results.append(measure_backend("sqlite", source, repeats, budget, profiled=True))
        if backend in ("postgres", "both"):
            postgres = stack.enter_context(store.postgres_copy(source, "phub_bench"))
            results.append(measure_backend("postgresql", postgres, repeats, budget, profiled=backend == "postgres"))
    report(results, repeats)
    click.echo(f"Total time: {time.perf_counter() - started:.0f} s.")


if __name__ == "__main__":
    main()
