"""How fast the record proves itself and moves, next to reading the log with no work at all.

Run it as ``.venv/bin/python -m bench.record [--events N] [--backend sqlite|postgres|both]`` (default
100,000 events, SQLite). On a SQLite store of that many events made by the real commands (the
framework import, then the demo seeder) and kept under ``./var/bench/record-events-N.sqlite3``
(PostgreSQL gets a copy of it in a throwaway cluster), it measures in one run, per backend:

- **raw read**: the whole notification log read in the read models' batch size, nothing done with it;
- **audit verify**: ``hub.verify_record()``, every event's digest and link recomputed against the chain;
- **export**: ``partnership-hub export``'s work, the whole record written as JSON Lines to a file;
- **import**: that file loaded into a new, empty store of the same kind (one transaction, chain recomputed).

Each rate is printed beside the raw read rate and their ratio (target: each at least 0.3). The
largest resident memory the process reached is printed after each step, so a step whose memory grew
with the log would show (the work streams in batches; the figure should stay flat).
"""

from __future__ import annotations

import resource
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from datetime import date
from pathlib import Path

import click
from sqlalchemy import insert, select

from application.commands import Dispatcher
from application.hub import PartnershipHub
from application.importer import import_framework
from application.persistence import event_timeline
from application.record_file import export_record, files_dir_for, import_record
from application.settings import Settings, sqlite_url
from demo.seed import DemoPlan, run_steps
from projections.runner import BATCH_SIZE

TARGET = 0.3
BENCH_DIR = Path("var") / "bench"
READ_BATCH = BATCH_SIZE  # as the read models read the log
DEMO_SEED = 2026
DEMO_TODAY = date(2026, 1, 1)  # a fixed "today": the same history whenever the store is built


def event_count(hub: PartnershipHub) -> int:
    return hub.recorder.max_notification_id() or 0


def rate(count: int, seconds: float) -> float:
    return count / seconds if seconds > 0 else float("inf")


def close_hub(hub: PartnershipHub) -> None:
    hub.recorder.datastore.engine.dispose()


def store(events: int) -> PartnershipHub:
    """The SQLite store of at least ``events`` events under ./var/bench, made unless already there."""
    path = BENCH_DIR / f"record-events-{events}.sqlite3"
    hub = PartnershipHub(Settings.for_url(sqlite_url(path), files_dir=BENCH_DIR / f"record-files-{events}"))
    if event_count(hub) >= events:
        click.echo(f"Reusing {path} ({event_count(hub):,} events).")
        return hub
    click.echo(f"Recording {events:,} events of demo history into {path} (once; reused after)...")
    import_framework(Dispatcher(hub))
    bodies = 10
    while True:  # the demo records roughly a hundred events a body: size it by trying
        steps = DemoPlan(Dispatcher(hub), bodies=bodies, seed=DEMO_SEED, today=DEMO_TODAY).build()
        if len(steps) + event_count(hub) >= events:
            break
        bodies = bodies * 2
    run_steps(Dispatcher(hub), steps)
    return hub


def read_rate(hub: PartnershipHub) -> float:
    """The whole log read in batches, nothing done with it: the floor."""
    started = time.perf_counter()
    count, start = 0, 1
    while notifications := hub.recorder.select_notifications(start=start, limit=READ_BATCH):
        count += len(notifications)
        start = notifications[-1].id + 1
    return rate(count, time.perf_counter() - started)


def copy_log(source: PartnershipHub, target: PartnershipHub) -> None:
    """The stored events (linked again as they are inserted) and their timeline rows, in log order."""
    start = 1
    while notifications := source.recorder.select_notifications(start=start, limit=2000):
        target.recorder.insert_events(notifications)
        start = notifications[-1].id + 1
    with source.recorder.datastore.engine.connect() as reader, target.recorder.datastore.engine.begin() as writer:
        rows = reader.execute(select(event_timeline)).mappings()
        while chunk := [dict(row) for row in rows.fetchmany(2000)]:
            writer.execute(insert(event_timeline), chunk)


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(backend: str, hub: PartnershipHub, new_store: Callable[[Path], PartnershipHub]) -> None:
    count = event_count(hub)
    click.echo(f"{backend}: {count:,} events; peak memory {peak_mib():.0f} MiB before measuring")
    raw = read_rate(hub)
    click.echo(f"  raw read       {raw:12,.0f} events/s                          peak {peak_mib():.0f} MiB")

    def report(name: str, value: float) -> None:
        ratio = value / raw
        verdict = "ok" if ratio >= TARGET else f"BELOW {TARGET}"
        click.echo(
            f"  {name:14s} {value:12,.0f} events/s  {ratio:5.2f} of raw read ({verdict})  peak {peak_mib():.0f} MiB"
        )

    started = time.perf_counter()
    verification = hub.verify_record(keep=False)
    if not verification.ok:
        raise click.ClickException(f"the bench store does not verify: {verification.fault}")
    report("audit verify", rate(verification.count, time.perf_counter() - started))
    work = Path(tempfile.mkdtemp(prefix="phub-bench-record-"))
    try:
        exported = work / "record.jsonl"
        started = time.perf_counter()
        with exported.open("w", encoding="utf-8", newline="\n") as out:
            done = export_record(hub.recorder, hub.files, out, files_dir_for(exported), lambda n: None)
        report("export", rate(done.events, time.perf_counter() - started))
        target = new_store(work)
        try:
            started = time.perf_counter()
            with exported.open(encoding="utf-8") as source:
                loaded = import_record(target.recorder, target.files, source, files_dir_for(exported), lambda n: None)
            report("import", rate(loaded.events, time.perf_counter() - started))
        finally:
            close_hub(target)
        click.echo(f"  export file: {exported.stat().st_size / 2**20:.1f} MiB")
    finally:
        shutil.rmtree(work, ignore_errors=True)


@contextmanager
def postgres(source: PartnershipHub) -> Iterator[tuple[PartnershipHub, Callable[[Path], PartnershipHub]]]:
    """A throwaway cluster with a copy of ``source``'s log, and a maker of empty stores beside it."""
    from tests.support.postgres import PostgresServer

    server = PostgresServer().start()
    try:
        url = server.create_database("phub_bench_record")
        hub = PartnershipHub(Settings.for_url(url, files_dir=source.files.root))
        try:
            copy_log(source, hub)

            def empty(work: Path) -> PartnershipHub:
                url = server.create_database("phub_bench_import")
                return PartnershipHub(Settings.for_url(url, files_dir=work / "files"))

            yield hub, empty
        finally:
            close_hub(hub)
    finally:
        server.stop()


@click.command()
@click.option("--events", default=100_000, show_default=True, type=click.IntRange(100, 10_000_000))
@click.option("--backend", type=click.Choice(["sqlite", "postgres", "both"]), default="sqlite", show_default=True)
def main(events: int, backend: str) -> None:
    """audit verify, export and import rates against the raw log-read rate, on SQLite and/or PostgreSQL."""
    with ExitStack() as stack:
        source = store(events)
        stack.callback(close_hub, source)
        if backend in ("sqlite", "both"):
            measure(
                "sqlite",
                source,
                lambda work: PartnershipHub(
                    Settings.for_url(sqlite_url(work / "imported.sqlite3"), files_dir=work / "files")
                ),
            )
        if backend in ("postgres", "both"):
            hub, empty = stack.enter_context(postgres(source))
            measure("postgresql", hub, empty)


if __name__ == "__main__":
    main()
