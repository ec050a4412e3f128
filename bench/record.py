"""How fast the record proves itself and moves, next to reading the log with no work at all.

Run it as ``.venv/bin/python -m bench.record [--events N] [--backend sqlite|postgres|both]`` (default
100,000 events, SQLite). On the benchmarks' SQLite store of that many events made by the real commands
(bench/store.py: the framework import, then the demo seeder; kept under ``./var/bench`` and shared with
bench.server) and, for PostgreSQL, a copy of it in a throwaway cluster, it measures in one run, per backend:

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
from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path

import click

from application.hub import PartnershipHub
from application.record_file import export_record, files_dir_for, import_record
from application.settings import Settings, sqlite_url
from bench import store
from bench.report import Result, result
from projections.runner import BATCH_SIZE

TARGET = 0.3
# What limits a step that misses (from its profile), and what would close it.
WHY = {
    "audit verify": "every event's stored bytes are hashed and its link recomputed in Python, one event at a time.",
    "export": "each event is written as its own JSON line with its stored state decoded and re-encoded, and each "
    "uploaded file is copied beside the export; writing the stored bytes as they are would close most of it.",
    "import": "three rows per event (the event, its link in the chain, its timeline row) go through SQLAlchemy's "
    "parameter handling, which is most of the time in a profile, and each uploaded file is hashed; passing "
    "the rows to the driver directly would be the first thing to try.",
}
READ_BATCH = BATCH_SIZE  # as the read models read the log


def rate(count: int, seconds: float) -> float:
    return count / seconds if seconds > 0 else float("inf")


def read_rate(hub: PartnershipHub) -> float:
    """The whole log read in batches, nothing done with it: the floor."""
    started = time.perf_counter()
    count, start = 0, 1
    while notifications := hub.recorder.select_notifications(start=start, limit=READ_BATCH):
        count += len(notifications)
        start = notifications[-1].id + 1
    return rate(count, time.perf_counter() - started)


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(backend: str, hub: PartnershipHub, new_store: Callable[[Path], PartnershipHub]) -> None:
    count = hub.recorder.max_notification_id() or 0
    click.echo(f"{backend}: {count:,} events; peak memory {peak_mib():.0f} MiB before measuring")
    raw = read_rate(hub)
    click.echo(f"  raw read       {raw:12,.0f} events/s                          peak {peak_mib():.0f} MiB")

    def report(name: str, value: float) -> None:
        ratio = value / raw
        verdict = "ok" if ratio >= TARGET else f"BELOW {TARGET}"
        click.echo(
            f"  {name:14s} {value:12,.0f} events/s  {ratio:5.2f} of raw read ({verdict})  peak {peak_mib():.0f} MiB"
        )
        result(
            Result(
                row=name.split()[-1], backend=backend, events=count, measured=f"{value:,.0f} events/s",
                floor=f"{raw:,.0f} events/s raw read; peak memory {peak_mib():.0f} MiB", ratio=f"{ratio:.2f}",
                target=f">= {TARGET}, memory flat", met=ratio >= TARGET, why="" if ratio >= TARGET else WHY[name],
            )
        )  # fmt: skip

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
            target.close()
        click.echo(f"  export file: {exported.stat().st_size / 2**20:.1f} MiB")
    finally:
        shutil.rmtree(work, ignore_errors=True)


@click.command()
@click.option("--events", default=100_000, show_default=True, type=click.IntRange(100, 10_000_000))
@click.option("--backend", type=click.Choice(["sqlite", "postgres", "both"]), default="sqlite", show_default=True)
def main(events: int, backend: str) -> None:
    """audit verify, export and import rates against the raw log-read rate, on SQLite and/or PostgreSQL."""
    with ExitStack() as stack:
        source = store.services_for(sqlite_url(store.events_store(events)))
        stack.callback(source.close)
        if backend in ("sqlite", "both"):
            measure(
                "sqlite",
                source.hub,
                lambda work: PartnershipHub(
                    Settings.for_url(sqlite_url(work / "imported.sqlite3"), files_dir=work / "files")
                ),
            )
        if backend in ("postgres", "both"):
            server = stack.enter_context(store.postgres_server())
            copy = store.services_for(server.create_database("phub_bench_record"))
            stack.callback(copy.close)
            store.copy_log(source, copy)

            def empty(work: Path) -> PartnershipHub:
                url = server.create_database("phub_bench_import")
                return PartnershipHub(Settings.for_url(url, files_dir=work / "files"))

            measure("postgresql", copy.hub, empty)


if __name__ == "__main__":
    main()
