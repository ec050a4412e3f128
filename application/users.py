"""People who sign in, their role, their reminder preferences and their API tokens.

Accounts are not part of the governance record, so they are plain tables (not events) kept in the
event store's database. Passwords are hashed with Argon2 (argon2-cffi). API tokens are long random
strings shown once; only their SHA-256 is stored, found by a public prefix and compared in constant
time. Preference changes are optimistic, like the record's: a stale ``expected_version`` is refused.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
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
    create_engine,
    insert,
    select,
    update,
)
from sqlalchemy.exc import IntegrityError

from application.authority import Role
from application.errors import ConflictError, DuplicateError, NotFound
from domain.actor import Actor
from domain.errors import InvalidInput

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
)

USER_ID = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")
TOKEN_PREFIX = "phub"
MIN_PASSWORD_LENGTH = 10
_hasher = PasswordHasher()
# Verified when the user is unknown, so a wrong user name costs as long as a wrong password.
_DUMMY_HASH = _hasher.hash("not a real password")


@dataclass(frozen=True)
class User:
    user_id: str
    name: str
    email: str
    role: Role
    active: bool
    reminder_lead_days: int
    email_reminders: bool
    version: int

    @property
    def actor(self) -> Actor:
        return Actor(user_id=self.user_id, role=self.role.value, name=self.name)


def _now() -> datetime:
    return datetime.now(tz=UTC).replace(tzinfo=None)


def _user(row: object) -> User:
    m = row._mapping  # type: ignore[attr-defined]
    return User(
        user_id=m["user_id"],
        name=m["name"],
        email=m["email"],
        role=Role(m["role"]),
        active=bool(m["active"]),
        reminder_lead_days=m["reminder_lead_days"],
        email_reminders=bool(m["email_reminders"]),
        version=m["version"],
    )


def _secret_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


class Users:
    """The accounts store; ``url`` is the event store's database unless told otherwise."""

    def __init__(self, url_or_engine: str | Engine) -> None:
        self.engine = create_engine(url_or_engine) if isinstance(url_or_engine, str) else url_or_engine
        metadata.create_all(self.engine)

    # ------------------------------------------------------------- accounts

    def create(self, user_id: str, *, name: str, email: str, role: Role | str, password: str | None = None) -> User:
        user_id = user_id.strip().lower()
        if not USER_ID.match(user_id):
            raise InvalidInput(
                "user_id",
                "use 2 to 64 lower-case letters, digits, dots, hyphens or underscores, starting with a letter or digit",
            )
        try:
            role = Role(role)
        except ValueError:
            raise InvalidInput("role", f"choose one of: {', '.join(r.value for r in Role)}") from None
        if "@" not in email:
            raise InvalidInput("email", "enter an e-mail address, like name@example.gov.uk")
        if not name.strip():
            raise InvalidInput("name", "enter the person's name")
        row = {
            "user_id": user_id,
            "name": name.strip(),
            "email": email.strip(),
            "role": role.value,
            "password_hash": self._hash(password) if password is not None else None,
            "active": True,
            "reminder_lead_days": 5,
            "email_reminders": True,
            "version": 1,
            "created_at": _now(),
        }
        try:
            with self.engine.begin() as connection:
                connection.execute(insert(users).values(**row))
        except IntegrityError:
            raise DuplicateError(f"a user '{user_id}' already exists") from None
        return self.require(user_id)

    @staticmethod
    def _hash(password: str) -> str:
        if len(password) < MIN_PASSWORD_LENGTH:
            raise InvalidInput("password", f"use at least {MIN_PASSWORD_LENGTH} characters")
        return _hasher.hash(password)

    def get(self, user_id: str) -> User | None:
        with self.engine.connect() as connection:
            row = connection.execute(select(users).where(users.c.user_id == user_id)).first()
        return _user(row) if row else None

    def require(self, user_id: str) -> User:
        user = self.get(user_id)
        if user is None:
            raise NotFound("user", user_id)
        return user

    def all(self, role: Role | None = None) -> list[User]:
        query = select(users).order_by(users.c.user_id)
        if role is not None:
            query = query.where(users.c.role == role.value)
        with self.engine.connect() as connection:
            return [_user(r) for r in connection.execute(query)]

    def set_password(self, user_id: str, password: str) -> None:
        self._update(user_id, None, password_hash=self._hash(password))

    def authenticate(self, user_id: str, password: str) -> User | None:
        """The user, if the password is theirs and the account is active; None otherwise."""
        with self.engine.connect() as connection:
            row = connection.execute(select(users).where(users.c.user_id == user_id.strip().lower())).first()
        stored = row._mapping["password_hash"] if row else None
        try:
            _hasher.verify(stored or _DUMMY_HASH, password)
        except (VerificationError, InvalidHashError):
            return None
        if row is None or stored is None:
            return None
        user = _user(row)
        if _hasher.check_needs_rehash(stored):
            self._update(user.user_id, None, password_hash=_hasher.hash(password))
        return user if user.active else None

    def set_preferences(
        self, user_id: str, *, reminder_lead_days: int, email_reminders: bool, expected_version: int | None
    ) -> User:
        if not 0 <= reminder_lead_days <= 60:
            raise InvalidInput("reminder_lead_days", "enter a number of days from 0 to 60")
        self._update(user_id, expected_version, reminder_lead_days=reminder_lead_days, email_reminders=email_reminders)
        return self.require(user_id)

    def deactivate(self, user_id: str) -> None:
        self._update(user_id, None, active=False)

    def _update(self, user_id: str, expected_version: int | None, **values: object) -> None:
        condition = users.c.user_id == user_id
        if expected_version is not None:
            condition &= users.c.version == expected_version
        with self.engine.begin() as connection:
            done = connection.execute(
                update(users).where(condition).values(**values, version=users.c.version + 1)
            ).rowcount
        if done == 0:
            current = self.require(user_id)
            raise ConflictError("user", current.name, user_id, current.version)  # type: ignore[arg-type]

    # ---------------------------------------------------------------- tokens

    def issue_token(self, user_id: str, label: str = "") -> str:
        """A new API token for the user; the only time its text is available."""
        self.require(user_id)
        token_id = secrets.token_hex(8)
        secret = secrets.token_urlsafe(32)
        with self.engine.begin() as connection:
            connection.execute(
                insert(api_tokens).values(
                    token_id=token_id,
                    user_id=user_id,
                    secret_sha256=_secret_hash(secret),
                    label=label,
                    created_at=_now(),
                )
            )
        return f"{TOKEN_PREFIX}_{token_id}_{secret}"

    def user_for_token(self, token: str) -> User | None:
        """The active user a bearer token belongs to, or None for an unknown, revoked or malformed token."""
        prefix, _, rest = token.partition("_")
        token_id, _, secret = rest.partition("_")
        if prefix != TOKEN_PREFIX or not token_id or not secret:
            return None
        with self.engine.connect() as connection:
            row = connection.execute(
                select(api_tokens.c.user_id, api_tokens.c.secret_sha256).where(
                    api_tokens.c.token_id == token_id, api_tokens.c.revoked_at.is_(None)
                )
            ).first()
        if row is None or not hmac.compare_digest(row.secret_sha256, _secret_hash(secret)):
            return None
        user = self.get(row.user_id)
        return user if user and user.active else None

    def revoke_token(self, token_id: str) -> bool:
        with self.engine.begin() as connection:
            done = connection.execute(
                update(api_tokens)
                .where(api_tokens.c.token_id == token_id, api_tokens.c.revoked_at.is_(None))
                .values(revoked_at=_now())
            ).rowcount
        return done > 0

    def tokens(self, user_id: str) -> list[dict[str, object]]:
        with self.engine.connect() as connection:
            rows = connection.execute(
                select(api_tokens.c.token_id, api_tokens.c.label, api_tokens.c.created_at, api_tokens.c.revoked_at)
                .where(api_tokens.c.user_id == user_id)
                .order_by(api_tokens.c.created_at)
            )
            return [dict(r._mapping) for r in rows]


# One account per role for `make run`; the passwords are printed there and are for a local demo only.
DEMO_USERS: tuple[tuple[str, str, Role], ...] = (
    ("officer", "Priya Officer", Role.PARTNERSHIP_OFFICER),
    ("care-holder", "Cllr Alan Care", Role.PORTFOLIO_HOLDER_CARE_SERVICES),
    ("education-holder", "Cllr Beth Learning", Role.PORTFOLIO_HOLDER_EDUCATION),
    ("director", "Dana Director", Role.EXECUTIVE_DIRECTOR),
    # The demo data (application/demo.py) names its project leads demo-lead-1 to demo-lead-5.
    ("demo-lead-1", "Lee Lead", Role.PROJECT_LEAD),
    ("auditor", "Ari Auditor", Role.AUDITOR),
    ("admin", "Ada Admin", Role.ADMINISTRATOR),
)
DEMO_PASSWORD_SUFFIX = "-demo-pass"


def ensure_demo_users(store: Users) -> list[tuple[User, str]]:
    """Creates the demo accounts that are missing; returns every demo account with its password."""
    out = []
    for user_id, name, role in DEMO_USERS:
        password = f"{user_id}{DEMO_PASSWORD_SUFFIX}"
        user = store.get(user_id)
        if user is None:
            user = store.create(
                user_id, name=name, email=f"{user_id}@partnership-hub.localhost", role=role, password=password
            )
        out.append((user, password))
    return out
