"""``partnership-hub scheduler run`` and ``partnership-hub reminders scan|send|list``."""

from __future__ import annotations

import logging
import os
import signal
import threading
from datetime import date, datetime, timedelta

import click

from application.reminders.outbox import Backoff
from application.reminders.rules import DEFAULT_LOOKBACK_DAYS
from application.reminders.scheduler import (
    DEFAULT_SCAN_EVERY,
    DEFAULT_SEND_EVERY,
    SCAN_MINUTES_VAR,
    SEND_SECONDS_VAR,
    ReminderRuntime,
    run,
)
from application.reminders.smtp import SmtpSettings
from application.settings import Settings
from projections.reminders import pending


def _runtime(as_of: date | None = None, backoff: Backoff | None = None) -> ReminderRuntime:
    return ReminderRuntime.create(Settings.from_env(), SmtpSettings.from_env(), as_of=as_of, backoff=backoff)


def _as_of(value: datetime | None) -> date | None:
    return value.date() if value else None


AS_OF = click.option(
    "--as-of",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="The day to scan as (YYYY-MM-DD), for testing and catching up; today in London by default.",
)


@click.group("scheduler")
def scheduler() -> None:
    """The scheduler process: reminder scans and the mail outbox on a timetable."""


@scheduler.command("run")
@click.option(
    "--scan-minutes",
    type=click.FloatRange(min=0.01),
    default=lambda: float(os.environ.get(SCAN_MINUTES_VAR) or DEFAULT_SCAN_EVERY.total_seconds() / 60),
    show_default=f"${SCAN_MINUTES_VAR} or 5",
    help="Minutes between reminder scans.",
)
@click.option(
    "--send-seconds",
    type=click.FloatRange(min=0.1),
    default=lambda: float(os.environ.get(SEND_SECONDS_VAR) or DEFAULT_SEND_EVERY.total_seconds()),
    show_default=f"${SEND_SECONDS_VAR} or 30",
    help="Seconds between runs of the mail sender.",
)
@click.option(
    "--retry-seconds",
    type=click.FloatRange(min=0.01),
    default=30.0,
    show_default=True,
    help="First back-off after the mail server fails; it doubles each time, up to an hour.",
)
@click.option(
    "--for-seconds",
    type=click.FloatRange(min=0),
    default=None,
    help="Stop after this long (default: run until stopped).",
)
@AS_OF
def run_scheduler(
    scan_minutes: float, send_seconds: float, retry_seconds: float, for_seconds: float | None, as_of: datetime | None
) -> None:
    """Run the reminder scan and the mail sender until stopped (Ctrl-C or SIGTERM).

    Safe to run in several processes against one PostgreSQL database: each reminder is raised once
    and each e-mail sent once. Mail settings come from PARTNERSHIP_HUB_SMTP_HOST, _PORT and _FROM.
    """
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    logging.getLogger("apscheduler").setLevel(logging.WARNING)  # not a line per job run
    backoff = Backoff(first=timedelta(seconds=retry_seconds))
    runtime = _runtime(_as_of(as_of), backoff)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    smtp = runtime.sender.settings
    click.echo(
        f"Scheduler {runtime.sender.worker}: scanning every {scan_minutes:g} min, sending every {send_seconds:g} s "
        f"to {smtp.host}:{smtp.port}."
    )
    try:
        run(
            runtime,
            runtime.hub.settings.database_url,
            scan_every=timedelta(minutes=scan_minutes),
            send_every=timedelta(seconds=send_seconds),
            stop=stop,
            run_for=for_seconds,
        )
    except KeyboardInterrupt:
        pass
    finally:
        runtime.close()
    click.echo(f"Stopped after {runtime.scans} scans and {runtime.sends} sender runs.")


@click.group("reminders")
def reminders() -> None:
    """Reminders of deadlines: scan for what is due, send the mail outbox, list what is pending."""


@reminders.command("scan")
@AS_OF
@click.option("--lookback-days", type=click.IntRange(0, 3650), default=DEFAULT_LOOKBACK_DAYS, show_default=True)
@click.option("--send/--no-send", default=False, show_default=True, help="Send the mail outbox after the scan.")
def scan(as_of: datetime | None, lookback_days: int, send: bool) -> None:
    """Raise every reminder due on a day; running it again raises nothing new."""
    runtime = _runtime(_as_of(as_of))
    runtime.lookback_days = lookback_days
    try:
        result = runtime.scan()
        click.echo(
            f"Scan as of {result.as_of:%-d %B %Y}: {result.due} reminders due, {result.raised} raised now, "
            f"{result.already} already raised."
        )
        if send:
            _echo_send(runtime)
    finally:
        runtime.close()


def _echo_send(runtime: ReminderRuntime) -> None:
    report = runtime.send()
    click.echo(f"Mail: {report.sent} sent, {report.deferred} deferred, {report.withdrawn} withdrawn.")
    if report.server_down:
        click.echo(f"The mail server is not answering ({report.errors[-1] if report.errors else 'backing off'}).")


@reminders.command("send")
def send() -> None:
    """Send the mail outbox once."""
    runtime = _runtime()
    try:
        _echo_send(runtime)
    finally:
        runtime.close()


@reminders.command("list")
@click.option("--user", "user_id", default=None, help="Only this person's reminders.")
@click.option("--limit", type=click.IntRange(1), default=200, show_default=True)
def list_pending(user_id: str | None, limit: int) -> None:
    """Reminders not yet marked done, soonest due first."""
    runtime = _runtime()
    try:
        runtime.read_models.catch_up()
        with runtime.read_models.engine.connect() as connection:
            rows = pending(connection, recipient=user_id, limit=limit)
    finally:
        runtime.close()
    if not rows:
        click.echo("No pending reminders.")
    for row in rows:
        click.echo(f"{row['due_date']}  {row['recipient']:16s} {row['email_state']:10s} {row['title']}")
