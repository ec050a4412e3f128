"""An administrator's change and its audit event are written in one transaction: if either fails, neither is
written (application/account_commands.py, application/persistence.py). On SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from application.authority import Role
from application.bootstrap import Services, build
from application.errors import ConflictError
from application.settings import Settings
from application.users import insert_user, new_user_row, update_user
from domain.actor import Actor
from tests.conftest import Clock

ADMIN = Actor("ada", Role.ADMINISTRATOR.value, "Ada Admin")


@pytest.fixture
def services(database_url: str, tmp_path: Path) -> Iterator[Services]:
    made = build(Settings.for_url(database_url, files_dir=tmp_path / "files"), clock=Clock(datetime.now(tz=UTC)))
    made.users.create("ada", name="Ada Admin", email="ada@council.gov.uk", role=Role.ADMINISTRATOR)
    made.users.create("jo", name="Jo Bloggs", email="jo@council.gov.uk", role=Role.PROJECT_LEAD)
    yield made
    made.close()


def test_when_the_event_cannot_be_saved_the_table_is_not_changed(services: Services) -> None:
    hub, jo = services.hub, services.users.require("jo")
    hub.unlock_account(ADMIN, jo.account_id)  # the account's audit trail begins
    # Two administrators read the account at the same version; the first saves, the second must not.
    _user, first = hub._account(jo.account_id, ADMIN)
    _user, second = hub._account(jo.account_id, ADMIN)
    first.change_role(actor=ADMIN, at=hub.clock(), current="project_lead", to="auditor")
    hub._save_with(first, update_user("jo", role="auditor"))
    second.change_role(actor=ADMIN, at=hub.clock(), current="project_lead", to="executive_director")
    events = hub.recorder.max_notification_id()
    with pytest.raises(ConflictError):
        hub._save_with(second, update_user("jo", role="executive_director"))
    assert services.users.require("jo").role is Role.AUDITOR, "the table changed without its event"
    assert hub.recorder.max_notification_id() == events


def test_when_the_table_cannot_be_changed_no_event_is_saved(services: Services) -> None:
    hub = services.hub
    events = hub.recorder.max_notification_id() or 0
    _user, account = hub._account(services.users.require("jo").account_id, ADMIN)
    account.reset_password(actor=ADMIN, at=hub.clock())
    duplicate = new_user_row("jo", name="Jo Again", email="jo@x.gov.uk", role=Role.AUDITOR, password=None,
                             created_by="ada", at=hub.clock())  # fmt: skip
    with pytest.raises(Exception):  # noqa: B017  (the database's refusal of a second "jo")
        hub._save_with(account, insert_user(duplicate))
    assert (hub.recorder.max_notification_id() or 0) == events, "an event was saved without its table change"
    assert services.users.require("jo").name == "Jo Bloggs"


def test_two_administrators_beginning_an_audit_trail_at_once_is_a_conflict(services: Services) -> None:
    hub, jo = services.hub, services.users.require("jo")
    _user, first = hub._account(jo.account_id, ADMIN)  # neither has an audit trail yet: both begin one
    _user, second = hub._account(jo.account_id, ADMIN)
    first.unlock(actor=ADMIN, at=hub.clock())
    hub._save_with(first)
    second.deactivate(actor=ADMIN, at=hub.clock(), active=True)
    with pytest.raises(ConflictError):
        hub._save_with(second, update_user("jo", active=False))
    assert services.users.require("jo").active
