"""How long a reminder scan takes over 10,000 bodies and 100,000 meetings, next to a bare SQL count.

Run it as ``.venv/bin/python -m bench.reminders [--bodies N] [--meetings N] [--backend sqlite|postgres|both]``.

The read-model tables are loaded directly with bulk inserts (no events: the scan reads only the read
models), into a fresh SQLite file under ./var/bench or a throwaway PostgreSQL cluster. Two things are
timed, side by side, in one run, on the same tables:

- **scan**: what the scheduler does every few minutes before it writes anything: every rule's queries
  and date arithmetic (``rules.plan``) for a team of officers, project leads and commissioners, then
  the look-up of which of those reminders already exist (``raised_ids``); half of them do.
- **bare count**: ``SELECT count(*)`` of each table the scan reads (bodies, meetings, projects,
  reminders), one after another on the same connection.

The issue asks for a scan "well under a second"; the ratio scan / bare count says how far the scan is
from merely touching the same tables, and stays meaningful on a faster or slower machine.
"""

from __future__ import annotations

import random
import statistics
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from uuid import uuid4

import click
from sqlalchemy import Engine, create_engine, func, insert, select

from application.authority import Role
from application.reminders.rules import Recipients, plan
from application.users import User
from domain.reminder import EmailState
from domain.vocabulary import EXECUTIVE_DIRECTOR, BodyKind
from domain.working_days import minutes_due, papers_due
from projections.reminders import raised_among, reminders
from projections.tables import bodies, meetings, metadata, projects

BENCH_DIR = Path("var") / "bench"
SEED = 2026
TODAY = date(2026, 3, 2)
CHUNK = 5_000
KINDS = [k.value for k in BodyKind]


def _people() -> Recipients:
    def user(user_id: str, role: Role, lead: int) -> User:
        return User(user_id, user_id, f"{user_id}@council.test", role, True, lead, True, 1)

    team = [user(f"officer-{n}", Role.PARTNERSHIP_OFFICER, lead) for n, lead in enumerate((0, 3, 5, 10, 20))]
    team += [user(f"lead-{n}", Role.PROJECT_LEAD, 5) for n in range(50)]
    team += [user("director", Role.EXECUTIVE_DIRECTOR, 5)]
    return Recipients.from_users(team)


def _chunks(rows: list[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    for first in range(0, len(rows), CHUNK):
        yield rows[first : first + CHUNK]


def load(engine: Engine, n_bodies: int, n_meetings: int, n_projects: int) -> None:
    """Fills the read-model tables with a framework of ``n_bodies`` bodies and their meetings."""
    rng = random.Random(SEED)
    metadata.drop_all(engine)
    metadata.create_all(engine)
    body_rows, body_ids = [], []
    for n in range(n_bodies):
        body_id = uuid4()
        body_ids.append(body_id)
        # A third are conferences and consultative groups (the twice-yearly cadence), as in the framework.
        kind = rng.choice(["consultative_group", "stakeholder_conference", *KINDS]) if n % 3 else "consultative_group"
        time_limited = kind == "task_and_finish_group"
        contract = rng.random() < 0.2
        body_rows.append(
            dict(
                id=body_id, name=f"Body {n:05d}", kind=kind,
                status="time_limited" if time_limited else rng.choice(["active"] * 8 + ["ended", "replaced"]),
                until=TODAY + timedelta(days=rng.randrange(-400, 800)) if time_limited else None,
                purpose="", accountability="", open_to_public=True, terms_of_reference_version=0,
                contract_end=TODAY + timedelta(days=rng.randrange(-200, 900)) if contract else None,
                break_clause_months=3 if contract else None,
                established_on=date(2013, 9, 1) + timedelta(days=rng.randrange(0, 4000)),
                last_election_on=TODAY - timedelta(days=rng.randrange(0, 500)) if rng.random() < 0.8 else None,
                member_count=0, user_side_count=0, share_base=0, version=1, updated_at=datetime(2025, 1, 1),
            )
        )  # fmt: skip
    meeting_rows = []
    start = date(2016, 1, 1)
    span = (date(2030, 12, 31) - start).days
    for _ in range(n_meetings):
        body_id = rng.choice(body_ids)
        day = start + timedelta(days=rng.randrange(span))
        past = day < TODAY
        meeting_rows.append(
            dict(
                id=uuid4(), body_id=body_id, body_name="Body", meeting_date=day, start_time=datetime.min.time(),
                place="Hall", status="scheduled" if rng.random() < 0.95 else "cancelled", public=True,
                additional=rng.random() < 0.1, papers_due=papers_due(day), minutes_due=minutes_due(day),
                agenda_published_on=day - timedelta(days=8) if past and rng.random() < 0.9 else None,
                agenda_published_late=False, minutes_status="published" if past and rng.random() < 0.9 else "none",
                minutes_published_late=False, held=past, version=1,
            )
        )  # fmt: skip
    project_rows = [
        dict(
            id=uuid4(), title=f"Project {n}", commissioned_by=EXECUTIVE_DIRECTOR, lead=f"lead-{n % 50}",
            brief_status=rng.choice(["agreed", "agreed", "completed", "awaiting agreement"]),
            start_date=TODAY - timedelta(days=300), end_date=TODAY + timedelta(days=rng.randrange(-30, 400)),
            reporting_every_months=3, report_count=1,
            next_report_due=TODAY + timedelta(days=rng.randrange(-40, 90)), version=1,
        )
        for n in range(n_projects)
    ]  # fmt: skip
    with engine.begin() as connection:
        for table, rows in ((bodies, body_rows), (meetings, meeting_rows), (projects, project_rows)):
            for chunk in _chunks(rows):
                connection.execute(insert(table), chunk)
        # Half of what is due today was raised by an earlier scan.
        dues = plan(connection, today=TODAY, recipients=_people())
        raised = [
            dict(
                id=d.id, rule=d.rule.value, subject_type=d.subject_type, subject_id=d.subject_id,
                subject_name=d.subject_name, title=d.title, due_date=d.due_date, raised_on=TODAY,
                recipient=d.recipient, status="pending", email_state=EmailState.SENT.value, attempts=1, version=2,
            )
            for d in dues[::2]
        ]  # fmt: skip
        for chunk in _chunks(raised):
            connection.execute(insert(reminders), chunk)


def scan(engine: Engine, people: Recipients) -> tuple[int, int]:
    with engine.connect() as connection:
        dues = plan(connection, today=TODAY, recipients=people)
        known = raised_among(connection, dues)
    return len(dues), len(known)


def bare_count(engine: Engine) -> int:
    with engine.connect() as connection:
        return sum(
            connection.scalar(select(func.count()).select_from(t)) or 0 for t in (bodies, meetings, projects, reminders)
        )


def timed(run: Callable[[], Any], repeats: int) -> tuple[float, Any]:
    samples, result = [], None
    for _ in range(repeats):
        started = time.perf_counter()
        result = run()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples), result


@contextmanager
def database(backend: str) -> Iterator[Engine]:
    if backend == "sqlite":
        BENCH_DIR.mkdir(parents=True, exist_ok=True)
        path = BENCH_DIR / "reminders.sqlite3"
        path.unlink(missing_ok=True)
        engine = create_engine(f"sqlite:///{path.resolve()}")
        try:
            yield engine
        finally:
            engine.dispose()
        return
    from tests.support.postgres import PostgresServer

    server = PostgresServer().start()
    try:
        engine = create_engine(server.create_database("phub_bench_reminders"))
        try:
            yield engine
        finally:
            engine.dispose()
    finally:
        server.stop()


@click.command()
@click.option("--bodies", "n_bodies", default=10_000, show_default=True, type=click.IntRange(1))
@click.option("--meetings", "n_meetings", default=100_000, show_default=True, type=click.IntRange(1))
@click.option("--projects", "n_projects", default=1_000, show_default=True, type=click.IntRange(0))
@click.option("--backend", type=click.Choice(["sqlite", "postgres", "both"]), default="sqlite", show_default=True)
@click.option("--repeats", default=5, show_default=True, type=click.IntRange(1))
def main(n_bodies: int, n_meetings: int, n_projects: int, backend: str, repeats: int) -> None:
    """Reminder scan time against a bare count of the same tables."""
    people = _people()
    rows: list[tuple[str, float, float, int, int]] = []
    for name in ("sqlite", "postgres") if backend == "both" else (backend,):
        with database(name) as engine:
            started = time.perf_counter()
            load(engine, n_bodies, n_meetings, n_projects)
            click.echo(f"{name}: loaded {n_bodies:,} bodies, {n_meetings:,} meetings, {n_projects:,} projects "
                       f"in {time.perf_counter() - started:.1f} s.")  # fmt: skip
            scan(engine, people)  # warm the caches (working-day look-ups, statement compilation) once
            scan_time, (due, known) = timed(lambda e=engine: scan(e, people), repeats)
            count_time, total = timed(lambda e=engine: bare_count(e), repeats)
            rows.append((name, scan_time, count_time, due, known))
            click.echo(f"{name}: {total:,} rows counted; {due:,} reminders due on {TODAY}, {known:,} already raised.")
    click.echo("")
    click.echo(f"median of {repeats} runs, as of {datetime.now(tz=UTC):%Y-%m-%d %H:%M} UTC")
    click.echo(f"{'':22s}" + "".join(f"{r[0]:>16s}" for r in rows))
    click.echo(f"{'scan (ms)':22s}" + "".join(f"{1000 * r[1]:>16.1f}" for r in rows))
    click.echo(f"{'bare count (ms)':22s}" + "".join(f"{1000 * r[2]:>16.1f}" for r in rows))
    click.echo(f"{'scan / bare count':22s}" + "".join(f"{r[1] / r[2]:>16.2f}" for r in rows))


if __name__ == "__main__":
    main()
