"""The scan raises each reminder once; the sender e-mails each once, through a real SMTP server that
goes away and comes back. Runs on a real SQLite file and a real PostgreSQL database."""

from __future__ import annotations

import threading
import traceback
from collections import Counter
from datetime import date, timedelta
from pathlib import Path
from uuid import UUID

import pytest

from application.hub import PartnershipHub
from application.reminders.commands import SCHEDULER, ReminderCommands
from application.reminders.rules import Recipients, plan
from application.settings import Settings
from domain.actor import Actor
from domain.errors import NotPermitted
from domain.reminder import EmailState, Reminder, ReminderError, Rule
from projections.reminders import outbox_size, pending, reminders_for_user
from projections.runner import ReadModels
from tests.reminders.conftest import Env
from tests.reminders.smtp_sink import SmtpSink

TODAY = date(2026, 3, 2)  # the clock fixture's day
MEETING = date(2026, 3, 16)  # agenda and papers due 9 March (5 working days before)
OFFICER2 = Actor("officer2", "partnership_officer", "Omar Officer")


def _scenario(env: Env) -> None:
    env.users.set_preferences("officer2", reminder_lead_days=0, email_reminders=True, expected_version=None)
    env.group_with_meeting("Test Carers Forum", MEETING)


def _by_user(env: Env) -> dict[str, Counter[str]]:
    with env.read_models.engine.connect() as connection:
        rows = pending(connection)
    out: dict[str, Counter[str]] = {}
    for row in rows:
        out.setdefault(row["recipient"], Counter())[row["rule"]] += 1
    return out


def test_a_scan_raises_each_reminder_once_however_often_and_wherever_it_runs(env: Env, tmp_path: Path) -> None:
    _scenario(env)
    first = env.commands.scan(today=TODAY)
    assert (first.due, first.raised) == (5, 5)
    # Officer (5 working days' lead) hears of the papers now; Omar (0 days) only on the day they are due.
    assert _by_user(env) == {
        "officer": Counter({Rule.PAPERS_DUE: 1, Rule.ELECTION_DUE: 1, Rule.ANNUAL_REVIEW: 1}),
        "officer2": Counter({Rule.ELECTION_DUE: 1, Rule.ANNUAL_REVIEW: 1}),
    }
    assert env.commands.scan(today=TODAY).raised == 0

    # Another process with its own hub and read models raises nothing either.
    other_hub = PartnershipHub(Settings.for_url(env.url, files_dir=tmp_path / "files"), clock=env.clock)
    other_models = ReadModels(other_hub, other_hub.settings.read_model_url)
    try:
        assert ReminderCommands(other_hub, other_models, env.users).scan(today=TODAY).raised == 0
        # Even with a read model that has not seen them (as if it lagged), the store's unique key refuses them.
        recipients = Recipients.from_users(env.users.all())
        with other_models.engine.connect() as connection:
            dues = plan(connection, today=TODAY, recipients=recipients)
        assert ReminderCommands(other_hub, other_models, env.users)._raise_all(dues, TODAY, recipients) == 0
    finally:
        other_models.close()
        other_hub.close()

    # On the due day Omar's papers reminder arrives; the next day it is overdue for both.
    assert env.commands.scan(today=date(2026, 3, 9)).raised == 1
    assert env.commands.scan(today=date(2026, 3, 10)).raised == 2
    assert _by_user(env)["officer2"][Rule.PAPERS_OVERDUE] == 1


def test_each_reminder_is_emailed_once_and_shown_as_sent(env: Env, smtp: SmtpSink) -> None:
    _scenario(env)
    env.commands.scan(today=TODAY)
    sender = env.sender(smtp)
    report = sender.send_due()
    assert (report.sent, report.deferred, report.server_down) == (5, 0, False)
    assert sender.send_due().sent == 0
    ids = smtp.reminder_ids()
    assert len(ids) == len(set(ids)) == 5
    papers = next(r for r in smtp.received if "Agenda and papers due" in r.message["Subject"])
    assert papers.envelope_to == ["priya@council.test"]
    assert "Test Carers Forum meeting on 16 March 2026" in papers.message.get_content()
    assert papers.message["Message-ID"] == f"<{papers.reminder_id}@reminders.partnership-hub>"
    with env.read_models.engine.connect() as connection:
        mine = reminders_for_user(connection, "officer")
        assert all(item["emailed"] for item in mine) and len(mine) == 3
        assert outbox_size(connection) == 0


def test_while_the_server_is_down_nothing_is_lost_and_nothing_doubled(env: Env, smtp: SmtpSink) -> None:
    _scenario(env)
    env.commands.scan(today=TODAY)
    sender = env.sender(smtp, first_retry=60)
    smtp.stop()

    report = sender.send_due()
    assert report.server_down and report.sent == 0 and report.deferred == 1
    first_retry = sender.server_retry_at
    assert first_retry is not None
    # Held off: no attempt at all until the back-off has passed.
    env.clock.advance(seconds=30)
    held = sender.send_due()
    assert held.server_down and held.deferred == 0

    env.clock.advance(seconds=31)
    again = sender.send_due()
    assert again.server_down and again.deferred == 1
    assert sender.server_retry_at is not None
    # The back-off doubled: 60 s, then 120 s.
    assert timedelta(seconds=119) < sender.server_retry_at - env.clock.now <= timedelta(seconds=120)

    smtp.start()
    env.clock.advance(seconds=121)
    delivered = sender.send_due()
    assert delivered.sent == 5 and not delivered.server_down
    assert sender.send_due().sent == 0
    ids = smtp.reminder_ids()
    assert sorted(ids) == sorted(set(ids)) and len(ids) == 5
    with env.read_models.engine.connect() as connection:
        assert outbox_size(connection) == 0
        attempts = [row["attempts"] for row in pending(connection)]
    # Both failures were recorded against the oldest message (tried first each time), then it went.
    assert sorted(attempts) == [1, 1, 1, 1, 3]


def test_refused_for_good_is_withdrawn_and_put_off_is_retried(env: Env, smtp: SmtpSink) -> None:
    env.users.create("bouncer", name="Bo Uncer", email="bounce@council.test", role="partnership_officer")
    _scenario(env)
    env.commands.scan(today=TODAY)
    smtp.refuse = {"bounce": "550 5.1.1 No such mailbox", "omar": "451 4.3.0 Try again later"}
    sender = env.sender(smtp, first_retry=60)
    report = sender.send_due()
    assert (report.sent, report.withdrawn, report.deferred) == (3, 3, 2)
    smtp.refuse = {}
    assert sender.send_due().sent == 0  # Omar's two wait out their back-off
    env.clock.advance(seconds=61)
    assert sender.send_due().sent == 2
    received = Counter(r.envelope_to[0] for r in smtp.received)
    assert received == {"priya@council.test": 3, "omar@council.test": 2}
    with env.read_models.engine.connect() as connection:
        states = {item["email_state"] for item in reminders_for_user(connection, "bouncer")}
    assert states == {EmailState.WITHDRAWN.value}


def test_email_off_means_in_the_app_only(env: Env, smtp: SmtpSink) -> None:
    _scenario(env)
    env.users.set_preferences("officer2", reminder_lead_days=0, email_reminders=False, expected_version=None)
    env.commands.scan(today=TODAY)
    # Turned off after the reminders were raised but before they went: withdrawn, not sent.
    env.users.set_preferences("officer", reminder_lead_days=5, email_reminders=False, expected_version=None)
    report = env.sender(smtp).send_due()
    assert (report.sent, report.withdrawn) == (0, 3)
    assert smtp.received == []
    with env.read_models.engine.connect() as connection:
        assert len(reminders_for_user(connection, "officer2")) == 2
        assert {i["email_state"] for i in reminders_for_user(connection, "officer2")} == {"not_wanted"}


def test_only_the_person_reminded_marks_it_done(env: Env, smtp: SmtpSink) -> None:
    _scenario(env)
    env.commands.scan(today=TODAY)
    with env.read_models.engine.connect() as connection:
        theirs = reminders_for_user(connection, "officer2")[0]
    reminder_id = theirs["reminder_id"]
    with pytest.raises(NotPermitted):
        env.mark_done(UUID(reminder_id), Actor("officer", "partnership_officer"))
    env.mark_done(UUID(reminder_id), OFFICER2)
    with pytest.raises(ReminderError, match="already marked done"):
        env.mark_done(UUID(reminder_id), OFFICER2)
    env.read_models.catch_up()
    with env.read_models.engine.connect() as connection:
        assert reminder_id not in {i["reminder_id"] for i in reminders_for_user(connection, "officer2")}
        done = [i for i in reminders_for_user(connection, "officer2", include_done=True) if i["status"] == "done"]
    assert [d["reminder_id"] for d in done] == [reminder_id]
    # Done before its e-mail went: the e-mail is withdrawn.
    report = env.sender(smtp).send_due()
    assert (report.sent, report.withdrawn) == (4, 1)


def test_an_expired_claim_is_taken_again_and_a_live_one_is_not(env: Env, smtp: SmtpSink) -> None:
    _scenario(env)
    env.commands.scan(today=TODAY)
    with env.read_models.engine.connect() as connection:
        target = reminders_for_user(connection, "officer2")[0]
    # A sender claims one and dies before talking to the server.
    dead: Reminder = env.hub.repository.get(UUID(target["reminder_id"]))
    dead.claim(actor=SCHEDULER, at=env.clock(), worker="dead-sender", hold_for=timedelta(minutes=5))
    env.hub.save(dead)
    sender = env.sender(smtp, worker="live-sender")
    assert sender.send_due().sent == 4
    assert target["reminder_id"] not in smtp.reminder_ids()
    env.clock.advance(minutes=6)
    assert sender.send_due().sent == 1
    assert Counter(smtp.reminder_ids())[target["reminder_id"]] == 1


def test_two_senders_racing_send_each_message_once(env: Env, smtp: SmtpSink, tmp_path: Path) -> None:
    for n in range(8):
        env.group_with_meeting(f"Racing Group {n}", MEETING)
    env.commands.scan(today=TODAY)
    with env.read_models.engine.connect() as connection:
        expected = {row["id"] for row in pending(connection)}
    assert len(expected) == 8 * 2 + 8 * 2 + 2  # papers and elections for both officers, the annual review

    others = []
    senders = [env.sender(smtp, worker="sender-a")]
    for name in ("sender-b", "sender-c"):
        hub = PartnershipHub(Settings.for_url(env.url, files_dir=tmp_path / "files"), clock=env.clock)
        models = ReadModels(hub, hub.settings.read_model_url)
        others.append((hub, models))
        sender = Env(hub, models, env.users, ReminderCommands(hub, models, env.users), env.clock, env.url).sender(
            smtp, worker=name
        )
        senders.append(sender)
    barrier = threading.Barrier(len(senders))
    errors: list[str] = []

    def run(sender: object) -> None:
        try:
            barrier.wait()
            for _ in range(3):
                sender.send_due()  # type: ignore[attr-defined]
        except BaseException as error:  # reported below
            errors.append(f"{type(error).__name__}: {error}\n{traceback.format_exc()}")

    threads = [threading.Thread(target=run, args=(s,)) for s in senders]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    for hub, models in others:
        models.close()
        hub.close()
    assert not errors, errors
    counts = Counter(smtp.reminder_ids())
    assert {UUID(k) for k in counts} == expected
    assert set(counts.values()) == {1}


def test_marked_done_while_its_email_is_being_sent_still_records_it_sent(env: Env, smtp: SmtpSink) -> None:
    """The person marks a reminder done in the app while the sender is talking to the mail server: their
    event takes the version the sender's ``Sent`` was going to have. The message did go, so the record
    must say sent, never "withdrawn: marked done before the e-mail went"."""
    _scenario(env)
    env.commands.scan(today=TODAY)
    with env.read_models.engine.connect() as connection:
        target = reminders_for_user(connection, "officer2")[0]["reminder_id"]

    def done_meanwhile(received: object) -> None:
        if getattr(received, "reminder_id", None) == target:
            env.mark_done(UUID(target), OFFICER2)

    smtp.on_accept = done_meanwhile
    sender = env.sender(smtp)
    assert sender.send_due().sent == 5
    env.clock.advance(minutes=10)  # long after the claim would have expired
    assert sender.send_due().withdrawn == 0
    reminder: Reminder = env.hub.repository.get(UUID(target))
    assert (reminder.email_state, reminder.is_done) == (EmailState.SENT, True)
    env.read_models.catch_up()
    with env.read_models.engine.connect() as connection:
        row = next(
            i for i in reminders_for_user(connection, "officer2", include_done=True) if i["reminder_id"] == target
        )
    assert (row["email_state"], row["status"], row["emailed"]) == ("sent", "done", True)
    assert Counter(smtp.reminder_ids())[target] == 1
