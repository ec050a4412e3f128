"""Whether the directory, the audit log and the dashboard stay fast at scale: 10,000 bodies, 100,000
meetings and a million audit rows.

Run it as ``.venv/bin/python -m bench.pages [--bodies N] [--audit-rows N] [--backend sqlite|postgres|both]``.

The read-model tables are filled directly with bulk inserts (how they came to be is the projections
benchmark's business); then each page query the UI and the API run (``projections.queries.directory``
and ``projections.queries.audit``, with the filters the pages offer) is timed next to a bare
``SELECT count(*)`` over the same table in the same run. Absolute times depend on the machine; the
ratios "page query / bare count(*)" and "page query / full scan" (max() of an unindexed column, one
pass over every row) say whether a page costs anything like a pass over its table, which is what an
unindexed filter or sort would cost: a page query well under one full scan is using its indexes.
Each figure is the median of ``--repeats`` runs. The audit pages count their matches only up to
``COUNT_LIMIT`` (then "more than"); the table says which counts stopped. On PostgreSQL the tables are
vacuumed and analysed after the load, as autovacuum would soon do.
"""

from __future__ import annotations

import random
import statistics
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from uuid import UUID, uuid5

import click
from sqlalchemy import Connection, Engine, create_engine, func, insert, inspect, select

from application.settings import sqlite_url
from domain.working_days import minutes_due, papers_due
from projections import queries
from projections.queries import dashboard
from projections.tables import audit_log, bodies, meetings, metadata

BENCH_DIR = Path("var") / "bench"
NAMESPACE = UUID("6f1c7a52-4a4e-4d3a-9d55-0d1f3f1b2a10")
TODAY = date(2026, 11, 24)
KINDS = ["consultative_group", "stakeholder_conference", "task_and_finish_group", "partnership_board"]
STATUSES = ["active", "active", "active", "time_limited", "ended", "replaced"]
CHANGES = ["established", "funding_changed", "contract_extended", "transformed", "replaced", "ended", "maintained"]
ACTORS = [f"officer-{n}" for n in range(40)]
CHUNK = 20_000


def body_id(n: int) -> UUID:
    return uuid5(NAMESPACE, f"body/{n}")


def _shape_matches(engine: Engine) -> bool:
    """The kept tables have today's columns and indexes (a read model that gained a column is filled anew)."""
    inspector = inspect(engine)
    return all(
        inspector.has_table(t.name)
        and {c["name"] for c in inspector.get_columns(t.name)} == set(t.columns.keys())
        and {i["name"] for i in inspector.get_indexes(t.name)} == {i.name for i in t.indexes}
        for t in (bodies, meetings, audit_log)
    )


def fill(engine: Engine, n_bodies: int, n_audit: int, meetings_per_body: int) -> None:
    """Creates the tables and fills them, unless a previous run left exactly this much in today's shape."""
    if not _shape_matches(engine):
        metadata.drop_all(engine)
    metadata.create_all(engine)
    with engine.connect() as c:
        have = (
            c.scalar(select(func.count()).select_from(bodies)),
            c.scalar(select(func.count()).select_from(meetings)),
            c.scalar(select(func.count()).select_from(audit_log)),
        )
    if have == (n_bodies, n_bodies * meetings_per_body, n_audit):
        return
    rng = random.Random(2026)
    with engine.begin() as c:
        for table in (audit_log, meetings, bodies):
            c.execute(table.delete())
        now = datetime(2026, 11, 1)
        rows = [
            {
                "id": body_id(n),
                "name": f"Body {n:05d} {rng.choice(['Carers', 'Young People', 'Older People', 'Housing'])} group",
                "kind": rng.choice(KINDS),
                "status": rng.choice(STATUSES),
                "purpose": "",
                "accountability": "",
                "terms_of_reference_version": 0,
                "annual_funding_pence": rng.randrange(0, 5_000_000),
                "open_to_public": rng.random() < 0.5,
                "member_count": rng.randrange(0, 40),
                "user_side_count": 0,
                "share_base": 0,
                "service_user_share": rng.random(),
                "version": 1,
                "updated_at": now,
            }
            for n in range(n_bodies)
        ]
        for start in range(0, len(rows), CHUNK):
            c.execute(insert(bodies), rows[start : start + CHUNK])
        meeting_rows = []
        for n in range(n_bodies):
            for k in range(meetings_per_body):
                day = TODAY + timedelta(days=rng.randrange(-700, 300))
                past = day < TODAY
                meeting_rows.append(
                    {
                        "id": uuid5(NAMESPACE, f"meeting/{n}/{k}"),
                        "body_id": body_id(n),
                        "body_name": f"Body {n:05d}",
                        "body_kind": "consultative_group",
                        "meeting_date": day,
                        "start_time": datetime(2026, 1, 1, 14).time(),
                        "place": "Hall",
                        "public": True,
                        "additional": rng.random() < 0.1,
                        "status": "scheduled" if rng.random() < 0.95 else "cancelled",
                        "papers_due": papers_due(day),
                        "minutes_due": minutes_due(day),
                        # Most past meetings published their agenda and minutes; some never did.
                        "agenda_published_on": day - timedelta(days=8) if past and rng.random() < 0.9 else None,
                        "minutes_status": "published" if past and rng.random() < 0.9 else "none",
                        "version": 1,
                    }
                )
        for start in range(0, len(meeting_rows), CHUNK):
            c.execute(insert(meetings), meeting_rows[start : start + CHUNK])
    start_day = datetime(2013, 9, 1)
    for first in range(0, n_audit, CHUNK):
        batch = []
        for i in range(first, min(first + CHUNK, n_audit)):
            n = rng.randrange(n_bodies)
            recorded = start_day + timedelta(minutes=7 * i)
            effective = recorded.date() - timedelta(days=rng.randrange(0, 60)) if rng.random() < 0.8 else None
            batch.append(
                {
                    "notification_id": i + 1,
                    "subject_id": body_id(n),
                    "subject_type": "body",
                    "subject_name": f"Body {n:05d}",
                    "body_id": body_id(n),
                    "version": 1 + i % 9,
                    "change": rng.choice(CHANGES),
                    "sentence": f"Body {n:05d} changed.",
                    "changes": "{}",
                    "actor": rng.choice(ACTORS),
                    "actor_role": "partnership_officer",
                    "effective_date": effective,
                    "on_date": effective or recorded.date(),
                    "recorded_at": recorded,
                    "reason": "Review",
                    "decided_by": "Portfolio Holder",
                    "decision_ref": "",
                }
            )
        with engine.begin() as c:
            c.execute(insert(audit_log), batch)
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as c:
            c.exec_driver_sql("VACUUM ANALYZE")


def median_ms(fn: Callable[[], Any], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def cases(c: Connection) -> list[tuple[str, str, Callable[[], Any]]]:
    some_body = body_id(4242)
    return [
        ("directory", "page 1 by name", lambda: queries.directory(c, today=TODAY)),
        (
            "directory",
            "kind + status filter",
            lambda: queries.directory(c, today=TODAY, kind=KINDS[0], status="active"),
        ),
        ("directory", "name search 'carers'", lambda: queries.directory(c, today=TODAY, q="carers")),
        ("directory", "by funding, page 200", lambda: queries.directory(c, today=TODAY, sort="funding", page=200)),
        (
            "directory",
            "by funding desc, page 200",
            lambda: queries.directory(c, today=TODAY, sort="funding", descending=True, page=200),
        ),
        ("audit", "page 1 newest first", lambda: queries.audit(c)),
        ("audit", "one body", lambda: queries.audit(c, body_id=some_body)),
        ("audit", "one actor", lambda: queries.audit(c, actor=ACTORS[7])),
        ("audit", "kind of change", lambda: queries.audit(c, change="transformed")),
        (
            "audit",
            "a year's dates",
            lambda: queries.audit(c, date_from=date(2019, 4, 1), date_to=date(2020, 3, 31)),
        ),
        ("audit", "page 1,000", lambda: queries.audit(c, page=1000)),
        ("audit", "kinds of change (its filter)", lambda: queries.audit_changes(c)),
        ("dashboard", "every list", lambda: dashboard.week_ahead(c, TODAY)),
    ]


def measure(label: str, engine: Engine, repeats: int) -> None:
    with engine.connect() as c:
        count = {
            "directory": median_ms(lambda: c.scalar(select(func.count()).select_from(bodies)), repeats),
            "audit": median_ms(lambda: c.scalar(select(func.count()).select_from(audit_log)), repeats),
            "dashboard": median_ms(lambda: c.scalar(select(func.count()).select_from(meetings)), repeats),
        }
        # max() of an unindexed column: one pass over every row of the table.
        scan = {
            "directory": median_ms(lambda: c.scalar(select(func.max(bodies.c.updated_at))), repeats),
            "audit": median_ms(lambda: c.scalar(select(func.max(audit_log.c.sentence))), repeats),
            "dashboard": median_ms(lambda: c.scalar(select(func.max(meetings.c.place))), repeats),
        }
        for table, full in (("directory", "rm_bodies"), ("audit", "rm_audit_log"), ("dashboard", "rm_meetings")):
            click.echo(f"{label}: {full}: bare count(*) {count[table]:.1f} ms, full scan {scan[table]:.1f} ms")
        click.echo(f"  {'page':10s} {'query':26s} {'ms':>9s} {'/ count(*)':>11s} {'/ full scan':>12s}  total")
        for table, name, fn in cases(c):
            ms = median_ms(fn, repeats)
            found = fn()
            if isinstance(found, queries.Page):
                total = f"{found.total:,}" + ("" if found.exact else "+")
            elif isinstance(found, dict):
                total = f"{sum(v['total'] for v in found.values()):,} in the lists"
            else:
                total = f"{len(found):,}"
            click.echo(
                f"  {table:10s} {name:26s} {ms:9.1f} {ms / count[table]:11.2f} {ms / scan[table]:12.3f}  {total}"
            )


@contextmanager
def backends(choice: str) -> Iterator[list[tuple[str, Engine]]]:
    with ExitStack() as stack:
        chosen = []
        if choice in ("sqlite", "both"):
            chosen.append(("sqlite", create_engine(sqlite_url(BENCH_DIR / "pages.sqlite3"))))
        if choice in ("postgres", "both"):
            from tests.support.postgres import PostgresServer

            server = PostgresServer().start()
            stack.callback(server.stop)
            chosen.append(("postgresql", create_engine(server.create_database("bench_pages"))))
        yield chosen
        for _, engine in chosen:
            engine.dispose()


@click.command()
@click.option("--bodies", "n_bodies", default=10_000, show_default=True)
@click.option("--audit-rows", "n_audit", default=1_000_000, show_default=True)
@click.option("--meetings-per-body", default=10, show_default=True)
@click.option("--repeats", default=5, show_default=True)
@click.option("--backend", type=click.Choice(["sqlite", "postgres", "both"]), default="sqlite", show_default=True)
def main(n_bodies: int, n_audit: int, meetings_per_body: int, repeats: int, backend: str) -> None:
    with backends(backend) as chosen:
        for label, engine in chosen:
            started = time.perf_counter()
            fill(engine, n_bodies, n_audit, meetings_per_body)
            click.echo(
                f"{label}: {n_bodies:,} bodies, {n_bodies * meetings_per_body:,} meetings, {n_audit:,} "
                f"audit rows ready in {time.perf_counter() - started:.0f} s"
            )
            measure(label, engine, repeats)


if __name__ == "__main__":
    main()
