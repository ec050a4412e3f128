"""Fixtures for the reminder tests: a hub with read models and accounts, and a real SMTP server."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, time, timedelta
from pathlib import Path
from uuid import UUID

import pytest

from application.authority import Role
from application.commands import Dispatcher
from application.commands.reminders import MarkReminderDone
from application.hub import PartnershipHub
from application.reminders.commands import ReminderCommands
from application.reminders.outbox import Backoff, MailSender
from application.reminders.smtp import SmtpSettings
from application.settings import Settings
from application.users import Users
from domain.actor import Actor
from domain.body import Decision
from domain.vocabulary import BodyKind
from projections.runner import ReadModels
from tests.conftest import Clock
from tests.reminders.smtp_sink import SmtpSink

OFFICER = Actor("officer", Role.PARTNERSHIP_OFFICER.value, "Priya Officer")
# Inside the 28-day lookback before the tests' day (2 March 2026): the new group's first election is overdue
# and still reminded (one missed longer ago is reminded for its next anniversary instead).
ESTABLISHED = date(2026, 2, 16)


@dataclass
class Env:
    hub: PartnershipHub
    read_models: ReadModels
    users: Users
    commands: ReminderCommands
    clock: Clock
    url: str

    def sender(self, smtp: SmtpSink, *, worker: str = "test-sender", first_retry: float = 60.0) -> MailSender:
        settings = SmtpSettings(host="127.0.0.1", port=smtp.port, timeout=5.0)
        return MailSender(
            self.hub,
            self.read_models,
            self.users,
            settings,
            worker=worker,
            backoff=Backoff(first=timedelta(seconds=first_retry)),
        )

    def mark_done(self, reminder_id: UUID, actor: Actor) -> int | None:
        """The person marks a reminder done, through the dispatcher as the reminders page does."""
        return (
            Dispatcher(self.hub)
            .execute(MarkReminderDone, actor, subject_id=reminder_id, on=self.clock.now.date())
            .version
        )

    def group_with_meeting(self, name: str, meeting_date: date) -> tuple[UUID, UUID]:
        body = self.hub.establish_body(
            OFFICER,
            name=name,
            kind=BodyKind.CONSULTATIVE_GROUP,
            decision=Decision(reason="set up for the test", effective_date=ESTABLISHED),
        )
        meeting = self.hub.schedule_meeting(OFFICER, body, meeting_date=meeting_date, start_time=time(14), place="Hall")
        self.read_models.catch_up()
        return body, meeting


def add_people(users: Users) -> None:
    users.create("officer", name="Priya Officer", email="priya@council.test", role=Role.PARTNERSHIP_OFFICER)
    users.create("officer2", name="Omar Officer", email="omar@council.test", role=Role.PARTNERSHIP_OFFICER)
    users.create("director", name="Dana Director", email="dana@council.test", role=Role.EXECUTIVE_DIRECTOR)
    users.create("lead-1", name="Lee Lead", email="lee@council.test", role=Role.PROJECT_LEAD)


@pytest.fixture
def env(database_url: str, clock: Clock, tmp_path: Path) -> Iterator[Env]:
    hub = PartnershipHub(Settings.for_url(database_url, files_dir=tmp_path / "files"), clock=clock)
    read_models = ReadModels(hub, hub.settings.read_model_url)
    users = Users(database_url)
    add_people(users)
    yield Env(hub, read_models, users, ReminderCommands(hub, read_models, users), clock, database_url)
    read_models.close()
    hub.close()
    users.engine.dispose()


@pytest.fixture
def smtp() -> Iterator[SmtpSink]:
    sink = SmtpSink().start()
    yield sink
    sink.stop()
