"""The tables beside the event store that hold people's accounts: credentials, sessions and sign-in throttling.

They are in the event store's database (the same by default), so an administrator's change to an
account and its audit event are written in one transaction (application/account_commands.py).
``create_tables`` creates them and adds the columns later versions brought to an existing store.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    Engine,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    inspect,
    text,
)

from application.side_tables import create_side_tables

metadata = MetaData()

users = Table(
    "hub_users",
    metadata,
    Column("user_id", String(64), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("email", String(320), nullable=False),
    Column("role", String(64), nullable=False),
    Column("password_hash", String(200), nullable=True),
    Column("active", Boolean, nullable=False, default=True),
    # Reminders (issue 6): how many days ahead to be told, and whether by e-mail as well as in the app.
    Column("reminder_lead_days", Integer, nullable=False, default=5),
    Column("email_reminders", Boolean, nullable=False, default=True),
    Column("version", Integer, nullable=False, default=1),
    Column("created_at", DateTime, nullable=False),
    # The account's id in the event store (domain.account.account_id of user_id), for its pages and API.
    Column("account_id", String(36), nullable=True, unique=True),
    # "demo", "command line", or the administrator who made it; NULL for accounts made before it was kept.
    Column("created_by", String(64), nullable=True),
)

api_tokens = Table(
    "hub_api_tokens",
    metadata,
    Column("token_id", String(32), primary_key=True),
    Column("user_id", String(64), ForeignKey("hub_users.user_id"), nullable=False, index=True),
    Column("secret_sha256", String(64), nullable=False),
    Column("label", String(200), nullable=False, default=""),
    Column("created_at", DateTime, nullable=False),
    Column("revoked_at", DateTime, nullable=True),
    # Updated at most once a minute, so a busy script does not write on every call.
    Column("last_used_at", DateTime, nullable=True),
)

# A signed-in browser: the cookie holds a random id, this table its SHA-256 (a copy of the table opens
# no session). Deleting the rows of a person ends all their sessions at once.
sessions = Table(
    "hub_sessions",
    metadata,
    Column("session_sha256", String(64), primary_key=True),
    Column("user_id", String(64), nullable=False, index=True),
    Column("created_at", DateTime, nullable=False),
    Column("last_seen_at", DateTime, nullable=False),
)

# Failed sign-ins per account (scope "account", key the user name typed) and per client address (scope
# "address"): how many in the current window, and until when further attempts are refused.
sign_in_failures = Table(
    "hub_sign_in_failures",
    metadata,
    Column("scope", String(16), primary_key=True),
    Column("key", String(200), primary_key=True),
    Column("failures", Integer, nullable=False),
    Column("window_started_at", DateTime, nullable=False),
    Column("locked_until", DateTime, nullable=True),
)


def create_tables(engine: Engine) -> None:
    create_side_tables(metadata, engine)
    _add_missing_columns(engine)


def _add_missing_columns(engine: Engine) -> None:
    """Adds, as NULL-able columns, what this version's tables have and an older store's lack."""
    inspector = inspect(engine)
    with engine.begin() as connection:
        for table in metadata.sorted_tables:
            present = {c["name"] for c in inspector.get_columns(table.name)}
            for column in table.columns:
                if column.name not in present:
                    kind = column.type.compile(dialect=engine.dialect)
                    connection.execute(text(f'ALTER TABLE {table.name} ADD COLUMN "{column.name}" {kind}'))
