"""The search read model: one row per thing a person may look for, and the database's own word index over it.

Every row of ``rm_search_documents`` is a *document*: a body (name, purpose, terms of reference), a
meeting, an agenda item, a paper (title and summary), a decision, an action, a project (title, aims,
outcomes) or a consultation (title, summary, what it concerns, its outcome; public once published).
Each carries what decides who may see it, worked out here from the events alone so a
rebuild writes the same rows:

- ``public``: whether the public may see it now. A meeting's business is public only when the meeting is
  open to the public (C3), the business is Part 1 (G1), and it is out: agenda items and papers once the
  agenda (or the item, if added later) is published (C4), decisions and actions once the minutes are (C5).
- ``reader``: who else may see it: ``signed_in`` (anyone signed in: bodies, projects) or ``record``
  (those who keep the meetings' record: everything of a meeting, exempt items included).

The word index is the database's own: on SQLite an FTS5 table (``rm_search_fts``, porter stemming, its
rowid the document's ``n``) kept by triggers on the documents table; on PostgreSQL a generated
``tsvector`` column (``terms``: title weighted A, text B, more C) with a GIN index. Both are made with the
table (``after_create``) and go with it, so ``projections/schema.py`` makes, checks and rebuilds them as it
does any read model's tables (``table.info`` names what the database holds beyond the declared columns).

To add a kind of document (as consultations were): handle its events below with ``_add``/``_change`` (one
``_add`` per creating event; ``slot`` when one event makes several), give it a ``reader``, and give the
web layer a link for the kind (web/ui/search.py ``LINKS``).
"""

from __future__ import annotations

import hashlib
from typing import Any, ClassVar

from sqlalchemy import DDL, Boolean, Column, Date, Index, Integer, String, Table, Text, Uuid, bindparam, event, update

from domain.body import Body
from domain.consultation import Consultation
from domain.meeting import Meeting
from domain.project import Project
from projections.base import ReadModel, ReadModelView, Rows
from projections.tables import metadata

# Who may see a document that is not public.
SIGNED_IN = "signed_in"
RECORD = "record"
# One event makes at most this many documents (``n`` = position * SLOTS + slot, unique and rebuild-stable).
SLOTS = 4

search_documents = Table(
    "rm_search_documents",
    metadata,
    Column("doc", String(100), primary_key=True),  # "<kind>:<id>[:<number>]"
    Column("n", Integer, nullable=False),  # the word index's key: the creating event's position * SLOTS + slot
    Column("kind", String(20), nullable=False),  # body, meeting, item, paper, decision, action, project, consultation
    Column("title", Text, nullable=False, default=""),  # indexed, weighted most
    Column("text", Text, nullable=False, default=""),  # indexed
    Column("more", Text, nullable=False, default=""),  # indexed, weighted least
    Column("context", String(600), nullable=False, default=""),  # shown, not indexed: "Carers Group, 3 March 2026"
    Column("body_id", Uuid),
    Column("meeting_id", Uuid),
    Column("project_id", Uuid),
    Column("number", Integer),  # the item, paper, decision or action's number in its meeting
    Column("on_date", Date),  # the meeting's date
    # What decides visibility (see the module's docstring); ``public`` is the conjunction, kept current.
    Column("open_to_public", Boolean, nullable=False, default=False),
    Column("part1", Boolean, nullable=False, default=True),
    Column("out", Boolean, nullable=False, default=False),
    Column("minutes_out", Boolean, nullable=False, default=False),  # on a meeting's own row
    Column("public", Boolean, nullable=False, default=False),
    Column("reader", String(20), nullable=False),
    Index("rm_search_documents_n", "n", unique=True),
    Index("rm_search_documents_meeting", "meeting_id", "kind"),
    # What the database holds beyond the declared columns and indexes, by dialect (projections/schema.py).
    info={
        "database_columns": {"postgresql": ("terms",)},
        "database_indexes": {"postgresql": ("rm_search_terms",)},
        "database_tables": {"sqlite": ("rm_search_fts",)},
    },
)

FTS_TABLE = "rm_search_fts"
# Title counts ten times the text and the text four times what else there is (bm25's column weights).
_SQLITE_DDL = (
    f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5(title, text, more, "
    "tokenize = 'porter unicode61 remove_diacritics 2')",
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rank) VALUES ('rank', 'bm25(10.0, 4.0, 1.0)')",
    f"CREATE TRIGGER rm_search_fts_insert AFTER INSERT ON rm_search_documents BEGIN "
    f"INSERT INTO {FTS_TABLE}(rowid, title, text, more) VALUES (new.n, new.title, new.text, new.more); END",
    f"CREATE TRIGGER rm_search_fts_delete AFTER DELETE ON rm_search_documents BEGIN "
    f"DELETE FROM {FTS_TABLE} WHERE rowid = old.n; END",
    f"CREATE TRIGGER rm_search_fts_update AFTER UPDATE OF title, text, more ON rm_search_documents BEGIN "
    f"DELETE FROM {FTS_TABLE} WHERE rowid = old.n; "
    f"INSERT INTO {FTS_TABLE}(rowid, title, text, more) VALUES (new.n, new.title, new.text, new.more); END",
)
_POSTGRES_DDL = (
    "ALTER TABLE rm_search_documents ADD COLUMN terms tsvector GENERATED ALWAYS AS ("
    "setweight(to_tsvector('english', title), 'A') || setweight(to_tsvector('english', text), 'B') || "
    "setweight(to_tsvector('english', more), 'C')) STORED",
    "CREATE INDEX rm_search_terms ON rm_search_documents USING gin (terms)",
)
for _statement in _SQLITE_DDL:
    event.listen(search_documents, "after_create", DDL(_statement).execute_if(dialect="sqlite"))
for _statement in _POSTGRES_DDL:
    event.listen(search_documents, "after_create", DDL(_statement).execute_if(dialect="postgresql"))
event.listen(search_documents, "before_drop", DDL(f"DROP TABLE IF EXISTS {FTS_TABLE}").execute_if(dialect="sqlite"))


class SearchView(ReadModelView):
    read_tables = (search_documents,)


def _publish(kinds: tuple[str, ...], *, minutes: bool = False) -> Any:
    """Marks a meeting's documents of ``kinds`` as out; each becomes public if open and Part 1."""
    d = search_documents.c
    values: dict[str, Any] = {"out": True, "public": d.open_to_public & d.part1}
    return (
        update(search_documents)
        .where(d.meeting_id == bindparam("_meeting_id"), d.kind.in_(kinds), d.out.is_(False))
        .values(**values)
    )


# Statements built once; the meeting's id is bound at execution.
_AGENDA_OUT = _publish(("item", "paper"))
_MINUTES_OUT = _publish(("decision", "action"))
_MOVED = (
    update(search_documents)
    .where(search_documents.c.meeting_id == bindparam("_meeting_id"))
    .values(on_date=bindparam("new_date"), context=bindparam("new_context"))
)


def _meeting_doc(meeting_id: Any) -> str:
    return f"meeting:{meeting_id}"


class SearchProjection(ReadModel):
    name = "search"
    view_class: ClassVar[type[ReadModelView]] = SearchView

    @classmethod
    def fingerprint(cls) -> str:
        """The tables' fingerprint and the word index's DDL: a change to either rebuilds the model once."""
        words = "\n".join((super().fingerprint(), *_SQLITE_DDL, *_POSTGRES_DDL))
        return hashlib.sha256(words.encode()).hexdigest()[:32]

    def handle(self, rows: Rows, event: Any, notification_id: int) -> None:
        if isinstance(event, Body.Event):
            self._body(rows, event, notification_id)
        elif isinstance(event, Meeting.Event):
            self._meeting(rows, event, notification_id)
        elif isinstance(event, Project.Event):
            self._project(rows, event, notification_id)
        elif isinstance(event, Consultation.Event):
            self._consultation(rows, event, notification_id)

    # ------------------------------------------------------------------ bodies: public, like the directory

    def _body(self, rows: Rows, event: Any, position: int) -> None:
        doc = f"body:{event.originator_id}"
        match event:
            case Body.Established():
                _add(
                    rows,
                    position,
                    doc=doc,
                    kind="body",
                    title=event.name,
                    text=event.purpose,
                    body_id=event.originator_id,
                    open_to_public=True,
                    public=True,
                    reader=SIGNED_IN,
                )
            case Body.TermsOfReferenceAdopted():
                _change(rows, doc, more=event.text)
            case Body.Corrected() if event.field in ("name", "purpose"):
                _change(rows, doc, **{"title" if event.field == "name" else "text": event.value or ""})

    # ------------------------------------------------------------------ meetings and their business

    def _meeting(self, rows: Rows, event: Any, position: int) -> None:
        meeting_id = event.originator_id
        match event:
            case Meeting.Scheduled():
                context = _meeting_context(event.body_name, event.meeting_date)
                _add(
                    rows,
                    position,
                    doc=_meeting_doc(meeting_id),
                    kind="meeting",
                    title=f"{event.body_name} meeting",
                    # Only what the public calendar shows of a meeting (not, say, why an additional one was called).
                    text=event.place or "",
                    context=context,
                    body_id=event.body_id,
                    meeting_id=meeting_id,
                    on_date=event.meeting_date,
                    open_to_public=event.public,
                    out=True,
                    public=event.public,
                    reader=RECORD,
                )
            case Meeting.Moved():
                meeting = rows.get(search_documents, doc=_meeting_doc(meeting_id))
                if meeting is not None:
                    body_name = meeting["title"].removesuffix(" meeting")
                    new_context = _meeting_context(body_name, event.new_date)
                    rows.execute(
                        _MOVED, {"_meeting_id": meeting_id, "new_date": event.new_date, "new_context": new_context}
                    )
                    _change(rows, _meeting_doc(meeting_id), text=event.new_place or "")
            case Meeting.AgendaItemAdded():
                self._business(
                    rows,
                    position,
                    meeting_id,
                    "item",
                    event.number,
                    title=event.title,
                    part1=event.exemption_paragraph is None,
                    out=event.published_on is not None,
                )
            case Meeting.PaperAttached():
                self._business(
                    rows,
                    position,
                    meeting_id,
                    "paper",
                    event.number,
                    title=event.title,
                    text=event.summary or "",
                    part1=_item_is_part1(rows, meeting_id, event.item),
                    out=event.published_on is not None,
                )
            case Meeting.AgendaPublished():
                rows.execute(_AGENDA_OUT, {"_meeting_id": meeting_id})
            case Meeting.DecisionRecorded():
                self._business(
                    rows,
                    position,
                    meeting_id,
                    "decision",
                    event.number,
                    text=event.text,
                    part1=_item_is_part1(rows, meeting_id, event.item),
                    out=_minutes_out(rows, meeting_id),
                )
            case Meeting.ActionRecorded():
                self._business(
                    rows,
                    position,
                    meeting_id,
                    "action",
                    event.number,
                    # Not its owner: a person's name would outlive their erasure in the word index (P1).
                    text=event.description,
                    part1=_item_is_part1(rows, meeting_id, event.item),
                    out=_minutes_out(rows, meeting_id),
                )
            case Meeting.MinutesPublished() | Meeting.MinutesApproved():
                _change(rows, _meeting_doc(meeting_id), minutes_out=True)
                rows.execute(_MINUTES_OUT, {"_meeting_id": meeting_id})

    @staticmethod
    def _business(
        rows: Rows,
        position: int,
        meeting_id: Any,
        kind: str,
        number: int,
        *,
        part1: bool,
        out: bool,
        title: str = "",
        text: str = "",
        more: str = "",
    ) -> None:
        """An agenda item, paper, decision or action: it takes the meeting's body, date and openness."""
        meeting = rows.get(search_documents, doc=_meeting_doc(meeting_id))
        open_to_public = bool(meeting and meeting["open_to_public"])
        _add(
            rows,
            position,
            doc=f"{kind}:{meeting_id}:{number}",
            kind=kind,
            title=title,
            text=text,
            more=more,
            context=meeting["context"] if meeting else "",
            body_id=meeting["body_id"] if meeting else None,
            meeting_id=meeting_id,
            number=number,
            on_date=meeting["on_date"] if meeting else None,
            open_to_public=open_to_public,
            part1=part1,
            out=out,
            public=open_to_public and part1 and out,
            reader=RECORD,
        )

    # ------------------------------------------------------------------ projects: for those signed in

    def _project(self, rows: Rows, event: Any, position: int) -> None:
        doc = f"project:{event.originator_id}"
        match event:
            case Project.Commissioned():
                brief = event.brief
                _add(
                    rows,
                    position,
                    doc=doc,
                    kind="project",
                    title=event.title,
                    text=brief["aims_and_objectives"] or "",
                    more=brief["outcomes"] or "",
                    body_id=event.body_id,
                    project_id=event.originator_id,
                    reader=SIGNED_IN,
                )
            case Project.BriefChanged():
                brief = event.brief
                _change(rows, doc, text=brief["aims_and_objectives"] or "", more=brief["outcomes"] or "")

    # ------------------------------------------------------------------ consultations: public once published (A4)

    def _consultation(self, rows: Rows, event: Any, position: int) -> None:
        doc = f"consultation:{event.originator_id}"
        match event:
            case Consultation.Drafted():
                _add(
                    rows,
                    position,
                    doc=doc,
                    kind="consultation",
                    title=event.title,
                    text=event.summary,
                    more=event.concerns,
                    context=f"Consultation, {event.opens_on:%-d %B %Y} to {event.closes_on:%-d %B %Y}",
                    body_id=event.body_id,
                    reader=RECORD,  # a draft is the officers' until it is published
                )
            case Consultation.Published():
                _change(rows, doc, out=True, public=True)
            case Consultation.OutcomePublished():
                row = rows.get(search_documents, doc=doc)
                if row is not None:  # "you said, we did" is found with the consultation
                    _change(rows, doc, more=f"{row['more']}\n{event.outcome}")


def _add(rows: Rows, position: int, *, slot: int = 0, **row: Any) -> None:
    """A new document, keyed in the word index by the event that made it (so a rebuild gives it the same key)."""
    assert 0 <= slot < SLOTS
    rows.insert(search_documents, {"n": position * SLOTS + slot, **row})


def _change(rows: Rows, doc: str, **changes: Any) -> None:
    rows.update(search_documents, {"doc": doc}, changes)


def _item_is_part1(rows: Rows, meeting_id: Any, item: int | None) -> bool:
    """Business not tied to an item is Part 1; business on an item shares its marking (G1)."""
    if item is None:
        return True
    row = rows.get(search_documents, doc=f"item:{meeting_id}:{item}")
    return bool(row and row["part1"])


def _minutes_out(rows: Rows, meeting_id: Any) -> bool:
    meeting = rows.get(search_documents, doc=_meeting_doc(meeting_id))
    return bool(meeting and meeting["minutes_out"])


def _meeting_context(body_name: str, day: Any) -> str:
    return f"{body_name}, {day:%-d %B %Y}"
