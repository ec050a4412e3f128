"""Secret keys for each person's deadlines feed, so a calendar app can subscribe without a cookie.

The key is part of the feed's address (``/reminders/feeds/<key>.ics``); anyone holding the address can
read that person's deadlines, so it is long and random, shown once, stored only as a SHA-256, found by a
public id and compared in constant time (like the API tokens in application/users.py). One key per
person: making a new one replaces the old, which stops working at once. Kept beside the accounts, not
in the read models: it is not derived from events and must survive a rebuild.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import UTC, datetime

from sqlalchemy import Column, DateTime, Engine, MetaData, String, Table, delete, insert, select

from application.side_tables import create_side_tables

metadata = MetaData()

feed_keys = Table(
    "hub_reminder_feed_keys",
    metadata,
    Column("user_id", String(64), primary_key=True),
    Column("key_id", String(32), nullable=False, unique=True),
    Column("secret_sha256", String(64), nullable=False),
    Column("created_at", DateTime, nullable=False),
)


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


class FeedKeys:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        create_side_tables(metadata, engine)

    def issue(self, user_id: str) -> str:
        """A new key for ``user_id`` (replacing any old one); the only time its text is available."""
        key_id = secrets.token_hex(8)
        secret = secrets.token_urlsafe(24)
        with self.engine.begin() as connection:
            connection.execute(delete(feed_keys).where(feed_keys.c.user_id == user_id))
            connection.execute(
                insert(feed_keys).values(
                    user_id=user_id,
                    key_id=key_id,
                    secret_sha256=_digest(secret),
                    created_at=datetime.now(tz=UTC).replace(tzinfo=None),
                )
            )
        return f"{key_id}.{secret}"

    def user_for(self, key: str) -> str | None:
        """The user a key belongs to, or None for an unknown, replaced or malformed key."""
        key_id, _, secret = key.partition(".")
        if not key_id or not secret:
            return None
        with self.engine.connect() as connection:
            row = connection.execute(
                select(feed_keys.c.user_id, feed_keys.c.secret_sha256).where(feed_keys.c.key_id == key_id)
            ).first()
        if row is None or not hmac.compare_digest(row.secret_sha256, _digest(secret)):
            return None
        return row.user_id

    def created_at(self, user_id: str) -> datetime | None:
        with self.engine.connect() as connection:
            return connection.scalar(select(feed_keys.c.created_at).where(feed_keys.c.user_id == user_id))

    def revoke(self, user_id: str) -> bool:
        with self.engine.begin() as connection:
            return connection.execute(delete(feed_keys).where(feed_keys.c.user_id == user_id)).rowcount > 0
