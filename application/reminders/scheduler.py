"""The scheduler process: APScheduler runs the reminder scan and the mail sender on intervals.

Jobs live in a persistent SQLAlchemy job store in the event store's database (``apscheduler_jobs``),
so a restarted scheduler keeps its timetable, and a scan missed while it was down runs once when it
comes back (``coalesce``). APScheduler 3 does not coordinate several schedulers sharing one job
store: two processes may both run a job at about the same time. That is safe here by design, not by
luck: raising a reminder is idempotent by identity and sending needs a claim that only one process
can save (commands.py, outbox.py). The jobs are referred to by name ("module:function"), as a
persistent store needs; they find this process's services in ``_runtime``.

A fourth job keeps the panel's consultations to their dates (rule A4): it closes each one whose close
date has passed and sends the reminder before closing to those who have not answered; both are
idempotent (a closed consultation is not closed again; a reminder's id is derived from what it is).

A third job verifies the record's hash chain (application/chain.py) once a day, so the audit page's
"Record verified to event N" stays current and a broken chain is logged as an error within a day;
two schedulers verifying at once only read, and keep the same head.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from uuid import UUID

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import STATE_RUNNING
from sqlalchemy.exc import IntegrityError, ProgrammingError

from application import bootstrap
from application.bootstrap import Services
from application.chain import Verification
from application.followers import queue_notices
from application.hub import PartnershipHub, utc_now
from application.panel_links import PanelLinks
from application.reminders.commands import SCHEDULER, ReminderCommands, ScanResult
from application.reminders.outbox import Backoff, MailSender, SendReport
from application.reminders.rules import DEFAULT_LOOKBACK_DAYS
from application.reminders.smtp import SmtpSettings
from application.secret_key import secret_key
from application.settings import Settings
from projections.queries.consultations import open_consultation_ids
from projections.runner import ReadModels

log = logging.getLogger(__name__)

SCAN_JOB_ID = "partnership-hub-reminder-scan"
SEND_JOB_ID = "partnership-hub-mail-outbox"
VERIFY_JOB_ID = "partnership-hub-record-verify"
CONSULTATION_JOB_ID = "partnership-hub-consultations"
DEFAULT_CONSULTATION_EVERY = timedelta(minutes=15)
DEFAULT_VERIFY_EVERY = timedelta(days=1)
JOB_TABLE = "apscheduler_jobs"
SCAN_MINUTES_VAR = "PARTNERSHIP_HUB_REMINDER_SCAN_MINUTES"
SEND_SECONDS_VAR = "PARTNERSHIP_HUB_MAIL_SEND_SECONDS"
DEFAULT_SCAN_EVERY = timedelta(minutes=5)
DEFAULT_SEND_EVERY = timedelta(seconds=30)


@dataclass
class ReminderRuntime:
    """This process's services (from the composition root), reminder commands and mail sender."""

    services: Services
    commands: ReminderCommands
    sender: MailSender
    as_of: date | None = None
    lookback_days: int = DEFAULT_LOOKBACK_DAYS
    scans: int = 0
    sends: int = 0
    consultation_runs: int = 0

    @classmethod
    def create(
        cls,
        settings: Settings,
        smtp: SmtpSettings,
        *,
        as_of: date | None = None,
        clock: Callable[[], datetime] | None = None,
        backoff: Backoff | None = None,
        worker: str | None = None,
    ) -> ReminderRuntime:
        services = bootstrap.build(settings, clock=clock or utc_now, smtp=smtp)
        hub, read_models, users = services.hub, services.read_models, services.users
        links = PanelLinks(secret_key())
        sender = MailSender(
            hub, read_models, users, smtp, backoff=backoff, worker=worker, followers=services.followers, links=links
        )
        return cls(services, ReminderCommands(hub, read_models, users), sender, as_of)

    @property
    def hub(self) -> PartnershipHub:
        return self.services.hub

    @property
    def read_models(self) -> ReadModels:
        return self.services.read_models

    def today(self) -> date:
        return self.as_of or self.services.today()

    def scan(self) -> ScanResult:
        result = self.commands.scan(today=self.today(), lookback_days=self.lookback_days)
        with self.services.reading() as connection:
            notices = queue_notices(
                self.services.followers, connection, today=self.today(), base_url=self.sender.settings.base_url
            )
        if notices:
            log.info("followers of bodies: %d notices queued", notices)
        self.scans += 1
        log.info("scan as of %s: %d due, %d raised", result.as_of, result.due, result.raised)
        return result

    def send(self) -> SendReport:
        report = self.sender.send_due()
        self.sends += 1
        if report.sent or report.deferred or report.withdrawn:
            log.info("mail: %d sent, %d deferred, %d withdrawn", report.sent, report.deferred, report.withdrawn)
        return report

    def consultations(self) -> tuple[list[UUID], int]:
        """Closes the consultations past their close date and reminds those yet to answer (rule A4)."""
        self.read_models.catch_up()
        with self.read_models.engine.connect() as connection:
            open_ids = open_consultation_ids(connection)
        closed = self.hub.close_due(SCHEDULER, open_ids)
        reminded = self.hub.remind_closing(SCHEDULER, [i for i in open_ids if i not in closed])
        self.consultation_runs += 1
        if closed or reminded:
            log.info("consultations: %d closed, %d closing reminders raised", len(closed), reminded)
            self.read_models.catch_up()
        return closed, reminded

    def verify(self) -> Verification:
        verification = self.hub.verify_record()
        if verification.ok:
            log.info("record verified: %d events, head %s", verification.count, verification.head)
        else:
            log.error("the record does not verify: %s", verification.fault)
        return verification

    def close(self) -> None:
        self.services.close()


_runtime: ReminderRuntime | None = None
_job_lock = threading.Lock()  # the scan and the sender share one hub; one job at a time per process


def scan_job() -> None:
    assert _runtime is not None, "the scheduler's runtime is not set up"
    with _job_lock:
        _runtime.scan()


def send_job() -> None:
    assert _runtime is not None, "the scheduler's runtime is not set up"
    with _job_lock:
        _runtime.send()


def consultation_job() -> None:
    assert _runtime is not None, "the scheduler's runtime is not set up"
    with _job_lock:
        _runtime.consultations()


def verify_job() -> None:
    assert _runtime is not None, "the scheduler's runtime is not set up"
    with _job_lock:
        _runtime.verify()


def create_job_table(store: SQLAlchemyJobStore, attempts: int = 5) -> None:
    """Creates APScheduler's job table, tolerating another scheduler creating it at the same moment.

    Both see no table and both CREATE it; on PostgreSQL the loser fails on the catalog's unique key
    (or "already exists"), which once seen means the table is there. APScheduler's own start() would
    let that error end the process, so the table is made here first.
    """
    for attempt in range(attempts):
        try:
            store.jobs_t.create(store.engine, checkfirst=True)
            return
        except (IntegrityError, ProgrammingError):
            if attempt == attempts - 1:
                raise
            time.sleep(0.05 * (attempt + 1))


class _Scheduler(BackgroundScheduler):
    """APScheduler's background scheduler, which starts no job once it is shutting down.

    Its loop can begin one more round after shutdown() has stopped the executors, which then refuse
    the job ("cannot schedule new futures after shutdown", logged with a traceback). The state is read
    under the job stores' lock, which shutdown() also takes, so a round either finishes before the
    executors stop or does not start.
    """

    def _process_jobs(self) -> float | None:
        with self._jobstores_lock:  # an RLock: the round below takes it again
            if self.state != STATE_RUNNING:
                return None
            return super()._process_jobs()  # type: ignore[no-any-return]


def build_scheduler(
    runtime: ReminderRuntime,
    job_store_url: str,
    *,
    scan_every: timedelta = DEFAULT_SCAN_EVERY,
    send_every: timedelta = DEFAULT_SEND_EVERY,
    verify_every: timedelta = DEFAULT_VERIFY_EVERY,
    consultation_every: timedelta = DEFAULT_CONSULTATION_EVERY,
) -> BackgroundScheduler:
    """A scheduler with its four jobs in the persistent store, first runs straight away."""
    global _runtime
    _runtime = runtime
    store = SQLAlchemyJobStore(url=job_store_url, tablename=JOB_TABLE)
    create_job_table(store)
    scheduler = _Scheduler(
        jobstores={"default": store},
        executors={"default": ThreadPoolExecutor(2)},
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 3600},
        timezone=UTC,
    )
    now = datetime.now(tz=UTC)
    jobs = (
        ("scan_job", scan_every, SCAN_JOB_ID, "reminder scan"),
        ("send_job", send_every, SEND_JOB_ID, "mail outbox"),
        ("verify_job", verify_every, VERIFY_JOB_ID, "record verify"),
        ("consultation_job", consultation_every, CONSULTATION_JOB_ID, "consultations"),
    )
    for function, every, job_id, name in jobs:
        # replace_existing: the interval given now wins over one stored by an earlier run.
        scheduler.add_job(
            f"{__name__}:{function}",
            "interval",
            seconds=every.total_seconds(),
            id=job_id,
            name=name,
            replace_existing=True,
            next_run_time=now,
        )
    return scheduler


def run(
    runtime: ReminderRuntime,
    job_store_url: str,
    *,
    scan_every: timedelta = DEFAULT_SCAN_EVERY,
    send_every: timedelta = DEFAULT_SEND_EVERY,
    stop: threading.Event | None = None,
    run_for: float | None = None,
) -> None:
    """Runs the scheduler until ``stop`` is set (or ``run_for`` seconds have passed), then finishes its jobs."""
    stop = stop or threading.Event()
    scheduler = build_scheduler(runtime, job_store_url, scan_every=scan_every, send_every=send_every)
    scheduler.start()
    try:
        stop.wait(run_for)
    finally:
        scheduler.shutdown(wait=True)
