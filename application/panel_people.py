"""The panel's people: name, e-mail address and interests of each panel member, beside the event store.

Personal data is kept here, not in events (which know a panel member only by a random id), so that
erasing a person can be deleting their row (no command does it yet; see the README). The table is in
the event store's database, and every change to it is written in the same transaction as the panel
member's event (``table_changes``, as the accounts do: application/account_commands.py), so a row and
its event are never out of step.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from uuid import UUID

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    Engine,
    Executable,
    MetaData,
    String,
    Table,
    Text,
    create_engine,
    func,
    insert,
    select,
    update,
)

from application.side_tables import create_side_tables

metadata = MetaData()

people = Table(
    "hub_panel_people",
    metadata,
    Column("panel_member_id", String(36), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("email", String(320), nullable=False, index=True),
    # The services, groups or topics they are interested in, one per line (case as they wrote it).
    Column("interests", Text, nullable=False, default=""),
    # The body they sit on, if any: a body's members are a consultation's possible audience.
    Column("member_of", String(36), nullable=True),
    Column("confirmed", Boolean, nullable=False),
    # The day they consented to be contacted (also in their Joined event, with who recorded it).
    Column("consent_on", Date, nullable=False),
    Column("joined_at", DateTime, nullable=False),
    Column("left_on", Date, nullable=True),
)


@dataclass(frozen=True)
class PanelPerson:
    panel_member_id: UUID
    name: str
    email: str
    interests: tuple[str, ...]
    member_of: UUID | None
    confirmed: bool
    consent_on: date
    joined_at: datetime
    left_on: date | None

    @property
    def active(self) -> bool:
        return self.confirmed and self.left_on is None

    def interested_in(self, topic: str) -> bool:
        wanted = " ".join(topic.casefold().split())
        return any(wanted == " ".join(i.casefold().split()) for i in self.interests)


def _person(row: object) -> PanelPerson:
    m = row._mapping  # type: ignore[attr-defined]
    return PanelPerson(
        panel_member_id=UUID(m["panel_member_id"]),
        name=m["name"],
        email=m["email"],
        interests=tuple(i for i in (m["interests"] or "").split("\n") if i),
        member_of=UUID(m["member_of"]) if m["member_of"] else None,
        confirmed=bool(m["confirmed"]),
        consent_on=m["consent_on"],
        joined_at=m["joined_at"],
        left_on=m["left_on"],
    )


def insert_person(
    panel_member_id: UUID,
    *,
    name: str,
    email: str,
    interests: list[str],
    member_of: UUID | None,
    confirmed: bool,
    consent_on: date,
    at: datetime,
) -> Executable:
    return insert(people).values(
        panel_member_id=str(panel_member_id),
        name=name,
        email=email,
        interests="\n".join(interests),
        member_of=str(member_of) if member_of else None,
        confirmed=confirmed,
        consent_on=consent_on,
        joined_at=at.replace(tzinfo=None),
    )


def update_person(panel_member_id: UUID, **values: object) -> Executable:
    return update(people).where(people.c.panel_member_id == str(panel_member_id)).values(**values)


class PanelPeople:
    """Reads of the panel's people (writes go with their events: see ``insert_person``, ``update_person``)."""

    def __init__(self, url_or_engine: str | Engine) -> None:
        self.engine = create_engine(url_or_engine) if isinstance(url_or_engine, str) else url_or_engine
        create_side_tables(metadata, self.engine)

    def get(self, panel_member_id: UUID | str) -> PanelPerson | None:
        with self.engine.connect() as connection:
            row = connection.execute(select(people).where(people.c.panel_member_id == str(panel_member_id))).first()
        return _person(row) if row else None

    def by_email(self, email: str) -> list[PanelPerson]:
        with self.engine.connect() as connection:
            rows = connection.execute(
                select(people).where(func.lower(people.c.email) == email.strip().lower())
            ).fetchall()
        return [_person(r) for r in rows]

    def all(self, *, active_only: bool = False) -> list[PanelPerson]:
        query = select(people).order_by(people.c.name, people.c.panel_member_id)
        if active_only:
            query = query.where(people.c.confirmed.is_(True), people.c.left_on.is_(None))
        with self.engine.connect() as connection:
            return [_person(r) for r in connection.execute(query)]

    def audience(self, *, topic: str | None = None, body_id: UUID | None = None) -> list[PanelPerson]:
        """Those who may be contacted now: everyone active, or those interested in ``topic``, or on ``body_id``."""
        chosen = self.all(active_only=True)
        if topic is not None:
            chosen = [p for p in chosen if p.interested_in(topic)]
        if body_id is not None:
            chosen = [p for p in chosen if p.member_of == body_id]
        return chosen
