"""Accounts: hashed passwords, tokens stored as hashes, optimistic preference changes."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from application.authority import Role
from application.errors import ConflictError, DuplicateError
from application.users import Users, api_tokens, ensure_demo_users, users
from domain.errors import InvalidInput


@pytest.fixture
def store(database_url: str) -> Users:
    s = Users(database_url)
    yield s
    s.engine.dispose()


def test_password_is_hashed_and_checked(store: Users) -> None:
    store.create("jo.bloggs", name="Jo Bloggs", email="jo@example.gov.uk", role=Role.AUDITOR, password="correct horse")
    with store.engine.connect() as c:
        stored = c.execute(select(users.c.password_hash)).scalar_one()
    assert "correct horse" not in stored and stored.startswith("$argon2")
    assert store.authenticate("jo.bloggs", "correct horse").role is Role.AUDITOR
    assert store.authenticate("JO.BLOGGS", "correct horse") is not None
    assert store.authenticate("jo.bloggs", "wrong password") is None
    assert store.authenticate("nobody", "correct horse") is None
    store.deactivate("jo.bloggs")
    assert store.authenticate("jo.bloggs", "correct horse") is None


def test_bad_accounts_are_refused_with_the_field_to_fix(store: Users) -> None:
    with pytest.raises(InvalidInput) as short:
        store.create("ann", name="Ann", email="ann@example.gov.uk", role="auditor", password="short")
    assert short.value.field == "password"
    with pytest.raises(InvalidInput) as role:
        store.create("ann", name="Ann", email="ann@example.gov.uk", role="mayor", password="long enough!")
    assert role.value.field == "role" and "partnership_officer" in str(role.value)
    with pytest.raises(InvalidInput):
        store.create("Ann Smith", name="Ann", email="ann@example.gov.uk", role="auditor")
    assert store.all() == []
    store.create("ann", name="Ann", email="ann@example.gov.uk", role="auditor")
    with pytest.raises(DuplicateError):
        store.create("ann", name="Ann again", email="ann@example.gov.uk", role="auditor")


def test_tokens_are_stored_hashed_and_can_be_revoked(store: Users) -> None:
    store.create("lead", name="Lee", email="lee@example.gov.uk", role=Role.PROJECT_LEAD)
    token = store.issue_token("lead", "script")
    with store.engine.connect() as c:
        row = c.execute(select(api_tokens)).one()
    secret = token.split("_", 2)[2]  # the secret itself may contain "_"
    assert secret not in row.secret_sha256 and len(secret) >= 40
    assert store.user_for_token(token).user_id == "lead"
    assert store.user_for_token(token[:-1] + ("A" if token[-1] != "A" else "B")) is None
    assert store.user_for_token("garbage") is None
    assert store.revoke_token(row.token_id)
    assert store.user_for_token(token) is None


def test_preferences_change_optimistically(store: Users) -> None:
    user = store.create("olu", name="Olu", email="o@example.gov.uk", role=Role.PARTNERSHIP_OFFICER)
    changed = store.set_preferences("olu", reminder_lead_days=10, email_reminders=False, expected_version=user.version)
    assert (changed.reminder_lead_days, changed.email_reminders, changed.version) == (10, False, 2)
    with pytest.raises(ConflictError):
        store.set_preferences("olu", reminder_lead_days=3, email_reminders=True, expected_version=user.version)
    assert store.require("olu").reminder_lead_days == 10


def test_demo_accounts_cover_every_role_once(store: Users) -> None:
    first = ensure_demo_users(store)
    again = ensure_demo_users(store)
    assert {u.role for u, _ in first} == set(Role)
    assert [u.user_id for u, _ in first] == [u.user_id for u, _ in again]
    assert all(store.authenticate(u.user_id, p) for u, p in first)
