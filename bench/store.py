"""The benchmarks' event stores: made once by the real commands, kept under ./var/bench, copied from there.

``events_store(n)`` is a SQLite store of at least ``n`` events: the real framework imported, then demo
history recorded through the dispatcher (``DemoPlan``), as a council's would be. Making 100,000 events
that way takes minutes, so the store is kept and reused; while it is made, SQLite does not wait for the
disk on each commit (``synchronous=OFF``, for this one-off load only: nothing measured runs like that).
``prefix_store(source, n)`` copies the first ``n`` events of a store (their log and timeline rows), so a
10,000-event store is the first tenth of the 100,000-event one. ``postgres_copy`` puts a store's log into
a throwaway PostgreSQL cluster. Everything is built through ``bootstrap.build``, the composition root.
"""

from __future__ import annotations

import math
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

import click
from eventsourcing.persistence import Notification
from sqlalchemy import Engine, event, insert, select

from application import bootstrap
from application.bootstrap import Services
from application.importer import import_framework
from application.persistence import event_timeline
from application.settings import Settings, sqlite_url
from demo.seed import DemoPlan, Step, run_steps

BENCH_DIR = Path("var") / "bench"
DEMO_SEED = 2026
# A fixed "today", so a store built on another day replays the same history.
DEMO_TODAY = date(2026, 1, 1)
# The demo records about 16 events per body (members, meetings, elections, project reports).
PROBE_BODIES = 40
COPY_BATCH = 2_000


def services_for(url: str) -> Services:
    return bootstrap.build(Settings.for_url(url, files_dir=BENCH_DIR / "files"))


def event_count(services: Services) -> int:
    return services.hub.recorder.max_notification_id() or 0


def engine_of(services: Services) -> Engine:
    engine = services.hub.recorder.datastore.engine
    assert isinstance(engine, Engine)
    return engine


def remove_sqlite_file(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


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


def _counted(steps: Sequence[Step], update: Callable[[int], None]) -> Iterator[Step]:
    for step in steps:
        yield step
        update(1)


def demo_steps(services: Services, wanted: int) -> list[Step]:
    """A demo plan with at least ``wanted`` commands (about one event each), not many more, sized from a
    small probe plan rather than a fixed guess of steps per body (which goes stale as the demo grows)."""
    probe = DemoPlan(services.dispatcher, bodies=PROBE_BODIES, seed=DEMO_SEED, today=DEMO_TODAY).build()
    bodies = max(1, math.ceil(wanted * PROBE_BODIES / max(1, len(probe))))
    while True:
        steps = DemoPlan(services.dispatcher, bodies=bodies, seed=DEMO_SEED, today=DEMO_TODAY).build()
        if len(steps) >= wanted:
            return steps
        bodies = math.ceil(bodies * wanted / len(steps)) + 1


def _not_waiting_for_the_disk(engine: Engine) -> None:
    engine.dispose()

    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.execute("PRAGMA synchronous=OFF")


def generate_events(path: Path, events: int) -> None:
    """Imports the real framework, then records demo history through the application's commands."""
    services = services_for(sqlite_url(path))
    try:
        _not_waiting_for_the_disk(engine_of(services))
        import_framework(services.dispatcher)
        steps = demo_steps(services, events - event_count(services))
        with progress("Recording demo history", len(steps)) as update:
            run_steps(services.dispatcher, _counted(steps, update))
        if event_count(services) < events:
            raise click.ClickException(f"the demo recorded {event_count(services):,} events, fewer than {events:,}")
    finally:
        services.close()


def events_store(events: int) -> Path:
    """The SQLite store of at least ``events`` events under ./var/bench, made unless it is already there."""
    path = BENCH_DIR / f"events-{events}.sqlite3"
    if path.exists():
        services = services_for(sqlite_url(path))
        held = event_count(services)
        services.close()
        if held >= events:
            click.echo(f"Reusing {path} ({held:,} events).")
            return path
        click.echo(f"{path} holds too few events (an interrupted run?); making it again.")
        remove_sqlite_file(path)
    started = time.perf_counter()
    generate_events(path, events)
    click.echo(f"Made {path}: {events:,}+ events through the commands in {time.perf_counter() - started:.0f} s.")
    return path


def batches(services: Services, size: int, last: int | None = None) -> Iterator[list[Notification]]:
    """The notification log, ``size`` at a time, up to position ``last`` (the whole log by default)."""
    start = 1
    while notifications := services.hub.recorder.select_notifications(start=start, limit=size, stop=last):
        yield notifications
        start = notifications[-1].id + 1


def copy_log(source: Services, target: Services, last: int | None = None) -> int:
    """Copies the stored events up to position ``last`` and their timeline rows, in order, into an empty store."""
    copied: set[tuple[Any, int]] = set()
    total = min(event_count(source), last or event_count(source))
    with progress("Copying the log", total) as update:
        for notifications in batches(source, COPY_BATCH, last):
            target.hub.recorder.insert_events(notifications)
            copied.update((n.originator_id, n.originator_version) for n in notifications)
            update(len(notifications))
    with engine_of(source).connect() as reader, engine_of(target).begin() as writer:
        rows = reader.execute(select(event_timeline)).mappings()
        while chunk := rows.fetchmany(COPY_BATCH):
            kept = [dict(r) for r in chunk if (r["originator_id"], r["originator_version"]) in copied]
            if kept:
                writer.execute(insert(event_timeline), kept)
    if event_count(target) != total:
        raise click.ClickException("the copied log does not end where it should")
    return total


def prefix_store(source: Path, events: int) -> Path:
    """A SQLite store holding the first ``events`` events of ``source``, made once and kept."""
    path = BENCH_DIR / f"{source.stem}-first-{events}.sqlite3"
    if path.exists():
        copy = services_for(sqlite_url(path))
        held = event_count(copy)
        copy.close()
        if held == events:
            return path
        remove_sqlite_file(path)  # an interrupted copy
    original, copy = services_for(sqlite_url(source)), services_for(sqlite_url(path))
    try:
        copy_log(original, copy, last=events)
    finally:
        original.close()
        copy.close()
    return path


def caught_up(services: Services) -> None:
    """Brings the store's read models up to its log (quick when they already are)."""
    behind = max(services.read_models.lag().values(), default=0)
    if behind:
        started = time.perf_counter()
        services.read_models.catch_up()
        click.echo(f"Read models caught up with {behind:,} events in {time.perf_counter() - started:.0f} s.")


@contextmanager
def postgres_copy(source: Services, name: str, last: int | None = None) -> Iterator[Services]:
    """A throwaway PostgreSQL cluster holding a copy of ``source``'s log; stopped on the way out."""
    from tests.support.postgres import PostgresServer

    server = PostgresServer().start()
    try:
        services = services_for(server.create_database(name))
        try:
            started = time.perf_counter()
            copied = copy_log(source, services, last)
            click.echo(f"Copied {copied:,} events to PostgreSQL in {time.perf_counter() - started:.0f} s.")
            yield services
        finally:
            services.close()
    finally:
        server.stop()
