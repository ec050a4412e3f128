"""A command through the API, the same command in process, a static file, and the durable floor, side by side.

Run it as ``.venv/bin/python -m bench.commands [--writes N] [--clients N] [--backend sqlite|postgres|both]``.

Two rows of the issue's table (bench/report.py):

- **api_write**: ``POST /api/v1/bodies/{id}/members`` (``add_member``) to ``partnership-hub serve`` running
  in its own process on 127.0.0.1 (whatever server that command starts), one client after each answer,
  against the same command run in process through the dispatcher (load + decide + save). Target: the
  API at least half the in-process rate. A static file's GET from the same server is measured with them,
  and the API again with ``--clients`` clients at once, each on its own body.
- **command**: the in-process command against the durable floor: a raw ``sqlite3`` insert of one row per
  transaction, in WAL mode with ``synchronous=FULL``, in a file beside the store (on PostgreSQL, a raw
  psycopg insert per transaction in the same database, on a throwaway cluster that, unlike the tests',
  waits for the disk: fsync on). Target: at least half the floor's rate.

The four are measured in rounds (a few of each in turn), so each sees the same machine; the API and
the in-process command each write to their own copy of the same store (a few bodies and an officer with
a token), so the server never projects the other's events. Every answer is checked (201, its ETag the
next version).
"""

from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any
from uuid import UUID

import click
from sqlalchemy import event

from application.authority import Role
from application.bootstrap import Services
from application.settings import sqlite_url
from bench import store
from bench.report import Result, profile, result, show_profile
from domain.actor import Actor

BODIES = 10
TARGET = 0.5
ROUND = 10  # of each measurement in turn
OFFICER = Actor("bench-officer", Role.PARTNERSHIP_OFFICER.value, "Bench Officer")
STATIC = "/static/hub.css"
JOINED = date(2026, 1, 5)


@dataclass
class Store:
    url: str
    token: str
    bodies: list[UUID]
    versions: dict[UUID, int] = field(default_factory=dict)


def prepare(url: str) -> Store:
    """A few bodies and an officer with an API token, through the composition root."""
    services = store.services_for(url)
    try:
        bodies = []
        for n in range(BODIES):
            outcome = services.dispatcher.run(
                "establish_body",
                OFFICER,
                data={"name": f"Bench Group {n + 1}", "kind": "consultative_group", "reason": "benchmark"},
            )
            assert outcome.subject_id is not None
            bodies.append(outcome.subject_id)
        services.users.create(OFFICER.user_id, name=OFFICER.name, email="bench@council.test", role=OFFICER.role)
        token = services.users.issue_token(OFFICER.user_id, "bench")
        services.refresh()
        return Store(url, token, bodies, {b: 1 for b in bodies})
    finally:
        services.close()


def member(n: int) -> dict[str, Any]:
    return {
        "person": f"Member {n:05d}",
        "role": "member",
        "representation": "service_user",
        "effective_date": str(JOINED),
    }


# ------------------------------------------------------------------ the server


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def server(url: str, data_dir: Path) -> Iterator[tuple[int, int]]:
    """``partnership-hub serve`` on a free port of 127.0.0.1 over the store at ``url``: its port and process
    id, stopped on the way out."""
    port = free_port()
    env = {
        **os.environ,
        "PARTNERSHIP_HUB_DATABASE_URL": url,
        "PARTNERSHIP_HUB_DATA_DIR": str(data_dir),
        "PARTNERSHIP_HUB_ENV": "development",
        "PARTNERSHIP_HUB_SECRET_KEY": "bench-secret-key-bench-secret-key",
    }
    command = [
        str(Path(sys.executable).with_name("partnership-hub")),
        "serve",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
    ]
    log = (data_dir / "server.log").open("w")
    process = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + 300
        while True:
            if process.poll() is not None:
                raise click.ClickException(f"the server stopped: see {data_dir / 'server.log'}")
            try:
                if get(port, STATIC)[0] == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise click.ClickException("the server did not answer within 5 minutes")
            time.sleep(0.2)
        yield port, process.pid
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        log.close()


def request(
    port: int, method: str, path: str, body: bytes | None = None, headers: dict[str, str] | None = None
) -> tuple[int, dict[str, str], bytes]:
    """One request on a new connection (as a browser or curl makes one), its status, headers and body."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        connection.close()


def get(port: int, path: str, headers: dict[str, str] | None = None) -> tuple[int, bytes]:
    status, _, body = request(port, "GET", path, headers=headers)
    return status, body


def api_add_member(port: int, target: Store, body_id: UUID, n: int) -> None:
    status, headers, text = request(
        port,
        "POST",
        f"/api/v1/bodies/{body_id}/members",
        json.dumps(member(n)).encode(),
        {
            "Authorization": f"Bearer {target.token}",
            "If-Match": f'"{target.versions[body_id]}"',
            "Content-Type": "application/json",
        },
    )
    if status != 201:
        raise click.ClickException(f"POST members answered {status}: {text[:300]!r}")
    target.versions[body_id] = int(headers["etag"].strip('W/"'))


def in_process_add_member(services: Services, target: Store, body_id: UUID, n: int) -> None:
    outcome = services.dispatcher.run(
        "add_member", OFFICER, subject_id=body_id, expected_version=target.versions[body_id], data=member(n)
    )
    assert outcome.version is not None
    target.versions[body_id] = outcome.version


# ------------------------------------------------------------------ the durable floor


class Floor:
    """One row per transaction, as durably as the database allows: the least a saved command can cost."""

    def __init__(self, backend: str, url: str, directory: Path) -> None:
        self.backend = backend
        self.n = 0
        if backend == "sqlite":
            path = directory / "floor.sqlite3"
            store.remove_sqlite_file(path)
            self.sqlite = sqlite3.connect(path, isolation_level=None)
            self.sqlite.execute("PRAGMA journal_mode=WAL")
            self.sqlite.execute("PRAGMA synchronous=FULL")
            self.sqlite.execute("CREATE TABLE floor (id INTEGER PRIMARY KEY, payload TEXT NOT NULL)")
        else:
            import psycopg

            self.postgres = psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://"), autocommit=True)
            self.postgres.execute("CREATE TABLE bench_floor (id INTEGER PRIMARY KEY, payload TEXT NOT NULL)")

    @property
    def label(self) -> str:
        if self.backend == "sqlite":
            return "sqlite3 insert, 1 row per transaction, WAL, synchronous=FULL"
        return "psycopg insert, 1 row per transaction, fsync on"

    def insert(self) -> None:
        self.n += 1
        payload = "x" * 400  # about a stored event
        if self.backend == "sqlite":
            self.sqlite.execute("BEGIN")
            self.sqlite.execute("INSERT INTO floor VALUES (?, ?)", (self.n, payload))
            self.sqlite.execute("COMMIT")
        else:
            self.postgres.execute("INSERT INTO bench_floor VALUES (%s, %s)", (self.n, payload))

    def close(self) -> None:
        if self.backend == "sqlite":
            self.sqlite.close()
        else:
            self.postgres.close()


# ------------------------------------------------------------------ the measurements


@dataclass
class Timings:
    seconds: dict[str, float] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)

    def add(self, name: str, run: Callable[[], None]) -> None:
        started = time.perf_counter()
        run()
        self.seconds[name] = self.seconds.get(name, 0.0) + time.perf_counter() - started
        self.counts[name] = self.counts.get(name, 0) + 1

    def rate(self, name: str) -> float:
        return self.counts[name] / self.seconds[name]


def clients_at_once(port: int, target: Store, clients: int, each: int) -> float:
    """``clients`` threads, each adding ``each`` members to its own body, one after each answer: requests/s."""
    errors: list[BaseException] = []

    def work(body_id: UUID, first: int) -> None:
        try:
            for n in range(each):
                api_add_member(port, target, body_id, first + n)
        except BaseException as error:  # reported below
            errors.append(error)

    threads = [threading.Thread(target=work, args=(target.bodies[1 + k], 100_000 + 1_000 * k)) for k in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
    return clients * each / (time.perf_counter() - started)


@contextmanager
def stores(backend: str) -> Iterator[tuple[str, str, Path]]:
    """Two empty stores (one for the server, one in process) and a directory for the floor and the logs."""
    directory = store.BENCH_DIR / f"commands-{backend}"
    directory.mkdir(parents=True, exist_ok=True)
    if backend == "sqlite":
        urls = []
        for name in ("served", "in-process"):
            path = directory / f"{name}.sqlite3"
            store.remove_sqlite_file(path)
            urls.append(sqlite_url(path))
        yield urls[0], urls[1], directory
        return
    from tests.support.postgres import PostgresServer

    cluster = PostgresServer(durable=True).start()  # commits wait for the disk, as in production
    try:
        yield cluster.create_database("bench_served"), cluster.create_database("bench_in_process"), directory
    finally:
        cluster.stop()


def measure(backend: str, writes: int, clients: int) -> None:
    label = "postgresql" if backend == "postgres" else backend
    with ExitStack() as stack:
        served_url, local_url, directory = stack.enter_context(stores(backend))
        served, local = prepare(served_url), prepare(local_url)
        floor = Floor(backend, local_url, directory)
        stack.callback(floor.close)
        services = store.services_for(local_url)
        stack.callback(services.close)
        port, _pid = stack.enter_context(server(served_url, directory))
        timings = Timings()
        body = served.bodies[0]
        # A first one of each, untimed: connections, compiled statements, the server's first request.
        get(port, STATIC)
        api_add_member(port, served, body, 0)
        in_process_add_member(services, local, local.bodies[0], 0)
        for first in range(1, writes + 1, ROUND):
            for n in range(first, min(first + ROUND, writes + 1)):
                timings.add("static", lambda: _ok(get(port, STATIC)))
                timings.add("api", lambda n=n: api_add_member(port, served, body, n))
                timings.add("in process", lambda n=n: in_process_add_member(services, local, local.bodies[0], n))
                timings.add("floor", floor.insert)
        together = clients_at_once(port, served, clients, max(1, writes // clients))
        api, local_rate, static, durable = (timings.rate(k) for k in ("api", "in process", "static", "floor"))
        click.echo(f"{label}: {writes} of each, in rounds of {ROUND}; the bodies grew to {writes + 1} members")
        click.echo(f"  static GET {STATIC:28s} {static:10.1f} req/s")
        click.echo(f"  API write, 1 client              {api:10.1f} req/s")
        click.echo(f"  API write, {clients} clients at once     {together:10.1f} req/s")
        click.echo(f"  same command in process          {local_rate:10.1f} commands/s")
        click.echo(f"  durable floor                    {durable:10.1f} rows/s  ({floor.label})")
        click.echo(f"  API / in process {api / local_rate:.3f}   API / static GET {api / static:.3f}   "
                   f"in process / floor {local_rate / durable:.3f}")  # fmt: skip
        ratio = api / local_rate
        result(
            Result(
                row="api_write", backend=label, measured=f"{api:.1f} req/s ({clients} clients: {together:.1f} req/s)",
                floor=f"{local_rate:.1f} commands/s in process; static GET {static:.0f} req/s",
                ratio=f"{ratio:.3f} (of a static GET: {api / static:.3f})", target=f">= {TARGET}",
                met=ratio >= TARGET, why="" if ratio >= TARGET else api_why(port, served, local, services),
            )
        )  # fmt: skip
        ratio = local_rate / durable
        why = "" if ratio >= TARGET else command_why(services, local, label)
        result(
            Result(
                row="command", backend=label, measured=f"{local_rate:.1f} commands/s",
                floor=f"{durable:.1f} rows/s ({floor.label})", ratio=f"{ratio:.3f}", target=f">= {TARGET}",
                met=ratio >= TARGET, why=why,
            )
        )  # fmt: skip


def api_why(port: int, served: Store, local: Store, services: Services) -> str:
    """Where an API write's time goes: the write through the server, the command in process, and, measured
    apart, bringing the read models up to one new event (what a request that waits for them pays)."""
    samples: dict[str, list[float]] = {"api": [], "command": [], "catch-up": []}
    services.refresh()  # the in-process store's read models, behind by every command so far
    for k in range(5):
        started = time.perf_counter()
        api_add_member(port, served, served.bodies[0], 800_000 + k)
        samples["api"].append(time.perf_counter() - started)
        started = time.perf_counter()
        in_process_add_member(services, local, local.bodies[0], 800_000 + k)
        samples["command"].append(time.perf_counter() - started)
        started = time.perf_counter()
        services.refresh()
        samples["catch-up"].append(time.perf_counter() - started)
    api, command, catch_up = (1000 * statistics.median(samples[k]) for k in ("api", "command", "catch-up"))
    return (
        f"one write takes {api:.0f} ms through the server against {command:.0f} ms in process; bringing the read "
        f"models up to one new event takes {catch_up:.0f} ms: the server's read-model worker does it beside the "
        "request, but the answer waits until its own event is in the lists (read-your-writes), so that time "
        f"stays on the write's path; the rest ({max(0.0, api - command - catch_up):.0f} ms) is HTTP and the "
        "server. Fewer statements per one-event batch (each read model's rows for an event in one round trip) "
        "would close part of it; answering before the lists catch up would close the rest, at the price of "
        "read-your-writes."
    )


def command_why(services: Services, local: Store, label: str) -> str:
    """What one in-process command does besides its commit: its SQL statements, and a profile of 20."""
    statements = 0

    def count(*_args: Any) -> None:
        nonlocal statements
        statements += 1

    engine = store.engine_of(services)
    event.listen(engine, "before_cursor_execute", count)
    try:
        text = profile(lambda: [in_process_add_member(services, local, local.bodies[2], 5_000 + k) for k in range(20)])
    finally:
        event.remove(engine, "before_cursor_execute", count)
    show_profile(f"20 in-process commands on {label}", text)
    return (
        f"a command runs {statements / 20:.0f} SQL statements on the event store (the floor: one insert and a "
        "commit): reading the events saved since the cached version, the event itself, its row in the 'as at' "
        "timeline, and the commit; the profile in this section shows the rest is encoding and the Python "
        "around it. Writing the event and its timeline row in one round trip would close part of it."
    )


def _ok(answer: tuple[int, bytes]) -> None:
    if answer[0] != 200:
        raise click.ClickException(f"GET {STATIC} answered {answer[0]}")


@click.command()
@click.option("--writes", default=200, show_default=True, type=click.IntRange(10), help="Of each kind, per backend.")
@click.option("--clients", default=8, show_default=True, type=click.IntRange(1, 64))
@click.option("--backend", type=click.Choice(["sqlite", "postgres", "both"]), default="sqlite", show_default=True)
def main(writes: int, clients: int, backend: str) -> None:
    """API writes and in-process commands against a static GET and the durable floor."""
    for name in ("sqlite", "postgres") if backend == "both" else (backend,):
        started = time.perf_counter()
        measure(name, writes, clients)
        click.echo(f"{name}: {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
