"""People who sign in, their role, their reminder preferences and their API tokens.

Accounts are not part of the governance record, so they are plain tables (not events) kept in the
event store's database. Passwords are hashed with Argon2 (argon2-cffi). API tokens are long random
strings shown once; only their SHA-256 is stored, found by a public prefix and compared in constant
time. Preference changes are optimistic, like the record's: a stale ``expected_version`` is refused.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from uuid import UUID

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Engine, Executable, create_engine, delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError, OperationalError

from application.account_tables import api_tokens, create_tables, sessions, users
from application.authority import Role
from application.errors import ConflictError, DuplicateError, NotFound
from domain.account import account_id
from domain.actor import Actor
from domain.errors import InvalidInput

log = logging.getLogger(__name__)

USER_ID = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")
TOKEN_PREFIX = "phub"
MIN_PASSWORD_LENGTH = 10
_hasher = PasswordHasher()
# Verified when the user is unknown, so a wrong user name costs as long as a wrong password.
_DUMMY_HASH = _hasher.hash("not a real password")
# How often a token's "last used" is written: an API script's every call need not write.
TOKEN_USE_RESOLUTION = timedelta(minutes=1)
DEMO_CREATOR = "demo"


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
    created_by: str | None = None

    @property
    def account_id(self) -> UUID:
        """The account's id in the event store (its audit trail), from the user id."""
        return account_id(self.user_id)

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
        created_by=m["created_by"],
    )


def _secret_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def check_user_id(user_id: str) -> str:
    user_id = user_id.strip().lower()
    if not USER_ID.match(user_id):
        raise InvalidInput(
            "user_id",
            "use 2 to 64 lower-case letters, digits, dots, hyphens or underscores, starting with a letter or digit",
        )
    return user_id


def hash_password(password: str) -> str:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput("password", f"use at least {MIN_PASSWORD_LENGTH} characters")
    return _hasher.hash(password)


def new_user_row(
    user_id: str, *, name: str, email: str, role: Role | str, password: str | None, created_by: str, at: datetime
) -> dict[str, object]:
    """A new account's row, every value checked (the field is named in the refusal)."""
    user_id = check_user_id(user_id)
    try:
        role = Role(role)
    except ValueError:
        raise InvalidInput("role", f"choose one of: {', '.join(r.value for r in Role)}") from None
    if "@" not in email:
        raise InvalidInput("email", "enter an e-mail address, like name@example.gov.uk")
    if not name.strip():
        raise InvalidInput("name", "enter the person's name")
    return {
        "user_id": user_id,
        "name": name.strip(),
        "email": email.strip(),
        "role": role.value,
        "password_hash": hash_password(password) if password is not None else None,
        "active": True,
        "reminder_lead_days": 5,
        "email_reminders": True,
        "version": 1,
        "created_at": naive(at),
        "account_id": str(account_id(user_id)),
        "created_by": created_by,
    }


def naive(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(tzinfo=None) if moment.tzinfo else moment


# ---------------------------------------------------- statements for one transaction
# An administrator's change runs these in the event store's transaction with its audit event
# (application/account_commands.py): both are written, or neither.


def insert_user(row: dict[str, object]) -> Executable:
    return insert(users).values(**row)


def update_user(user_id: str, **values: object) -> Executable:
    return update(users).where(users.c.user_id == user_id).values(**values, version=users.c.version + 1)


def end_sessions(user_id: str) -> Executable:
    return delete(sessions).where(sessions.c.user_id == user_id)


@dataclass(frozen=True)
class NewToken:
    token_id: str
    token: str  # the whole bearer token, shown once
    statement: Executable


def new_token(user_id: str, label: str, at: datetime) -> NewToken:
    token_id = secrets.token_hex(8)
    secret = secrets.token_urlsafe(32)
    statement = insert(api_tokens).values(
        token_id=token_id, user_id=user_id, secret_sha256=_secret_hash(secret), label=label, created_at=naive(at)
    )
    return NewToken(token_id, f"{TOKEN_PREFIX}_{token_id}_{secret}", statement)


def revoke_token_statement(token_id: str, at: datetime) -> Executable:
    return (
        update(api_tokens)
        .where(api_tokens.c.token_id == token_id, api_tokens.c.revoked_at.is_(None))
        .values(revoked_at=naive(at))
    )


class Users:
    """The accounts store; ``url`` is the event store's database unless told otherwise."""

    def __init__(self, url_or_engine: str | Engine) -> None:
        self.engine = create_engine(url_or_engine) if isinstance(url_or_engine, str) else url_or_engine
        create_tables(self.engine)
        self._fill_account_ids()

    def _fill_account_ids(self) -> None:
        with self.engine.begin() as connection:
            missing = connection.scalars(select(users.c.user_id).where(users.c.account_id.is_(None))).all()
            for user_id in missing:
                connection.execute(
                    update(users).where(users.c.user_id == user_id).values(account_id=str(account_id(user_id)))
                )

    def run(self, *statements: Executable) -> None:
        """Runs statements in one transaction (tests, and callers without an event to record)."""
        with self.engine.begin() as connection:
            for statement in statements:
                connection.execute(statement)

    # ------------------------------------------------------------- accounts

    def create(
        self,
        user_id: str,
        *,
        name: str,
        email: str,
        role: Role | str,
        password: str | None = None,
        created_by: str = "command line",
    ) -> User:
        row = new_user_row(
            user_id, name=name, email=email, role=role, password=password, created_by=created_by, at=_now()
        )
        try:
            self.run(insert_user(row))
        except IntegrityError:
            raise DuplicateError(f"a user '{row['user_id']}' already exists") from None
        return self.require(str(row["user_id"]))

    @staticmethod
    def _hash(password: str) -> str:
        return hash_password(password)

    def get(self, user_id: str) -> User | None:
        with self.engine.connect() as connection:
            row = connection.execute(select(users).where(users.c.user_id == user_id)).first()
        return _user(row) if row else None

    def by_account(self, account: UUID) -> User | None:
        with self.engine.connect() as connection:
            row = connection.execute(select(users).where(users.c.account_id == str(account))).first()
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

    def active_administrators(self, excluding: str | None = None) -> int:
        query = select(func.count()).where(users.c.role == Role.ADMINISTRATOR.value, users.c.active.is_(True))
        if excluding is not None:
            query = query.where(users.c.user_id != excluding)
        with self.engine.connect() as connection:
            return connection.scalar(query) or 0

    def set_password(self, user_id: str, password: str) -> None:
        """A new password; every session of the person ends (whoever knew the old one is signed out)."""
        self._update(user_id, None, password_hash=self._hash(password))
        self.run(end_sessions(user_id))

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

    def password_is(self, user_id: str, password: str) -> bool:
        """Whether ``password`` is the account's own (active or not), in constant time for any account."""
        with self.engine.connect() as connection:
            stored = connection.scalar(select(users.c.password_hash).where(users.c.user_id == user_id))
        try:
            return _hasher.verify(stored or _DUMMY_HASH, password) and stored is not None
        except (VerificationError, InvalidHashError):
            return False

    def set_preferences(
        self, user_id: str, *, reminder_lead_days: int, email_reminders: bool, expected_version: int | None
    ) -> User:
        if not 0 <= reminder_lead_days <= 60:
            raise InvalidInput("reminder_lead_days", "enter a number of days from 0 to 60")
        self._update(user_id, expected_version, reminder_lead_days=reminder_lead_days, email_reminders=email_reminders)
        return self.require(user_id)

    def deactivate(self, user_id: str) -> None:
        self._update(user_id, None, active=False)
        self.run(end_sessions(user_id))

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
        issued = new_token(user_id, label, _now())
        self.run(issued.statement)
        return issued.token

    def user_for_token(self, token: str, now: datetime | None = None) -> User | None:
        """The active user a bearer token belongs to, or None for an unknown, revoked or malformed token."""
        prefix, _, rest = token.partition("_")
        token_id, _, secret = rest.partition("_")
        if prefix != TOKEN_PREFIX or not token_id or not secret:
            return None
        with self.engine.connect() as connection:
            row = connection.execute(
                select(api_tokens.c.user_id, api_tokens.c.secret_sha256, api_tokens.c.last_used_at).where(
                    api_tokens.c.token_id == token_id, api_tokens.c.revoked_at.is_(None)
                )
            ).first()
        if row is None or not hmac.compare_digest(row.secret_sha256, _secret_hash(secret)):
            return None
        user = self.get(row.user_id)
        if user is None or not user.active:
            return None
        self._note_use(token_id, row.last_used_at, naive(now or _now()))
        return user

    def _note_use(self, token_id: str, last: datetime | None, now: datetime) -> None:
        if last is not None and now - last < TOKEN_USE_RESOLUTION:
            return
        try:
            self.run(update(api_tokens).where(api_tokens.c.token_id == token_id).values(last_used_at=now))
        except OperationalError:
            # A read-only or full disk must not stop a token from reading; the write is only a note.
            log.warning("could not note the use of token %s", token_id, exc_info=True)

    def revoke_token(self, token_id: str) -> bool:
        with self.engine.begin() as connection:
            done = connection.execute(revoke_token_statement(token_id, _now())).rowcount
        return done > 0

    def token(self, token_id: str) -> dict[str, object] | None:
        with self.engine.connect() as connection:
            row = connection.execute(select(api_tokens).where(api_tokens.c.token_id == token_id)).first()
        return dict(row._mapping) if row else None

    def tokens(self, user_id: str) -> list[dict[str, object]]:
        columns = (api_tokens.c.token_id, api_tokens.c.label, api_tokens.c.created_at, api_tokens.c.revoked_at)
        with self.engine.connect() as connection:
            rows = connection.execute(
                select(*columns, api_tokens.c.last_used_at)
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
# The demo's other project leads, so every project shows a person's name rather than a user id.
DEMO_LEADS: tuple[tuple[str, str, Role], ...] = (
    ("demo-lead-2", "Grace Adeyemi", Role.PROJECT_LEAD),
    ("demo-lead-3", "Tom Hughes", Role.PROJECT_LEAD),
    ("demo-lead-4", "Fatima Shah", Role.PROJECT_LEAD),
    ("demo-lead-5", "Owen Price", Role.PROJECT_LEAD),
)
DEMO_PASSWORD_SUFFIX = "-demo-pass"


def demo_refusal(store: Users, *, development: bool) -> str | None:
    """Why the demo accounts (whose passwords everyone knows) must not be made on this store, if they must not.

    Nothing is refused when every demo account is already there (nothing would be made). Otherwise they
    are made only in development, and only on a store whose every account the demo made itself.
    """
    if all(store.get(user_id) is not None for user_id, _name, _role in DEMO_USERS):
        return None
    if not development:
        return (
            "the demo accounts have passwords printed for anyone to read, so they are made only when "
            "PARTNERSHIP_HUB_ENV=development (or with --force, on a store that is not in use)"
        )
    foreign = [u.user_id for u in store.all() if not _made_by_demo(store, u)]
    if foreign:
        shown = ", ".join(foreign[:5]) + (", ..." if len(foreign) > 5 else "")
        return (
            f"this store holds accounts the demo did not make ({shown}), so it looks like a real one: "
            "the demo accounts, whose passwords anyone can read, are not added to it (--force to add them anyway)"
        )
    return None


def _made_by_demo(store: Users, user: User) -> bool:
    if user.created_by == DEMO_CREATOR:
        return True
    # A demo account made before accounts recorded who made them still has its printed password.
    return (
        user.created_by is None
        and any(user.user_id == demo_id for demo_id, _name, _role in (*DEMO_USERS, *DEMO_LEADS))
        and store.authenticate(user.user_id, f"{user.user_id}{DEMO_PASSWORD_SUFFIX}") is not None
    )


def ensure_demo_users(store: Users) -> list[tuple[User, str]]:
    """Creates the demo accounts that are missing; returns every demo account with its password.

    Callers outside tests ask ``demo_refusal`` first (the CLI does)."""
    out = []
    for user_id, name, role in (*DEMO_USERS, *DEMO_LEADS):
        password = f"{user_id}{DEMO_PASSWORD_SUFFIX}"
        user = store.get(user_id)
        if user is None:
            user = store.create(
                user_id,
                name=name,
                email=f"{user_id}@partnership-hub.localhost",
                role=role,
                password=password,
                created_by=DEMO_CREATOR,
            )
        out.append((user, password))
    return out
