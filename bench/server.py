"""The pages under a real server at 100,000 events against a static file, and the server's memory.

Run it as ``.venv/bin/python -m bench.server [--events N] [--small N] [--requests N] [--backend ...]``.

``partnership-hub serve`` (whichever server that command starts) runs in its own process on 127.0.0.1
over a store of ``--events`` events made by the real commands (bench/store.py), its read models caught
up before it starts. One client, signed in as an officer, asks in turn for a static file and for
``/dashboard``, ``/bodies``, ``/audit`` and ``/api/v1/bodies``, each on a new connection, ``--requests``
times each, so every page and the static file see the same machine. Two rows of the issue's table
(bench/report.py):

- **page_p99**: each page's 99th-percentile latency against the static file's: at most 5 times it, and
  at most 50 ms.
- **rss**: the resident memory of each server process that serves requests (each worker, for a server
  with workers; the one process otherwise), after the pages at ``--events`` against the same after the
  same pages over the first ``--small`` events of the same store: under 250 MB, and flat (growing by
  less than 15%).

When a page misses, it is rendered once more inside this process (the same app over the same store,
through Flask's test client, no HTTP) under the profiler, and the top of the profile is printed.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

import click

from application.authority import Role
from application.bootstrap import Services
from application.settings import sqlite_url
from bench import store
from bench.commands import STATIC, request, server
from bench.report import Result, percentile, profile, result, show_profile

PAGES = ("/dashboard", "/bodies", "/audit", "/api/v1/bodies")
USER, PASSWORD = "bench-reader", "bench-reader-password"
RATIO_TARGET, MS_TARGET = 5.0, 50.0
RSS_TARGET_MB, FLAT = 250.0, 0.15


@dataclass
class Run:
    events: int
    latencies: dict[str, list[float]] = field(default_factory=dict)
    rss_mb: list[float] = field(default_factory=list)

    def p99_ms(self, path: str) -> float:
        return 1000 * percentile(self.latencies[path], 0.99)


def with_reader(services: Services) -> None:
    """An officer to sign in as (the dashboard is theirs), added once to the store's accounts."""
    if services.users.get(USER) is None:
        services.users.create(USER, name="Bench Reader", email="reader@council.test", role=Role.PARTNERSHIP_OFFICER)
    services.users.set_password(USER, PASSWORD)


def sign_in(port: int) -> str:
    """The session cookie of a signed-in officer, through the sign-in form as a browser does it."""
    status, headers, body = request(port, "GET", "/sign-in")
    cookie = headers.get("set-cookie", "").split(";")[0]
    token = re.search(rb'name="csrf_token" value="([^"]+)"', body)
    if status != 200 or token is None:
        raise click.ClickException(f"GET /sign-in answered {status}")
    form = urlencode({"user_id": USER, "password": PASSWORD, "csrf_token": token.group(1).decode()}).encode()
    status, headers, _ = request(
        port, "POST", "/sign-in", form, {"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie}
    )
    if status != 302:
        raise click.ClickException(f"signing in answered {status}")
    return headers["set-cookie"].split(";")[0]


def process_tree(pid: int) -> list[int]:
    """``pid`` and every process under it."""
    found, queue = [], [pid]
    while queue:
        current = queue.pop()
        found.append(current)
        for task in Path(f"/proc/{current}/task").glob("*/children"):
            queue.extend(int(child) for child in task.read_text().split())
    return found


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def workers_rss(pid: int) -> list[float]:
    """Each serving process's resident memory: the workers under a master, or the one process."""
    tree = process_tree(pid)
    workers = [p for p in tree if p != pid and not process_tree(p)[1:]] or [pid]
    return [rss_mb(p) for p in workers]


def measure(url: str, events: int, requests: int, directory: Path) -> Run:
    run = Run(events)
    with server(url, directory) as (port, pid):
        cookie = sign_in(port)
        paths = (STATIC, *PAGES)
        for path in paths:  # one of each first, untimed: the server's first request of each
            request(port, "GET", path, headers={"Cookie": cookie})
        for _ in range(requests):
            for path in paths:
                started = time.perf_counter()
                status, _, _ = request(port, "GET", path, headers={"Cookie": cookie})
                run.latencies.setdefault(path, []).append(time.perf_counter() - started)
                if status != 200:
                    raise click.ClickException(f"GET {path} answered {status}")
        run.rss_mb = workers_rss(pid)
    return run


def why_page(services: Services, path: str, label: str) -> str:
    """The page rendered in this process under the profiler: where its time goes without HTTP."""
    from web.app import create_app

    app = create_app({"DEVELOPMENT": True, "FOLLOW_READ_MODELS": False, "WTF_CSRF_ENABLED": False}, services=services)
    client = app.test_client()
    client.post("/sign-in", data={"user_id": USER, "password": PASSWORD})
    client.get(path)
    started = time.perf_counter()
    client.get(path)
    in_process = 1000 * (time.perf_counter() - started)
    show_profile(f"GET {path} on {label}, in process", profile(lambda: client.get(path)))
    return (
        f"rendered in process (no HTTP) it takes {in_process:.0f} ms; the profile in this section shows whether "
        "the queries, the templates or the server take the time."
    )


@contextmanager
def stores(backend: str, events: int, small: int) -> Iterator[tuple[Services, Services]]:
    """The store of ``events`` events and the one of its first ``small``, read models caught up, each with
    the reader's account."""
    big_path = store.events_store(events)
    small_path = store.prefix_store(big_path, small)
    with ExitStack() as stack:
        big, little = (stack.enter_context(_opened(sqlite_url(p))) for p in (big_path, small_path))
        if backend == "postgres":
            big = stack.enter_context(store.postgres_copy(big, "bench_pages"))
            little = stack.enter_context(store.postgres_copy(little, "bench_pages_small"))
        for services in (big, little):
            store.caught_up(services)
            with_reader(services)
        yield big, little


@contextmanager
def _opened(url: str) -> Iterator[Services]:
    services = store.services_for(url)
    try:
        yield services
    finally:
        services.close()


@click.command()
@click.option("--events", default=100_000, show_default=True, type=click.IntRange(1_000))
@click.option("--small", default=10_000, show_default=True, type=click.IntRange(1_000), help="Events, for memory.")
@click.option("--requests", default=150, show_default=True, type=click.IntRange(10), help="Of each page.")
@click.option("--backend", type=click.Choice(["sqlite", "postgres", "both"]), default="sqlite", show_default=True)
def main(events: int, small: int, requests: int, backend: str) -> None:
    """Page p99 under a real server against a static file's, and the server's memory at two store sizes."""
    for name in ("sqlite", "postgres") if backend == "both" else (backend,):
        label = "postgresql" if name == "postgres" else name
        directory = store.BENCH_DIR / f"server-{name}"
        directory.mkdir(parents=True, exist_ok=True)
        with stores(name, events, small) as (big, little):
            held = store.event_count(big)
            runs = {}
            for services, size in ((little, store.event_count(little)), (big, held)):
                started = time.perf_counter()
                runs[size] = measure(services.settings.database_url, size, requests, directory)
                click.echo(
                    f"{label}: {requests} of each page at {size:,} events in {time.perf_counter() - started:.0f} s"
                )
            big_run, small_run = runs[held], runs[store.event_count(little)]
            static = big_run.p99_ms(STATIC)
            click.echo(f"{label}: p99 over {requests} requests each, ms (median in brackets)")
            for path in (STATIC, *PAGES):
                for run in (small_run, big_run):
                    median = 1000 * sorted(run.latencies[path])[len(run.latencies[path]) // 2]
                    click.echo(f"  {path:18s} {run.events:>8,} events  p99 {run.p99_ms(path):7.1f}  ({median:.1f})")
            for path in PAGES:
                p99 = big_run.p99_ms(path)
                ratio = p99 / static
                met = ratio <= RATIO_TARGET and p99 <= MS_TARGET
                result(
                    Result(
                        row="page_p99", backend=label, events=held, measured=f"{path}: {p99:.1f} ms",
                        floor=f"{static:.1f} ms static file p99", ratio=f"{ratio:.1f}x",
                        target=f"<= {RATIO_TARGET:.0f}x and <= {MS_TARGET:.0f} ms", met=met,
                        why="" if met else why_page(big, path, label), extra={"page": path},
                    )
                )  # fmt: skip
            grown = max(big_run.rss_mb) / max(small_run.rss_mb) - 1
            met = max(big_run.rss_mb) < RSS_TARGET_MB and grown < FLAT
            click.echo(
                f"{label}: serving processes' RSS {', '.join(f'{m:.0f}' for m in small_run.rss_mb)} MB at "
                f"{small_run.events:,} events, {', '.join(f'{m:.0f}' for m in big_run.rss_mb)} MB at {held:,}"
            )
            result(
                Result(
                    row="rss", backend=label, events=held,
                    measured=f"{max(big_run.rss_mb):.0f} MB per worker at {held:,} events "
                    f"({len(big_run.rss_mb)} serving process{'es' if len(big_run.rss_mb) > 1 else ''})",
                    floor=f"{max(small_run.rss_mb):.0f} MB at {small_run.events:,} events",
                    ratio=f"{grown:+.0%}", target=f"< {RSS_TARGET_MB:.0f} MB, flat (< {FLAT:.0%} growth)", met=met,
                    why="" if met else "the serving process grows with the store: see the memory figures above",
                )
            )  # fmt: skip


if __name__ == "__main__":
    main()
