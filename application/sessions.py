"""Signed-in sessions kept on the server, so that signing out (or an administrator) can end them.

The browser's cookie holds a random session id; this table holds its SHA-256, whose account it is,
when it began and when it was last used. A request's session is good only while its row exists, it
has been used within the idle time-out and it began within the absolute time-out. Signing out deletes
the row; a new password, a deactivated account or "sign out everywhere" deletes every row of the
person (application/users.py, application/account_commands.py), so a copied cookie stops working.
"""

from __future__ import annotations

import hashlib
import logging
import os
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, delete, func, insert, select, update
from sqlalchemy.exc import OperationalError

from application.account_tables import sessions
from application.users import naive


def utc_now() -> datetime:
    return datetime.now(tz=UTC)


log = logging.getLogger(__name__)

IDLE_TIMEOUT = timedelta(minutes=30)
ABSOLUTE_TIMEOUT = timedelta(hours=12)
# How stale "last seen" may get before it is written again: not a write on every page.
TOUCH_RESOLUTION = timedelta(minutes=1)


def _digest(session_id: str) -> str:
    return hashlib.sha256(session_id.encode()).hexdigest()


IDLE_MINUTES_VAR = "PARTNERSHIP_HUB_SESSION_IDLE_MINUTES"
ABSOLUTE_HOURS_VAR = "PARTNERSHIP_HUB_SESSION_ABSOLUTE_HOURS"


@dataclass(frozen=True)
class Timeouts:
    idle: timedelta = IDLE_TIMEOUT
    absolute: timedelta = ABSOLUTE_TIMEOUT

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Timeouts:
        env = os.environ if environ is None else environ
        idle = float(env.get(IDLE_MINUTES_VAR) or IDLE_TIMEOUT.total_seconds() / 60)
        absolute = float(env.get(ABSOLUTE_HOURS_VAR) or ABSOLUTE_TIMEOUT.total_seconds() / 3600)
        return cls(idle=timedelta(minutes=idle), absolute=timedelta(hours=absolute))


class Sessions:
    """Sessions in real time (``clock``, the wall clock unless a test moves one), not the hub's clock:
    a test that moves the record's "today" by months must not sign everyone out."""

    def __init__(
        self, engine: Engine, timeouts: Timeouts | None = None, clock: Callable[[], datetime] = utc_now
    ) -> None:
        self.engine = engine
        self.timeouts = timeouts or Timeouts.from_env()
        self.clock = clock

    def start(self, user_id: str) -> str:
        """A new session for the person; the id goes in their cookie and nowhere else."""
        session_id = secrets.token_urlsafe(32)
        at = naive(self.clock())
        with self.engine.begin() as connection:
            connection.execute(
                insert(sessions).values(
                    session_sha256=_digest(session_id), user_id=user_id, created_at=at, last_seen_at=at
                )
            )
        return session_id

    def user_of(self, session_id: str) -> str | None:
        """Whose session this is, if it is still good; an expired one is ended."""
        digest = _digest(session_id)
        at = naive(self.clock())
        with self.engine.connect() as connection:
            row = connection.execute(select(sessions).where(sessions.c.session_sha256 == digest)).first()
        if row is None:
            return None
        if at - row.last_seen_at > self.timeouts.idle or at - row.created_at > self.timeouts.absolute:
            self._run(delete(sessions).where(sessions.c.session_sha256 == digest))
            return None
        if at - row.last_seen_at >= TOUCH_RESOLUTION:
            self._run(update(sessions).where(sessions.c.session_sha256 == digest).values(last_seen_at=at))
        return row.user_id

    def end(self, session_id: str) -> None:
        self._run(delete(sessions).where(sessions.c.session_sha256 == _digest(session_id)), quiet=False)

    def end_all(self, user_id: str) -> int:
        with self.engine.begin() as connection:
            return connection.execute(delete(sessions).where(sessions.c.user_id == user_id)).rowcount

    def count(self, user_id: str) -> int:
        with self.engine.connect() as connection:
            return connection.scalar(select(func.count()).where(sessions.c.user_id == user_id)) or 0

    def _run(self, statement: object, *, quiet: bool = True) -> None:
        try:
            with self.engine.begin() as connection:
                connection.execute(statement)  # type: ignore[arg-type]
        except OperationalError:
            if not quiet:
                raise
            # Reading pages goes on when the disk is full or read-only; "last seen" is a note.
            log.warning("could not update a session's last use", exc_info=True)
