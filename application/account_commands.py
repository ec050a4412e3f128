"""An administrator's changes to accounts: each changes the accounts table and records an audit event, together.

The accounts table holds the credentials and state; the ``Account`` aggregate (domain/account.py)
records who changed what, when. Both are written in ONE database transaction: the event store's
recorder runs the table's statements inside the transaction that inserts the events
(application/persistence.py, ``TimelineRecorder``), so a failure of either (a full disk, a refused
row) leaves neither. This needs the accounts tables in the event store's database, which is where
the composition root puts them. No event holds a password, a hash or a token's secret.

An account made at the command line or by the demo has no audit trail yet: its first change here
starts one (``Account.Registered`` with ``created_here`` false) in the same save.
"""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from sqlalchemy import Executable

from application.authority import Role
from application.errors import ConflictError, DuplicateError, NotFound
from application.hub_base import HubBase
from application.sign_in_throttle import unlock_statement
from application.users import (
    User,
    Users,
    end_sessions,
    hash_password,
    insert_user,
    new_token,
    new_user_row,
    revoke_token_statement,
    update_user,
)
from domain.account import Account, AccountError, check_leaves_an_administrator
from domain.actor import Actor
from domain.errors import InvalidInput


@dataclass(frozen=True)
class IssuedToken:
    """What issuing a token reports: its public id, and the whole token, shown this once."""

    token_id: str
    token: str
    label: str


class AccountCommands(HubBase):
    # Set by the composition root (application/bootstrap.py): the accounts tables, in this store's database.
    users: Users

    def _account(self, account_id: UUID, actor: Actor) -> tuple[User, Account]:
        user = self.users.by_account(account_id)
        if user is None:
            raise NotFound("account", account_id)
        try:
            return user, self._get(Account, account_id)
        except NotFound:
            started = Account.register(
                user_id=user.user_id, role=user.role.value, created_here=False, actor=actor, at=self._now()
            )
            return user, started

    def _save_with(self, account: Account, *statements: Executable) -> None:
        try:
            self._save(account, table_changes=list(statements))
        except DuplicateError:
            # Two administrators began the same account's audit trail at once: the other was first.
            raise ConflictError("account", account.user_id, account.id) from None

    # ------------------------------------------------------------------ accounts

    def create_account(self, actor: Actor, *, user_id: str, name: str, email: str, role: Role, password: str) -> UUID:
        row = new_user_row(
            user_id, name=name, email=email, role=role, password=password, created_by=actor.user_id, at=self._now()
        )
        if self.users.get(str(row["user_id"])) is not None:
            raise DuplicateError(f"an account '{row['user_id']}' already exists")
        account = Account.register(
            user_id=str(row["user_id"]), role=str(row["role"]), created_here=True, actor=actor, at=self._now()
        )
        self._save(account, table_changes=[insert_user(row)])
        return account.id

    def change_role(self, actor: Actor, account_id: UUID, *, role: Role) -> None:
        user, account = self._account(account_id, actor)
        if role is not Role.ADMINISTRATOR:
            check_leaves_an_administrator(
                role=user.role.value,
                active=user.active,
                other_active_administrators=self.users.active_administrators(excluding=user.user_id),
            )
        account.change_role(actor=actor, at=self._now(), current=user.role.value, to=role.value)
        # A new role changes what every open page may do: the person signs in again.
        self._save_with(account, update_user(user.user_id, role=role.value), end_sessions(user.user_id))

    def deactivate_account(self, actor: Actor, account_id: UUID) -> None:
        user, account = self._account(account_id, actor)
        check_leaves_an_administrator(
            role=user.role.value,
            active=user.active,
            other_active_administrators=self.users.active_administrators(excluding=user.user_id),
        )
        account.deactivate(actor=actor, at=self._now(), active=user.active)
        self._save_with(account, update_user(user.user_id, active=False), end_sessions(user.user_id))

    def reactivate_account(self, actor: Actor, account_id: UUID) -> None:
        user, account = self._account(account_id, actor)
        account.reactivate(actor=actor, at=self._now(), active=user.active)
        self._save_with(account, update_user(user.user_id, active=True))

    def reset_password(self, actor: Actor, account_id: UUID, *, password: str) -> None:
        user, account = self._account(account_id, actor)
        hashed = hash_password(password)
        account.reset_password(actor=actor, at=self._now())
        # Whoever knew the old password (or holds a session opened with it) is signed out; the lock goes.
        self._save_with(
            account,
            update_user(user.user_id, password_hash=hashed),
            end_sessions(user.user_id),
            unlock_statement(user.user_id),
        )

    def change_password(self, actor: Actor, account_id: UUID, *, current_password: str, new_password: str) -> None:
        """A person's own new password; every session of theirs ends, this one too (they sign in again)."""
        user, account = self._account(account_id, actor)
        account.change_own_password(actor=actor, at=self._now())
        if not self.users.password_is(user.user_id, current_password):
            raise InvalidInput("current_password", "that is not your current password")
        if new_password == current_password:
            raise InvalidInput("new_password", "choose a password different from your current one")
        hashed = hash_password(new_password)
        self._save_with(account, update_user(user.user_id, password_hash=hashed), end_sessions(user.user_id))

    def unlock_account(self, actor: Actor, account_id: UUID) -> None:
        user, account = self._account(account_id, actor)
        account.unlock(actor=actor, at=self._now())
        self._save_with(account, unlock_statement(user.user_id))

    def sign_out_everywhere(self, actor: Actor, account_id: UUID) -> None:
        user, account = self._account(account_id, actor)
        account.sign_out_everywhere(actor=actor, at=self._now())
        self._save_with(account, end_sessions(user.user_id))

    # -------------------------------------------------------------------- tokens

    def issue_api_token(self, actor: Actor, account_id: UUID, *, label: str) -> IssuedToken:
        user, account = self._account(account_id, actor)
        if not user.active:
            raise AccountError("the account is deactivated: reactivate it before issuing it a token")
        issued = new_token(user.user_id, label, self._now())
        account.issue_token(actor=actor, at=self._now(), token_id=issued.token_id, label=label)
        self._save_with(account, issued.statement)
        return IssuedToken(issued.token_id, issued.token, label)

    def revoke_api_token(self, actor: Actor, account_id: UUID, *, token_id: str) -> None:
        user, account = self._account(account_id, actor)
        token = self.users.token(token_id)
        if token is None or token["user_id"] != user.user_id:
            raise NotFound(f"API token of {user.user_id}", token_id)
        account.revoke_token(actor=actor, at=self._now(), token_id=token_id, revoked=token["revoked_at"] is not None)
        self._save_with(account, revoke_token_statement(token_id, self._now()))
