"""Following a body: the public's e-mail subscription to a body's agendas, minutes and consultations.

A member of the public gives an e-mail address on a body's public page; we e-mail a signed link that
expires (``CONFIRM_FOR``); only once it is opened does the address receive notices (double opt-in).
Every message carries a signed one-click unsubscribe link (also as ``List-Unsubscribe``), which deletes
the address.

E-mail addresses are personal data, so they are never in an event: they live in ``hub_followers``
beside the accounts (not a read model: nothing here is derived from the log, and a rebuild must not
lose it), and the messages waiting for them in ``hub_follower_mail``, which holds the follower's id and
not the address. Unsubscribing deletes the follower and every message of theirs; a subscription never
confirmed is deleted once its link has expired.

Notices are queued by ``notify`` (one per confirmed follower, with a deterministic id, so calling it
twice for the same thing queues nothing new: the scheduler's scan and a consultation can both call it
safely) and sent by the mail outbox's sender (application/reminders/outbox.py) on the scheduler's timetable.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from email.message import EmailMessage
from email.utils import format_datetime
from typing import Any

from sqlalchemy import (
    Column,
    Connection,
    DateTime,
    Engine,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    Uuid,
    and_,
    delete,
    func,
    insert,
    or_,
    select,
    update,
)
from sqlalchemy.exc import IntegrityError

from application.side_tables import create_side_tables
from domain.errors import InvalidInput
from domain.working_days import LONDON
from projections.queries.consultations import published_for_bodies_since
from projections.queries.public_bodies import published_since

metadata = MetaData()

followers = Table(
    "hub_followers",
    metadata,
    Column("id", String(32), primary_key=True),  # random: the id the signed links carry
    Column("body_id", Uuid, nullable=False),
    Column("email", String(320), nullable=False),
    Column("created_at", DateTime, nullable=False),
    Column("confirmed_at", DateTime),  # None until the confirmation link is opened
    Index("hub_followers_address", "body_id", "email", unique=True),
    Index("hub_followers_body", "body_id", "confirmed_at"),
)

# Messages for followers waiting to go, and those sent (so a notice is queued once only). No address:
# the sender looks it up from the follower when it sends.
follower_mail = Table(
    "hub_follower_mail",
    metadata,
    Column("id", String(36), primary_key=True),  # UUID5 of (follower, what the message is about)
    Column("follower_id", String(32), nullable=False),
    Column("kind", String(20), nullable=False),  # confirm / notice
    Column("subject", String(400), nullable=False),
    Column("text", Text, nullable=False),
    Column("created_at", DateTime, nullable=False),
    Column("not_before", DateTime, nullable=False),  # the next try (back-off after a failure)
    Column("claimed_by", String(200)),
    Column("claimed_until", DateTime),
    Column("attempts", Integer, nullable=False, default=0),
    Column("sent_at", DateTime),
    Column("refused", Text),  # the server refused it for good (5xx)
    Index("hub_follower_mail_waiting", "sent_at", "not_before"),
    Index("hub_follower_mail_follower", "follower_id"),
)

secrets_table = Table(
    "hub_follower_secret",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("secret", String(100), nullable=False),
)

CONFIRM_FOR = timedelta(days=3)  # a confirmation link works for three days
RESEND_AFTER = timedelta(minutes=10)  # at most one confirmation e-mail per address and body in this time
EMAIL_LENGTH = 320
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
# The local part in plain ASCII (RFC 5322's atom characters and dots): no control characters, no lone
# surrogates, nothing a mail server or a database might read differently.
_EMAIL = re.compile(rf"^[A-Za-z0-9.!#$%&'*+/=?^_`{{|}}~-]{{1,64}}@{_LABEL}(?:\.{_LABEL})+\Z")
MAIL_NAMESPACE = uuid.UUID("0f7f4f55-3c1d-4a8e-9a49-2f0a6b3d1c17")
MESSAGE_ID_DOMAIN = "followers.partnership-hub"


class BadLink(InvalidInput):
    """A follower's link that is not ours, was changed, has expired or is no longer in use."""

    def __init__(self, message: str) -> None:
        super().__init__("token", message)


@dataclass(frozen=True)
class Subscribed:
    follower_id: str
    confirmation_queued: bool


def naive(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(tzinfo=None) if moment.tzinfo else moment


def normalise_email(value: str) -> str:
    """An address as we keep it: trimmed, the domain in lower case; refused unless it looks like one."""
    address = (value or "").strip()
    if not address or len(address) > EMAIL_LENGTH or not _EMAIL.match(address):
        raise InvalidInput("email", "enter an e-mail address, like name@example.com")
    local, _, domain = address.rpartition("@")
    return f"{local}@{domain.lower()}"


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


class Followers:
    """The followers of bodies, their signed links and the messages waiting for them."""

    def __init__(self, engine: Engine, clock: Callable[[], datetime]) -> None:
        self.engine = engine
        self.clock = clock
        create_side_tables(metadata, engine)
        self._secret: bytes | None = None

    # ------------------------------------------------------------ signed links

    def _key(self) -> bytes:
        """One random signing key per store, made on first use and shared by every process through the
        database (the web servers sign links, the scheduler signs the unsubscribe links in notices)."""
        if self._secret is None:
            with self.engine.begin() as connection:
                found = connection.scalar(select(secrets_table.c.secret).where(secrets_table.c.id == 1))
                if found is None:
                    try:
                        with connection.begin_nested():
                            made = secrets.token_urlsafe(48)
                            connection.execute(insert(secrets_table).values(id=1, secret=made))
                            found = made
                    except IntegrityError:  # another process made it first
                        found = connection.scalar(select(secrets_table.c.secret).where(secrets_table.c.id == 1))
            self._secret = str(found).encode()
        return self._secret

    def _sign(self, purpose: str, follower_id: str, issued: int) -> str:
        payload = f"{purpose}.{follower_id}.{issued}"
        mac = hmac.new(self._key(), payload.encode(), hashlib.sha256).digest()
        return f"{follower_id}.{issued}.{_b64(mac)}"

    def _verify(self, purpose: str, token: str) -> tuple[str, int]:
        parts = (token or "").split(".")
        if len(parts) != 3 or not (parts[1].isascii() and parts[1].isdigit()) or len(token) > 200:
            raise BadLink("This link is not complete or has been changed: copy the whole link from the e-mail.")
        follower_id, issued = parts[0], int(parts[1])
        if not hmac.compare_digest(self._sign(purpose, follower_id, issued), token):
            raise BadLink("This link is not complete or has been changed: copy the whole link from the e-mail.")
        return follower_id, issued

    def confirmation_token(self, follower_id: str) -> str:
        return self._sign("confirm", follower_id, int(naive(self.clock()).replace(tzinfo=UTC).timestamp()))

    def unsubscribe_token(self, follower_id: str) -> str:
        return self._sign("unsubscribe", follower_id, 0)  # never expires: one click always works

    # ------------------------------------------------------------ subscribing

    def subscribe(self, body_id: uuid.UUID, body_name: str, email: str, *, link: Callable[[str], str]) -> Subscribed:
        """Starts following ``body_id``: queues a confirmation e-mail (``link`` makes its address from a
        token). An address already confirmed gets nothing new; one waiting gets the e-mail again, at most
        once every ``RESEND_AFTER``. The answer is the same either way, so nobody learns who follows what."""
        address = normalise_email(email)
        now = naive(self.clock())
        self._key()  # made (if it must be) before the transaction below, which signs the link
        with self.engine.begin() as connection:
            self._purge_unconfirmed(connection, now)
            row = (
                connection.execute(
                    select(followers).where(followers.c.body_id == body_id, followers.c.email == address)
                )
                .mappings()
                .first()
            )
            if row is None:
                follower_id = secrets.token_hex(16)
                try:
                    with connection.begin_nested():
                        connection.execute(
                            insert(followers).values(id=follower_id, body_id=body_id, email=address, created_at=now)
                        )
                except IntegrityError:  # the same address asked twice at once: the other request sends it
                    return Subscribed(follower_id, False)
            elif row["confirmed_at"] is not None:
                return Subscribed(row["id"], False)
            else:
                follower_id = row["id"]
                last = connection.scalar(
                    select(follower_mail.c.created_at)
                    .where(follower_mail.c.follower_id == follower_id, follower_mail.c.kind == "confirm")
                    .order_by(follower_mail.c.created_at.desc())
                    .limit(1)
                )
                if last is not None and now - last < RESEND_AFTER:
                    return Subscribed(follower_id, False)
                connection.execute(update(followers).where(followers.c.id == follower_id).values(created_at=now))
            url = link(self.confirmation_token(follower_id))
            text = (
                f"Someone (we hope you) asked to follow {body_name} on the council's Partnership Hub: an e-mail\n"
                "when its agendas, minutes or consultations are published.\n\n"
                f"To confirm, open this link within {CONFIRM_FOR.days} days:\n{url}\n\n"
                "If it was not you, ignore this e-mail: nothing will be sent, and your address will be deleted\n"
                "when the link expires.\n"
            )
            self._queue(
                connection,
                follower_id,
                key=f"confirm:{now.isoformat()}",
                kind="confirm",
                subject=f"Confirm that you want to follow {body_name}",
                text=text,
                now=now,
            )
        return Subscribed(follower_id, True)

    def check(self, purpose: str, token: str) -> dict[str, Any] | None:
        """The follower a link names, refusing a changed, expired or no longer used link (``BadLink``); an
        unsubscribe link of an address already deleted answers None (a second click does no harm)."""
        follower_id, issued = self._verify(purpose, token)
        issued_at = datetime.fromtimestamp(issued, tz=UTC).replace(tzinfo=None)
        if purpose == "confirm" and naive(self.clock()) - issued_at > CONFIRM_FOR:
            raise BadLink(
                f"This confirmation link has expired: links work for {CONFIRM_FOR.days} days. "
                "Follow the body again to get a new one."
            )
        with self.engine.connect() as connection:
            row = connection.execute(select(followers).where(followers.c.id == follower_id)).mappings().first()
        if row is None and purpose == "confirm":
            raise BadLink("This subscription is no longer in use: follow the body again to get a new link.")
        return None if row is None else dict(row)

    def confirm(self, token: str) -> uuid.UUID:
        """Confirms the subscription a confirmation link names; answers the body it follows."""
        row = self.check("confirm", token)
        assert row is not None
        if row["confirmed_at"] is None:
            with self.engine.begin() as connection:
                connection.execute(
                    update(followers).where(followers.c.id == row["id"]).values(confirmed_at=naive(self.clock()))
                )
        return row["body_id"]

    def unsubscribe(self, token: str) -> uuid.UUID | None:
        """Stops following and deletes the address and its messages; the body it followed, or None when it
        was already gone (a second click does no harm)."""
        follower_id, _ = self._verify("unsubscribe", token)
        with self.engine.begin() as connection:
            body_id = connection.scalar(select(followers.c.body_id).where(followers.c.id == follower_id))
            connection.execute(delete(follower_mail).where(follower_mail.c.follower_id == follower_id))
            connection.execute(delete(followers).where(followers.c.id == follower_id))
        return body_id

    def _purge_unconfirmed(self, connection: Any, now: datetime) -> None:
        """Deletes addresses whose confirmation link has expired unopened (and their messages)."""
        stale = select(followers.c.id).where(
            followers.c.confirmed_at.is_(None), followers.c.created_at < now - CONFIRM_FOR
        )
        connection.execute(delete(follower_mail).where(follower_mail.c.follower_id.in_(stale)))
        connection.execute(
            delete(followers).where(followers.c.confirmed_at.is_(None), followers.c.created_at < now - CONFIRM_FOR)
        )

    def count(self, body_id: uuid.UUID) -> int:
        """How many confirmed followers a body has (a number, never who)."""
        with self.engine.connect() as connection:
            counted = connection.scalar(
                select(func.count())
                .select_from(followers)
                .where(followers.c.body_id == body_id, followers.c.confirmed_at.is_not(None))
            )
        return int(counted or 0)

    # ------------------------------------------------------------ notices

    def notify(self, body_id: uuid.UUID, *, key: str, subject: str, text: str, since: datetime | None = None) -> int:
        """Queues a notice for every confirmed follower of ``body_id`` (confirmed by ``since`` when given: a
        follower is told of what is published after they confirmed). ``key`` names what the notice is about
        ("agenda:<meeting id>", "consultation:<id>"): the same key queues nothing twice. The hook for
        whatever publishes something about a body: the scheduler's notice scan, a consultation."""
        now = naive(self.clock())
        queued = 0
        with self.engine.begin() as connection:
            query = select(followers.c.id).where(followers.c.body_id == body_id, followers.c.confirmed_at.is_not(None))
            if since is not None:
                query = query.where(followers.c.confirmed_at <= naive(since))
            for (follower_id,) in connection.execute(query).all():
                queued += self._queue(
                    connection, follower_id, key=key, kind="notice", subject=subject, text=text, now=now
                )
        return queued

    def _queue(
        self, connection: Any, follower_id: str, *, key: str, kind: str, subject: str, text: str, now: datetime
    ) -> int:
        mail_id = str(uuid.uuid5(MAIL_NAMESPACE, f"{follower_id}:{key}"))
        try:
            with connection.begin_nested():
                connection.execute(
                    insert(follower_mail).values(
                        id=mail_id,
                        follower_id=follower_id,
                        kind=kind,
                        subject=subject[:400],
                        text=text,
                        created_at=now,
                        not_before=now,
                        attempts=0,
                    )
                )
        except IntegrityError:
            return 0  # queued before: nothing twice
        return 1

    # ------------------------------------------------------------ the outbox's side

    def waiting(self, *, limit: int = 100) -> list[str]:
        now = naive(self.clock())
        with self.engine.connect() as connection:
            return list(
                connection.scalars(
                    select(follower_mail.c.id)
                    .where(
                        follower_mail.c.sent_at.is_(None),
                        follower_mail.c.refused.is_(None),
                        follower_mail.c.not_before <= now,
                    )
                    .order_by(follower_mail.c.not_before, follower_mail.c.id)
                    .limit(limit)
                )
            )

    def claim(self, mail_id: str, *, worker: str, hold_for: timedelta) -> dict[str, Any] | None:
        """Takes one message for ``worker``: an atomic update only one process can win. Answers the message
        with its address and unsubscribe token, or None when another sender has it or it is gone."""
        now = naive(self.clock())
        with self.engine.begin() as connection:
            taken = connection.execute(
                update(follower_mail)
                .where(
                    follower_mail.c.id == mail_id,
                    follower_mail.c.sent_at.is_(None),
                    follower_mail.c.refused.is_(None),
                    or_(follower_mail.c.claimed_until.is_(None), follower_mail.c.claimed_until < now),
                )
                .values(claimed_by=worker, claimed_until=now + hold_for)
            ).rowcount
            if not taken:
                return None
            row = (
                connection.execute(
                    select(follower_mail, followers.c.email, followers.c.confirmed_at)
                    .join(followers, followers.c.id == follower_mail.c.follower_id)
                    .where(follower_mail.c.id == mail_id)
                )
                .mappings()
                .first()
            )
        if row is None:
            return None
        found = dict(row)
        found["unsubscribe_token"] = self.unsubscribe_token(found["follower_id"])
        return found

    def _settle(self, mail_id: str, worker: str, **values: Any) -> None:
        with self.engine.begin() as connection:
            connection.execute(
                update(follower_mail)
                .where(and_(follower_mail.c.id == mail_id, follower_mail.c.claimed_by == worker))
                .values(claimed_by=None, claimed_until=None, **values)
            )

    def sent(self, mail_id: str, worker: str) -> None:
        self._settle(mail_id, worker, sent_at=naive(self.clock()))

    def failed(self, mail: dict[str, Any], worker: str, retry_at: datetime) -> None:
        self._settle(mail["id"], worker, attempts=mail["attempts"] + 1, not_before=naive(retry_at))

    def refused(self, mail_id: str, worker: str, reason: str) -> None:
        self._settle(mail_id, worker, refused=reason[:1000])

    def sent_messages(self, follower_id: str) -> Iterable[dict[str, Any]]:
        with self.engine.connect() as connection:
            return [
                dict(r)
                for r in connection.execute(
                    select(follower_mail).where(follower_mail.c.follower_id == follower_id)
                ).mappings()
            ]


def follower_message(mail: dict[str, Any], *, sender: str, base_url: str, now: datetime) -> EmailMessage:
    """The e-mail a queued message becomes: the unsubscribe link in its text and as ``List-Unsubscribe``
    with ``List-Unsubscribe-Post`` (RFC 8058: a mail client unsubscribes with one POST, no page)."""
    unsubscribe = f"{base_url}/public/follow/unsubscribe/{mail['unsubscribe_token']}"
    message = EmailMessage()
    message["From"] = sender
    message["To"] = mail["email"]
    message["Subject"] = mail["subject"]
    message["Date"] = format_datetime(now)
    message["Message-ID"] = f"<{mail['id']}@{MESSAGE_ID_DOMAIN}>"
    message["List-Unsubscribe"] = f"<{unsubscribe}>"
    message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message.set_content(
        mail["text"] + "\n--\nTo stop these e-mails and delete your address, open this link (one click, nothing else "
        f"to do):\n{unsubscribe}\n"
    )
    return message


NOTICE_LOOKBACK = timedelta(days=7)  # publications this recent are still worth telling followers about


def _end_of(day: date) -> datetime:
    return datetime.combine(day + timedelta(days=1), time(0), tzinfo=LONDON)


def queue_notices(followers: Followers, connection: Connection, *, today: date, base_url: str) -> int:
    """Queues a notice to the followers of each body whose public meeting had its agenda or minutes
    published in the last week, or about which a consultation was published in that week (the scheduler's
    scan calls this). A follower hears of what was published on or after the day they confirmed; each
    notice is queued once (``Followers.notify``)."""
    queued = 0
    for row in published_since(connection, today - NOTICE_LOOKBACK):
        when = f"{row['meeting_date']:%A %-d %B %Y} at {row['start_time']:%H:%M}, {row['place']}"
        page = f"{base_url}/public/meetings/{row['id']}"
        if row["agenda_published_on"] is not None and row["agenda_published_on"] >= today - NOTICE_LOOKBACK:
            queued += followers.notify(
                row["body_id"],
                key=f"agenda:{row['id']}",
                subject=f"Agenda published: {row['body_name']}, {row['meeting_date']:%-d %B %Y}",
                text=(
                    f"The agenda and papers for the meeting of {row['body_name']} on {when} have been published.\n\n"
                    f"Read them here: {page}\n"
                ),
                since=_end_of(row["agenda_published_on"]),
            )
        if row["minutes_out"] and row["minutes_published_on"] >= today - NOTICE_LOOKBACK:
            queued += followers.notify(
                row["body_id"],
                key=f"minutes:{row['id']}",
                subject=f"Minutes published: {row['body_name']}, {row['meeting_date']:%-d %B %Y}",
                text=(
                    f"The minutes of the meeting of {row['body_name']} on {when} have been published.\n\n"
                    f"Read them here: {page}\n"
                ),
                since=_end_of(row["minutes_published_on"]),
            )
    # A consultation about the body (rule A4), once published: what it asks and where to read it.
    lookback = datetime.combine(today - NOTICE_LOOKBACK, time(0), tzinfo=LONDON).astimezone(UTC)
    for row in published_for_bodies_since(connection, lookback.replace(tzinfo=None)):
        published = row["published_at"].replace(tzinfo=UTC).astimezone(LONDON).date()
        queued += followers.notify(
            row["body_id"],
            key=f"consultation:{row['id']}",
            subject=f"Consultation published: {row['title']}",
            text=(
                f"A consultation has been published: {row['title']}.\n\n{row['summary']}\n\n"
                f"It closes on {row['closes_on']:%-d %B %Y}. Read about it here: "
                f"{base_url}/public/consultations/{row['id']}\n"
            ),
            since=_end_of(published),
        )
    return queued
