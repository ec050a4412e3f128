"""What snapshots and the aggregate cache do for a long-lived record, and what a server worker weighs.

Run it as ``.venv/bin/python -m bench.snapshots [--backend sqlite|postgres|both] [--no-server]``.

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

**Server memory.** ``partnership-hub serve`` (gunicorn, 2 workers x 4 threads) over the stores the
projections benchmark builds from the demo (10,000 and 100,000 events: the framework, then the demo's
bodies, members, meetings and projects through the real commands), with the read models built. Eight
clients then read the directory, read up to 400 bodies (now and "as at" now, which loads the record
from its snapshot), add a member to each (which loads it through the cache and saves) and read the
calendar and the audit log. Each worker's resident memory (VmRSS, and its peak VmHWM, from /proc) is
printed for both stores, with the ratio 100,000 / 10,000 (target: under 250 MB and flat).
"""

from __future__ import annotations

import http.client
import json
import os
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any
from uuid import UUID

import click

from application import bootstrap
from application.commands import Dispatcher
from application.hub import PartnershipHub
from application.settings import Settings, sqlite_url
from application.users import ensure_demo_users
from bench.projections import BENCH_DIR, cached_sqlite_store, close_hub, remove_sqlite_file
from bench.report import Result, result
from domain.actor import Actor
from domain.body import Body, Decision

OFFICER = Actor("officer", "partnership_officer", "Priya Officer")
SAVE_EVERY = 500
CONFIGURATIONS = ("replay", "snapshots", "snapshots + cache")
SERVER_STORES = (10_000, 100_000)
TOUCHED_BODIES = 400
CLIENTS = 8


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


# ------------------------------------------------------------------ server memory


def served_store(events: int) -> tuple[Path, int]:
    """The demo store of ``events`` events with its read models built and the demo accounts, kept under
    ./var/bench; returns its path and how many events it holds."""
    path = BENCH_DIR / f"served-{events}.sqlite3"
    if not path.exists():
        source = cached_sqlite_store(events)  # built by the real commands, shared with bench.projections
        close_hub(source)
        building = path.with_name(f"served-{events}.building.sqlite3")
        remove_sqlite_file(building)
        copy_sqlite(BENCH_DIR / f"events-{events}.sqlite3", building)
        services = bootstrap.build(Settings.for_url(sqlite_url(building), files_dir=BENCH_DIR / "files"))
        started = time.perf_counter()
        services.refresh()
        ensure_demo_users(services.users)
        services.close()
        click.echo(f"Read models for {events:,} events built in {time.perf_counter() - started:.0f} s.")
        copy_sqlite(building, path)
        remove_sqlite_file(building)
    hub = PartnershipHub(Settings.for_url(sqlite_url(path), files_dir=BENCH_DIR / "files"))
    count = hub.recorder.max_notification_id() or 0
    hub.close()
    return path, count


def copy_sqlite(source: Path, target: Path) -> None:
    """A consistent copy through SQLite's backup API (a file copy would miss what is still in the WAL)."""
    with sqlite3.connect(source) as reading, sqlite3.connect(target) as writing:
        reading.backup(writing)
    reading.close()
    writing.close()


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def call(port: int, method: str, path: str, token: str, body: Any = None, headers: dict[str, str] | None = None) -> Any:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        sent = {"Authorization": f"Bearer {token}", **(headers or {})}
        payload = None
        if body is not None:
            payload, sent["Content-Type"] = json.dumps(body).encode(), "application/json"
        connection.request(method, path, body=payload, headers=sent)
        response = connection.getresponse()
        raw = response.read()
        return response.status, json.loads(raw) if raw and response.getheader("Content-Type", "").endswith(
            "json"
        ) else None
    finally:
        connection.close()


def workload(port: int, token: str) -> dict[int, int]:
    """The same requests at every size: returns how many answers had each status."""
    ids: list[str] = []
    for page in range(1, 5):
        _, listing = call(port, "GET", f"/api/v1/bodies?per_page=100&page={page}", token)
        ids += [item["id"] for item in listing["items"]]
    ids = ids[:TOUCHED_BODIES]
    statuses: dict[int, int] = {}
    lock = threading.Lock()

    def note(status: int) -> None:
        with lock:
            statuses[status] = statuses.get(status, 0) + 1

    def client(n: int) -> None:
        for body_id in ids[n::CLIENTS]:
            status, body = call(port, "GET", f"/api/v1/bodies/{body_id}", token)
            note(status)
            now = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
            note(call(port, "GET", f"/api/v1/bodies/{body_id}?as_at={now}", token)[0])
            member = {"person": f"Bench person {n}", "role": "member", "representation": "carer",
                      "effective_date": "2026-04-01"}  # fmt: skip
            version = body["version"] if body else 1
            note(call(port, "POST", f"/api/v1/bodies/{body_id}/members", token, member, {"If-Match": str(version)})[0])
        for page in range(1, 6):
            note(call(port, "GET", f"/api/v1/meetings?per_page=100&page={page}", token)[0])
            note(call(port, "GET", f"/api/v1/audit?per_page=100&page={page + 5 * n}", token)[0])

    threads = [threading.Thread(target=client, args=(n,)) for n in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=1800)
    return statuses


def memory_kb(pid: int) -> tuple[int, int]:
    """VmRSS and VmHWM (peak) of a process, in kB."""
    fields = dict(line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines() if ":" in line)
    return int(fields["VmRSS"].split()[0]), int(fields["VmHWM"].split()[0])


def children(pid: int) -> list[int]:
    return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]


def measure_server(events: int) -> tuple[int, list[tuple[int, int]], dict[int, int]]:
    store, count = served_store(events)
    with tempfile.TemporaryDirectory(prefix="phub-bench-server-") as workdir:
        path = Path(workdir) / "hub.sqlite3"
        copy_sqlite(store, path)  # the workload writes; the kept store stays as built
        url = sqlite_url(path)
        services = bootstrap.build(Settings.for_url(url, files_dir=Path(workdir) / "files"))
        token = services.users.issue_token("officer", "bench")
        services.close()
        port = free_port()
        env = {"PARTNERSHIP_HUB_DATABASE_URL": url, "PARTNERSHIP_HUB_DATA_DIR": workdir}
        command = [sys.executable, "-m", "web.cli", "serve", "--port", str(port), "--workers", "2", "--threads", "4",
                   "--no-access-log"]  # fmt: skip
        log = (Path(workdir) / "server.log").open("wb")
        server = subprocess.Popen(command, env={**os.environ, **env}, stdout=log, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + 300
            while True:
                try:
                    if call(port, "GET", "/api/v1/bodies?per_page=1", token)[0] == 200:
                        break
                except OSError:
                    pass
                if time.monotonic() > deadline or server.poll() is not None:
                    raise click.ClickException(
                        f"the server did not start: {(Path(workdir) / 'server.log').read_text()}"
                    )
                time.sleep(0.5)
            statuses = workload(port, token)
            workers = [memory_kb(pid) for pid in children(server.pid)]
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=60)
            log.close()
    return count, workers, statuses


def report_servers(sizes: tuple[int, ...]) -> None:
    results = [measure_server(events) for events in sizes]
    click.echo(
        f"Server memory: gunicorn, 2 workers x 4 threads, after {CLIENTS} clients read, read as at and add a "
        f"member to up to {TOUCHED_BODIES} bodies between them and page the calendar and audit log (MB)"
    )
    click.echo(f"  {'events':>10s} {'worker RSS':>22s} {'worker peak':>22s}   answers")
    for count, workers, statuses in results:
        rss = ", ".join(f"{w[0] / 1024:.0f}" for w in workers)
        peak = ", ".join(f"{w[1] / 1024:.0f}" for w in workers)
        click.echo(f"  {count:10,d} {rss:>22s} {peak:>22s}   {dict(sorted(statuses.items()))}")
    first, last = results[0], results[-1]
    ratio = max(w[0] for w in last[1]) / max(w[0] for w in first[1])
    click.echo(f"  largest worker RSS, {last[0]:,} / {first[0]:,} events: {ratio:.2f}x")


@click.command()
@click.option("--events", "long_events", default=10_000, show_default=True, help="Events on each long body.")
@click.option("--repeats", default=10, show_default=True, type=click.IntRange(3), help="Commands per body and set-up.")
@click.option("--backend", type=click.Choice(["sqlite", "postgres", "both"]), default="sqlite", show_default=True)
@click.option("--commands/--no-commands", default=True, show_default=True, help="Measure command time.")
@click.option("--server/--no-server", default=True, show_default=True, help="Measure server memory (SQLite).")
def main(long_events: int, repeats: int, backend: str, commands: bool, server: bool) -> None:
    if commands:
        with command_stores(backend) as stores:
            for label, url, files in stores:
                measure_commands(label, url, files, long_events, repeats)
    if server:
        report_servers(SERVER_STORES)


if __name__ == "__main__":
    main()
