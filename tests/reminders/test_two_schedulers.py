"""Two scheduler processes (real OS processes) against one PostgreSQL database deliver each reminder
exactly once, through a real SMTP server that is down when they first send and comes up while they run.

The outage is set up, not raced: the server stays down until a scheduler has logged a deferred send,
then comes up; the test waits (bounded) until every e-mail is recorded as sent and then stops both
processes with SIGTERM, as an operator would, and expects a clean stop with no traceback."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from sqlalchemy import inspect

from application.commands import Dispatcher
from application.hub import PartnershipHub
from application.importer import import_framework
from application.reminders.scheduler import JOB_TABLE, create_job_table
from application.settings import Settings
from application.users import Users, ensure_demo_users
from demo.seed import seed_demo
from projections.reminders import reminders
from projections.runner import ReadModels
from tests.conftest import read_models_of
from tests.reminders.conftest import add_people
from tests.reminders.smtp_sink import SmtpSink
from tests.support.postgres import PostgresServer

AS_OF = date(2026, 3, 2)
# Bounds on each wait: generous for a loaded two-core machine; the test ends as soon as each is met.
FIRST_DEFERRAL_WITHIN = 90.0
ALL_SENT_WITHIN = 90.0
STOP_WITHIN = 30.0
DEFERRED = re.compile(r"mail: \d+ sent, [1-9]\d* deferred")
ROOT = Path(__file__).resolve().parents[2]


def _history(url: str, files: Path) -> None:
    hub = PartnershipHub(Settings.for_url(url, files_dir=files))
    try:
        import_framework(Dispatcher(hub))
        seed_demo(Dispatcher(hub), bodies=8, seed=7, today=AS_OF)
        models = ReadModels(hub, hub.settings.read_model_url)
        models.catch_up()
        models.close()
    finally:
        hub.close()
    users = Users(url)
    add_people(users)
    ensure_demo_users(users)  # demo-lead-1 leads some of the demo's projects
    # Enough officers that the two processes race over a good number of e-mails (the annual review
    # and the demo's deadlines reach each of them).
    for n in range(3, 33):
        users.create(f"officer{n}", name=f"Officer {n}", email=f"officer{n}@council.test", role="partnership_officer")
    users.engine.dispose()


def _scheduler(url: str, smtp: SmtpSink, name: str, log: Path) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "PARTNERSHIP_HUB_DATABASE_URL": url,
        "PARTNERSHIP_HUB_SMTP_HOST": "127.0.0.1",
        "PARTNERSHIP_HUB_SMTP_PORT": str(smtp.port),
        "PARTNERSHIP_HUB_SMTP_TIMEOUT": "2",
    }
    command = [
        sys.executable, "-m", "web.cli", "scheduler", "run",
        "--as-of", AS_OF.isoformat(),
        "--scan-minutes", "0.01",  # every 0.6 s
        "--send-seconds", "0.2",
        "--retry-seconds", "0.2",
    ]  # fmt: skip
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT)


@pytest.mark.postgres
def test_two_scheduler_processes_deliver_each_reminder_exactly_once(
    postgres_server: PostgresServer, tmp_path: Path
) -> None:
    url = postgres_server.create_database("two_schedulers")
    _history(url, tmp_path / "files")
    smtp = SmtpSink()  # not started: the mail server is down when the schedulers first send
    logs = [tmp_path / "scheduler-a.log", tmp_path / "scheduler-b.log"]
    processes = [_scheduler(url, smtp, name, log) for name, log in zip("ab", logs, strict=True)]
    models = read_models_of(PartnershipHub(Settings.for_url(url, files_dir=tmp_path / "files")))
    try:
        _wait_for(lambda: any(DEFERRED.search(log.read_text()) for log in logs), FIRST_DEFERRAL_WITHIN, logs)
        smtp.start()
        seen: list[tuple[int, float]] = []
        _wait_for(lambda: _all_sent(models, seen), ALL_SENT_WITHIN, logs)
        for process in processes:
            process.send_signal(signal.SIGTERM)
        for process in processes:
            process.wait(timeout=STOP_WITHIN)
    finally:
        for process in processes:
            if process.poll() is None:
                process.kill()
        smtp.stop()
    outputs = [log.read_text() for log in logs]
    assert [p.returncode for p in processes] == [0, 0], [output[-2000:] for output in outputs]
    for output in outputs:
        ran = re.search(r"Stopped after (\d+) scans and (\d+) sender runs", output)
        assert ran and int(ran[1]) >= 1 and int(ran[2]) >= 1, output[-2000:]
        assert "Traceback" not in output and "Error" not in output, output[-4000:]

    # The server was down when they first tried: some sends were put off and retried.
    assert any(DEFERRED.search(output) for output in outputs), [output[-2000:] for output in outputs]
    models.catch_up()
    with models.engine.connect() as connection:
        rows = [dict(r) for r in connection.execute(reminders.select()).mappings()]
    emailed = {str(r["id"]) for r in rows if r["email_state"] != "not_wanted"}
    assert len(rows) >= 30 and emailed, "the generated history should give a good number of reminders"
    assert {r["email_state"] for r in rows} == {"sent"}, Counter(r["email_state"] for r in rows)
    received = Counter(smtp.reminder_ids())
    assert set(received) == emailed
    assert set(received.values()) == {1}
    # Each reminder exists once per (rule, subject, due date, person) however many scans ran.
    keys = Counter((r["rule"], r["subject_id"], r["due_date"], r["recipient"]) for r in rows)
    assert set(keys.values()) == {1}
    print(f"{len(rows)} reminders raised and {sum(received.values())} e-mails delivered once each by two processes")
    models.close()
    models.log.close()


def _wait_for(condition: Callable[[], bool], seconds: float, logs: list[Path]) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"not reached within {seconds:g} s; the logs end: {[_tail(log) for log in logs]}")
        time.sleep(0.1)


STEADY_FOR = 2.0  # seconds: more than three scans (one every 0.6 s) have found nothing new


def _tail(log: Path, characters: int = 2000) -> str:
    return log.read_text()[-characters:]


def _all_sent(models: ReadModels, seen: list[tuple[int, float]]) -> bool:
    """Every reminder that wants e-mail is recorded as sent, and the count has held for STEADY_FOR.

    So a scan still raising reminders in the other process is not mistaken for the end.
    """
    models.catch_up()
    with models.engine.connect() as connection:
        states = [r.email_state for r in connection.execute(reminders.select())]
    wanted = [state for state in states if state != "not_wanted"]
    done = len(states) >= 30 and bool(wanted) and set(wanted) == {"sent"}
    if not done or not seen or seen[0][0] != len(states):
        seen[:] = [(len(states), time.monotonic())] if done else []
        return False
    return time.monotonic() - seen[0][1] >= STEADY_FOR


@pytest.mark.postgres
def test_two_schedulers_starting_together_both_get_the_job_table(postgres_server: PostgresServer) -> None:
    """Both see no table and both create it; the one that loses the race must not stop (seen once in CI)."""
    url = postgres_server.create_database("job_table_race")
    stores = [SQLAlchemyJobStore(url=url, tablename=JOB_TABLE) for _ in "ab"]
    errors: list[BaseException] = []
    for _ in range(5):  # bounded: five races
        start = threading.Barrier(len(stores))

        def create(store: SQLAlchemyJobStore, start: threading.Barrier = start) -> None:
            try:
                start.wait(timeout=10)
                create_job_table(store)
            except BaseException as error:
                errors.append(error)

        threads = [threading.Thread(target=create, args=(s,)) for s in stores]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
        assert errors == []
        assert inspect(stores[0].engine).has_table(JOB_TABLE)
        stores[0].jobs_t.drop(stores[0].engine)
    for store in stores:
        store.engine.dispose()
