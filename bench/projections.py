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

The event log is made by the real application commands: the framework import, then the demo seeder
(``DemoPlan``) sized for the number of events asked for. The SQLite store is kept under
``./var/bench/`` and reused when it already holds enough events. PostgreSQL gets a copy of that same
log (the stored events and the timeline rows, in notification order) in a throwaway cluster, so both
backends replay an identical history. Each measurement runs ``--repeats`` times (default 3) and the
median is reported, unless one measurement has used up ``--budget`` seconds, which keeps a slow
rebuild from running the benchmark past its time.
"""

from __future__ import annotations

import math
import os
import random
import statistics
import string
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import click
from eventsourcing.persistence import Notification
from sqlalchemy import Column, Engine, Integer, MetaData, Table, Text, insert, select

from application.commands import Dispatcher
from application.hub import PartnershipHub
from application.importer import import_framework
from application.persistence import event_timeline
from application.settings import Settings, sqlite_url
from demo.seed import DemoPlan, Step, run_steps
from projections.runner import BATCH_SIZE, ReadModels

BENCH_DIR = Path("var") / "bench"
DEMO_SEED = 2026
# A fixed "today", so a store built on another day replays the same history.
DEMO_TODAY = date(2026, 1, 1)
# The demo records about 16 events per body (members, meetings, elections, project reports).
PROBE_BODIES = 40
COPY_BATCH = 2_000

REBUILD = "rebuild"
RAW_READ = "raw read"
READ_DECODE = "read + decode"
PLAIN_INSERT = "plain insert"
MEASUREMENTS = (REBUILD, RAW_READ, READ_DECODE, PLAIN_INSERT)
RATIOS = ((REBUILD, RAW_READ), (REBUILD, READ_DECODE), (REBUILD, PLAIN_INSERT))

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


def event_count(hub: PartnershipHub) -> int:
    return hub.recorder.max_notification_id() or 0


def sqlite_hub(path: Path) -> PartnershipHub:
    return PartnershipHub(Settings.for_url(sqlite_url(path)))


def remove_sqlite_file(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def cached_sqlite_store(events: int) -> PartnershipHub:
    """The SQLite store for ``events`` events under ./var/bench, built unless it is already there."""
    path = BENCH_DIR / f"events-{events}.sqlite3"
    if path.exists():
        hub = sqlite_hub(path)
        if event_count(hub) >= events:
            click.echo(f"Reusing {path} ({event_count(hub):,} events).")
            return hub
        close_hub(hub)
        click.echo(f"{path} holds too few events (an interrupted run?); building it again.")
        remove_sqlite_file(path)
    hub = sqlite_hub(path)
    started = time.perf_counter()
    generate_events(hub, events)
    click.echo(f"Generated {event_count(hub):,} events in {time.perf_counter() - started:.0f} s into {path}.")
    return hub


@contextmanager
def progress(label: str, total: int) -> Iterator[Callable[[int], None]]:
    """A progress bar on a terminal; a percentage line every tenth of the way when the output is a file."""
    if sys.stdout.isatty():
        with click.progressbar(length=total, label=label, show_pos=True, show_percent=True) as bar:
            yield bar.update
        return
    done, shown = 0, 0

    def update(count: int) -> None:
        nonlocal done, shown
        done += count
        tenths = 10 * done // max(total, 1)
        if tenths > shown:
            shown = tenths
            click.echo(f"{label}: {10 * tenths}% ({done:,} of {total:,})")

    yield update


def counted(steps: Sequence[Step], update: Callable[[int], None]) -> Iterator[Step]:
    for step in steps:
        yield step
        update(1)


def demo_steps(hub: PartnershipHub, wanted: int) -> list[Step]:
    """A demo plan with at least ``wanted`` commands (about one event each), not many more.

    Sized from a small probe plan rather than a fixed guess of steps per body, which went
    stale when the demo grew the meetings workflow and made the store 2.5 times too big.
    """
    probe = DemoPlan(Dispatcher(hub), bodies=PROBE_BODIES, seed=DEMO_SEED, today=DEMO_TODAY).build()
    bodies = max(1, math.ceil(wanted * PROBE_BODIES / max(1, len(probe))))
    while True:
        steps = DemoPlan(Dispatcher(hub), bodies=bodies, seed=DEMO_SEED, today=DEMO_TODAY).build()
        if len(steps) >= wanted:
            return steps
        bodies = math.ceil(bodies * wanted / len(steps)) + 1


def generate_events(hub: PartnershipHub, events: int) -> None:
    """Imports the real framework, then records demo history through the application's commands."""
    import_framework(Dispatcher(hub))
    steps = demo_steps(hub, events - event_count(hub))
    with progress("Recording demo history", len(steps)) as update:
        run_steps(Dispatcher(hub), counted(steps, update))
    if event_count(hub) < events:
        raise click.ClickException(f"the demo recorded {event_count(hub):,} events, fewer than {events:,}")


def batches(hub: PartnershipHub, size: int) -> Iterator[list[Notification]]:
    """The whole notification log, ``size`` at a time, as the runner reads it."""
    start = 1
    while notifications := hub.recorder.select_notifications(start=start, limit=size):
        yield notifications
        start = notifications[-1].id + 1


def engine_of(hub: PartnershipHub) -> Engine:
    engine = hub.recorder.datastore.engine
    assert isinstance(engine, Engine)
    return engine


def copy_log(source: PartnershipHub, target: PartnershipHub) -> None:
    """Copies the stored events and their timeline rows, in notification order, into an empty store."""
    started = time.perf_counter()
    with progress("Copying the log to PostgreSQL", event_count(source)) as update:
        for notifications in batches(source, COPY_BATCH):
            target.recorder.insert_events(notifications)
            update(len(notifications))
    with engine_of(source).connect() as reader, engine_of(target).begin() as writer:
        rows = reader.execute(select(event_timeline)).mappings()
        while chunk := [dict(row) for row in rows.fetchmany(COPY_BATCH)]:
            writer.execute(insert(event_timeline), chunk)
    if event_count(target) != event_count(source):
        raise click.ClickException("the copied log does not end where the original does")
    click.echo(f"Copied {event_count(target):,} events in {time.perf_counter() - started:.0f} s.")


def close_hub(hub: PartnershipHub) -> None:
    engine_of(hub).dispose()


def mean_event_bytes(hub: PartnershipHub, samples: int = 10) -> int:
    """The average size of a stored event's state, from batches spread along the log."""
    head = event_count(hub)
    sizes: list[int] = []
    for k in range(samples):
        batch = hub.recorder.select_notifications(start=1 + head * k // samples, limit=BATCH_SIZE)
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


def read_rate(hub: PartnershipHub, *, decode: bool) -> float:
    def read() -> int:
        count = 0
        for notifications in batches(hub, BATCH_SIZE):
            if decode:
                for notification in notifications:
                    hub.mapper.to_domain_event(notification)
            count += len(notifications)
        return count

    return timed(read)


def plain_payloads(count: int, size: int) -> list[dict[str, Any]]:
    """``count`` rows of varied text, ``size`` characters each, made before the clock starts."""
    rng = random.Random(DEMO_SEED)
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


def measure_backend(backend: str, hub: PartnershipHub, repeats: int, budget: float) -> BackendResult:
    result = BackendResult(backend, event_count(hub), mean_event_bytes(hub))
    click.echo(f"Measuring {backend}: {result.events:,} events, {result.event_bytes} bytes each on average.")
    models = ReadModels(hub, hub.settings.read_model_url)
    try:
        rows = plain_payloads(result.events, result.event_bytes)
        plan: dict[str, Callable[[], float]] = {
            REBUILD: lambda: rebuild_rate(models),
            RAW_READ: lambda: read_rate(hub, decode=False),
            READ_DECODE: lambda: read_rate(hub, decode=True),
            PLAIN_INSERT: lambda: plain_insert_rate(models.engine, rows),
        }
        for name, measure in plan.items():
            result.samples[name] = repeated(name, measure, repeats, budget)
    finally:
        plain_rows.drop(models.engine, checkfirst=True)
        models.close()
    return result


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


@contextmanager
def postgres_copy(source: PartnershipHub) -> Iterator[PartnershipHub]:
    """A throwaway PostgreSQL cluster holding a copy of ``source``'s log; stopped on the way out."""
    from tests.support.postgres import PostgresServer

    server = PostgresServer().start()
    try:
        hub = PartnershipHub(Settings.for_url(server.create_database("phub_bench")))
        try:
            copy_log(source, hub)
            yield hub
        finally:
            close_hub(hub)
    finally:
        server.stop()


@click.command()
@click.option("--events", default=100_000, show_default=True, type=click.IntRange(1_000), help="Events in the log.")
@click.option("--backend", type=click.Choice(["sqlite", "postgres", "both"]), default="sqlite", show_default=True)
@click.option("--repeats", default=3, show_default=True, type=click.IntRange(1), help="Runs per measurement.")
@click.option(
    "--budget",
    default=300.0,
    show_default=True,
    help="Seconds one measurement may take before it stops repeating.",
)
def main(events: int, backend: str, repeats: int, budget: float) -> None:
    """Rebuild rate of the read models against raw read, read + decode and plain insert rates."""
    started = time.perf_counter()
    results: list[BackendResult] = []
    with ExitStack() as stack:
        source = cached_sqlite_store(events)
        stack.callback(close_hub, source)
        if backend in ("sqlite", "both"):
            results.append(measure_backend("sqlite", source, repeats, budget))
        if backend in ("postgres", "both"):
            postgres = stack.enter_context(postgres_copy(source))
            results.append(measure_backend("postgresql", postgres, repeats, budget))
    report(results, repeats)
    click.echo(f"Total time: {time.perf_counter() - started:.0f} s.")


if __name__ == "__main__":
    main()
