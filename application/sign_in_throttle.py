"""Sign-in throttling, kept in the database so it holds across workers, processes and restarts.

Two counters of failed sign-ins, each in a window that starts at its first failure: one per account
(the user name typed, known or not, so a lock-out says nothing about which names exist) and one per
client address. Reaching the limit locks that account or address for a while; while locked, sign-in
is refused before any password is checked, with the time to wait. A successful sign-in clears the
account's counter (not the address's: one good password must not buy an address more guesses), and an
administrator can unlock an account (application/account_commands.py).

Each failure is one atomic statement (INSERT ... ON CONFLICT DO UPDATE, on SQLite and PostgreSQL), so
two workers counting the same account at once both count.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum

from sqlalchemy import Engine, Executable, and_, case, delete, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite

from application.account_tables import sign_in_failures as failures
from application.users import naive


class Scope(StrEnum):
    ACCOUNT = "account"
    ADDRESS = "address"


@dataclass(frozen=True)
class Limit:
    failures: int
    window: timedelta
    lock_for: timedelta


LIMITS = {
    # Five wrong passwords in 15 minutes lock the account for 15 minutes.
    Scope.ACCOUNT: Limit(failures=5, window=timedelta(minutes=15), lock_for=timedelta(minutes=15)),
    # An office behind one address has many people: twenty, over any names, lock the address.
    Scope.ADDRESS: Limit(failures=20, window=timedelta(minutes=15), lock_for=timedelta(minutes=15)),
}


@dataclass(frozen=True)
class Locked:
    scope: Scope
    until: datetime

    def wait(self, now: datetime) -> timedelta:
        return max(self.until - naive(now), timedelta(0))

    def message(self, now: datetime) -> str:
        minutes = max(1, -(-int(self.wait(now).total_seconds()) // 60))
        when = f"{minutes} minute{'s' if minutes != 1 else ''}"
        if self.scope is Scope.ACCOUNT:
            return (
                f"Too many wrong passwords for this account. Try again in {when}, or ask an administrator to unlock it."
            )
        return f"Too many failed sign-ins from your network. Try again in {when}."


def account_key(user_id: str) -> str:
    return user_id.strip().lower()[:200]


def unlock_statement(user_id: str) -> Executable:
    return delete(failures).where(failures.c.scope == Scope.ACCOUNT.value, failures.c.key == account_key(user_id))


class SignInThrottle:
    """Counts in real time (``clock``, the wall clock unless a test moves one), not the hub's clock."""

    def __init__(
        self,
        engine: Engine,
        limits: dict[Scope, Limit] | None = None,
        clock: Callable[[], datetime] = lambda: datetime.now(tz=UTC),
    ) -> None:
        self.engine = engine
        self.limits = limits or LIMITS
        self.clock = clock

    def now(self) -> datetime:
        return naive(self.clock())

    def locked(self, user_id: str, address: str) -> Locked | None:
        """The lock that refuses this attempt now, if any (the longer, if both are locked)."""
        at = self.now()
        keys = [(Scope.ACCOUNT, account_key(user_id)), (Scope.ADDRESS, address[:200])]
        with self.engine.connect() as connection:
            rows = connection.execute(
                select(failures.c.scope, failures.c.locked_until).where(
                    or_(*(and_(failures.c.scope == s.value, failures.c.key == k) for s, k in keys)),
                    failures.c.locked_until > at,
                )
            ).all()
        if not rows:
            return None
        row = max(rows, key=lambda r: r.locked_until)
        return Locked(Scope(row.scope), row.locked_until)

    def failed(self, user_id: str, address: str) -> None:
        at = self.now()
        with self.engine.begin() as connection:
            for scope, key in ((Scope.ACCOUNT, account_key(user_id)), (Scope.ADDRESS, address[:200])):
                limit = self.limits[scope]
                connection.execute(self._count(scope, key, at, limit))
                connection.execute(
                    update(failures)
                    .where(
                        failures.c.scope == scope.value,
                        failures.c.key == key,
                        failures.c.failures >= limit.failures,
                        or_(failures.c.locked_until.is_(None), failures.c.locked_until <= at),
                    )
                    .values(locked_until=at + limit.lock_for, failures=0, window_started_at=at)
                )

    def _count(self, scope: Scope, key: str, at: datetime, limit: Limit) -> Executable:
        dialect = postgresql if self.engine.dialect.name == "postgresql" else sqlite
        stale = failures.c.window_started_at <= at - limit.window
        statement = dialect.insert(failures).values(
            scope=scope.value, key=key, failures=1, window_started_at=at, locked_until=None
        )
        return statement.on_conflict_do_update(
            index_elements=[failures.c.scope, failures.c.key],
            set_={
                "failures": case((stale, 1), else_=failures.c.failures + 1),
                "window_started_at": case((stale, at), else_=failures.c.window_started_at),
            },
        )

    def account_locked_until(self, user_id: str) -> datetime | None:
        with self.engine.connect() as connection:
            return connection.scalar(
                select(failures.c.locked_until).where(
                    failures.c.scope == Scope.ACCOUNT.value,
                    failures.c.key == account_key(user_id),
                    failures.c.locked_until > self.now(),
                )
            )

    def succeeded(self, user_id: str) -> None:
        with self.engine.begin() as connection:
            connection.execute(unlock_statement(user_id))

    def unlock(self, user_id: str) -> None:
        self.succeeded(user_id)
