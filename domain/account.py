"""What administrators do to people's accounts, recorded for the audit log: who did what to which account, when.

An account's credentials and state (its password hash, role, whether it is active, its API tokens'
hashes) live in the accounts table beside the event store (application/users.py); this aggregate is
the account's audit trail. Each change is recorded here in the same database transaction as the
table's change, so the two never disagree. No event holds a password, a token's secret or a hash:
only the account's user id, roles, and a token's public id and label. A person changing their own
password is recorded here too.

The rules of an account change take the account's current state as arguments (the table holds it):
the aggregate refuses a change that would change nothing, and the last active administrator cannot
be demoted or deactivated, so the service is never left without anyone to manage accounts.

Pure domain: moments come in as arguments, never from a clock.
"""

from __future__ import annotations

from datetime import datetime
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate

from domain.actor import Actor
from domain.errors import DomainError, InvalidInput, NotPermitted

ACCOUNT_NAMESPACE = uuid5(NAMESPACE_URL, "partnership-hub/account")
ADMINISTRATOR_ROLE = "administrator"


def account_id(user_id: str) -> UUID:
    """An account's one identity, from its user id (which never changes)."""
    return uuid5(ACCOUNT_NAMESPACE, user_id)


class AccountError(DomainError):
    """The account is already as the change would make it."""


def check_leaves_an_administrator(*, role: str, active: bool, other_active_administrators: int) -> None:
    """Refuses taking away the last active administrator (by a role change or deactivation)."""
    if role == ADMINISTRATOR_ROLE and active and other_active_administrators == 0:
        raise AccountError(
            "this is the only active administrator's account: make another administrator first, "
            "so that someone can still manage accounts"
        )


class Account(Aggregate):
    class Event(Aggregate.Event):
        actor: str
        actor_role: str

    class Registered(Event, Aggregate.Created):
        user_id: str
        role: str
        # True when an administrator created the account here; False when the account already existed
        # (made at the command line or by the demo) and this is the start of its audit trail.
        created_here: bool

    def __init__(self, user_id: str, role: str, created_here: bool, actor: str, actor_role: str) -> None:
        self.user_id = user_id

    @classmethod
    def register(cls, *, user_id: str, role: str, created_here: bool, actor: Actor, at: datetime) -> Account:
        return cls._create(
            cls.Registered,
            id=account_id(user_id),
            timestamp=at,
            user_id=user_id,
            role=role,
            created_here=created_here,
            **actor.event_fields(),
        )

    # --------------------------------------------------------------- changes

    class RoleChanged(Event):
        previous_role: str
        role: str

    def change_role(self, *, actor: Actor, at: datetime, current: str, to: str) -> None:
        if current == to:
            raise InvalidInput("role", f"the account already has the role {to.replace('_', ' ')}: choose another")
        self.trigger_event(self.RoleChanged, timestamp=at, previous_role=current, role=to, **actor.event_fields())

    class Deactivated(Event):
        pass

    def deactivate(self, *, actor: Actor, at: datetime, active: bool) -> None:
        if not active:
            raise AccountError("the account is already deactivated")
        self.trigger_event(self.Deactivated, timestamp=at, **actor.event_fields())

    class Reactivated(Event):
        pass

    def reactivate(self, *, actor: Actor, at: datetime, active: bool) -> None:
        if active:
            raise AccountError("the account is already active")
        self.trigger_event(self.Reactivated, timestamp=at, **actor.event_fields())

    class PasswordReset(Event):
        pass

    def reset_password(self, *, actor: Actor, at: datetime) -> None:
        self.trigger_event(self.PasswordReset, timestamp=at, **actor.event_fields())

    class PasswordChanged(Event):
        pass

    def change_own_password(self, *, actor: Actor, at: datetime) -> None:
        """The person changes their own password; nobody else may (an administrator resets it)."""
        if actor.user_id != self.user_id:
            raise NotPermitted(
                "only the person whose account it is may change its password: an administrator resets it"
            )
        self.trigger_event(self.PasswordChanged, timestamp=at, **actor.event_fields())

    class Unlocked(Event):
        pass

    def unlock(self, *, actor: Actor, at: datetime) -> None:
        self.trigger_event(self.Unlocked, timestamp=at, **actor.event_fields())

    class SignedOutEverywhere(Event):
        pass

    def sign_out_everywhere(self, *, actor: Actor, at: datetime) -> None:
        self.trigger_event(self.SignedOutEverywhere, timestamp=at, **actor.event_fields())

    class TokenIssued(Event):
        token_id: str
        label: str

    def issue_token(self, *, actor: Actor, at: datetime, token_id: str, label: str) -> None:
        self.trigger_event(self.TokenIssued, timestamp=at, token_id=token_id, label=label, **actor.event_fields())

    class TokenRevoked(Event):
        token_id: str

    def revoke_token(self, *, actor: Actor, at: datetime, token_id: str, revoked: bool) -> None:
        if revoked:
            raise AccountError(f"the token {token_id} is already revoked")
        self.trigger_event(self.TokenRevoked, timestamp=at, token_id=token_id, **actor.event_fields())
