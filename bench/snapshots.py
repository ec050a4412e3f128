"""What snapshots and the aggregate cache do for a long-lived record.

Run it as ``.venv/bin/python -m bench.snapshots [--backend sqlite|postgres|both]``.

**Command time.** One command (``change_funding`` through the dispatcher, with JSON-style input as the
API sends it) on a body with 10 events and on bodies with 10,000 events, timed side by side in one run
with three hubs over the same store: ``replay`` (no snapshots, no cache: every command folds every event
from the first, as before snapshots), ``snapshots`` (no cache: the nearest snapshot and at most 100
events; what a process sees the first time it loads a record) and ``snapshots + cache`` (the default:
the cached record brought up to date with the events saved since, then deep-copied). The rounds are
interleaved (every body and every configuration in turn), the median is reported, and each long body's
time is divided by the 10-event body's time in the same configuration: the ratio to watch (target: at
most 2).

Two long bodies, because what a load costs after snapshots depends on the state, not on the events:
``governance``, 10,000 changes of funding and terms of reference (the state stays the size of one body),
and ``membership``, 5,000 people who joined and left (the body keeps every past member, so its state
holds 5,000 memberships: the snapshot to decode and the copy from the cache grow with it).

A server worker's memory is measured by bench.server.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from uuid import UUID

import click

from application.commands import Dispatcher
from application.hub import PartnershipHub
from application.settings import Settings, sqlite_url
from bench.report import Result, result
from domain.actor import Actor
from domain.body import Body, Decision

OFFICER = Actor("officer", "partnership_officer", "Priya Officer")
SAVE_EVERY = 500
CONFIGURATIONS = ("replay", "snapshots", "snapshots + cache")


# ------------------------------------------------------------------ command time


@dataclass(frozen=True)
class LongBody:
    label: str
    events: int
    shape: str  # "governance", "mixed" (one change in 20 is a member joining or leaving) or "membership"


def record_history(hub: PartnershipHub, name: str, events: int, shape: str) -> UUID:
    """A body with ``events`` events, recorded on the domain object and saved in batches (fast)."""
    body_id = hub.establish_body(
        OFFICER, name=name, kind="consultative_group", decision=Decision("bench", effective_date=date(2020, 1, 1))
    )
    body: Body = hub.body(body_id)
    n = 0
    while body.version < events:
        n += 1
        decision = Decision(f"change {n}", effective_date=date(2020, 1, 1))
        membership = shape == "membership" or (shape == "mixed" and n % 20 in (19, 0))
        if not membership:
            if n % 2:
                body.change_funding(actor=OFFICER, at=hub.clock(), annual_funding_pence=n, council_funding_until=None,
                                    decision=decision)  # fmt: skip
            else:
                body.adopt_terms_of_reference(actor=OFFICER, at=hub.clock(), text=f"Terms {n}", decision=decision)
        elif n % 2:
            body.add_member(actor=OFFICER, at=hub.clock(), member_id=f"m{n}", person=f"Person {n}", role="member",
                            representation="carer", effective_date=date(2021, 1, 1))  # fmt: skip
        else:
            body.remove_member(actor=OFFICER, at=hub.clock(), member_id=f"m{n - 1}", effective_date=date(2021, 6, 1),
                               reason="moved away")  # fmt: skip
        if len(body.pending_events) >= SAVE_EVERY:
            hub.save(body)
    hub.save(body)
    return body_id


def hubs(url: str, files: Path) -> dict[str, PartnershipHub]:
    plain = Settings(url, url, files, aggregate_cache_size=0)
    return {
        "replay": PartnershipHub(plain, env={"IS_SNAPSHOTTING_ENABLED": "n"}),
        "snapshots": PartnershipHub(plain),
        "snapshots + cache": PartnershipHub(Settings.for_url(url, files_dir=files)),
    }


def measure_commands(label: str, url: str, files: Path, long_events: int, repeats: int) -> None:
    bodies = [
        LongBody("10 events", 10, "governance"),
        LongBody(f"{long_events:,} governance changes", long_events, "governance"),
        LongBody(f"{long_events:,}, 1 in 20 membership", long_events, "mixed"),
        LongBody(f"{long_events:,} membership changes", long_events, "membership"),
    ]
    configured = hubs(url, files)
    try:
        started = time.perf_counter()
        ids = {b.label: record_history(configured["snapshots"], f"Bench {b.label}", b.events, b.shape) for b in bodies}
        click.echo(f"{label}: bodies recorded in {time.perf_counter() - started:.0f} s")
        samples: dict[tuple[str, str], list[float]] = {(b.label, c): [] for b in bodies for c in CONFIGURATIONS}
        pence = iter(range(1_000_000, 2_000_000))  # a new figure each time: the same one is refused
        for _ in range(repeats):
            for b in bodies:
                for name, hub in configured.items():
                    dispatcher = Dispatcher(hub)
                    data = {"annual_funding_pence": next(pence), "reason": "bench"}
                    begun = time.perf_counter()
                    dispatcher.run("change_funding", OFFICER, subject_id=ids[b.label], data=data)
                    samples[(b.label, name)].append((time.perf_counter() - begun) * 1000)
        held = ", ".join(f"{len(configured['replay'].body(ids[b.label]).members):,}" for b in bodies[2:])
        click.echo(
            f"{label}: one change_funding through the dispatcher, median of {repeats} interleaved runs, ms "
            f"(memberships held by the last two bodies: {held})"
        )
        click.echo(f"  {'body':34s}" + "".join(f"{c:>20s}" for c in CONFIGURATIONS))
        median = {key: statistics.median(values) for key, values in samples.items()}
        for b in bodies:
            click.echo(f"  {b.label:34s}" + "".join(f"{median[(b.label, c)]:20.1f}" for c in CONFIGURATIONS))
        small = bodies[0].label
        for b in bodies[1:]:
            ratios = "".join(f"{median[(b.label, c)] / median[(small, c)]:19.1f}x" for c in CONFIGURATIONS)
            click.echo(f"  {'ratio ' + b.label + ' / 10':34s}{ratios}")
            report_row(label, b, median[(b.label, DEFAULT)], median[(small, DEFAULT)])
    finally:
        for hub in configured.values():
            hub.close()


DEFAULT = "snapshots + cache"  # what a server runs with
TARGET = 2.0


def report_row(label: str, body: LongBody, long_ms: float, small_ms: float) -> None:
    """One row of make bench's summary: the long body against the 10-event one, as the server runs."""
    ratio = long_ms / small_ms
    why = ""
    if ratio > TARGET:
        why = (
            f"with snapshots and the cache no event is replayed, so what is left grows with what the record "
            f"holds ({body.label}), not with its events: each load deep-copies the cached body and each new "
            f"snapshot encodes it whole. A cache that hands out the aggregate copy-on-write, or a body that "
            f"keeps past memberships out of its state, would close it."
        )
    result(
        Result(
            row="snapshots",
            backend=label.lower(),
            events=body.events,
            measured=f"{long_ms:.1f} ms ({body.label})",
            floor=f"{small_ms:.1f} ms on a body of 10 events",
            ratio=f"{ratio:.1f}x",
            target="<= 2x",
            met=ratio <= TARGET,
            why=why,
        )
    )


@contextmanager
def command_stores(backend: str) -> Iterator[list[tuple[str, str, Path]]]:
    with ExitStack() as stack:
        workdir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="phub-bench-snapshots-")))
        chosen = []
        if backend in ("sqlite", "both"):
            chosen.append(("SQLite", sqlite_url(workdir / "commands.sqlite3"), workdir / "files"))
        if backend in ("postgres", "both"):
            from tests.support.postgres import PostgresServer

            server = PostgresServer().start()
            stack.callback(server.stop)
            chosen.append(("PostgreSQL", server.create_database("bench_snapshots"), workdir / "files"))
        yield chosen


@click.command()
@click.option("--events", "long_events", default=10_000, show_default=True, help="Events on each long body.")
@click.option("--repeats", default=10, show_default=True, type=click.IntRange(3), help="Commands per body and set-up.")
@click.option("--backend", type=click.Choice(["sqlite", "postgres", "both"]), default="sqlite", show_default=True)
def main(long_events: int, repeats: int, backend: str) -> None:
    """One command on long-lived bodies against a new one, with and without snapshots and the cache."""
    with command_stores(backend) as stores:
        for label, url, files in stores:
            measure_commands(label, url, files, long_events, repeats)


if __name__ == "__main__":
    main()
