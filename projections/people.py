"""Names in the read models, and their erasure (rule P1).

A decoded event says whose each name is (``domain.erasure.people_in``: {name: person id}, set by the
event store's mapper). A read model that shows names keeps, in a table of its own, each person id with
the spellings of the name it has written (``people_table``). When a person's ``Erasure.NameErased``
event reaches it, it replaces those spellings with ``NAME_ERASED`` in the columns it names, and forgets
the spellings. A rebuild after the erasure reads ``NAME_ERASED`` from the events themselves and learns
no spelling for the person, so the live read model and a rebuilt one hold the same rows.

A person is one normalised name (application/people.py), so every row holding one of those spellings
is that person's: an exact column is compared whole; a text column (a sentence of the audit log, its
JSON of changes) has the spelling replaced where it stands as a whole word.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import Any
from uuid import UUID

from sqlalchemy import Column, MetaData, String, Table, Uuid, delete, select, update

from domain.erasure import NAME_ERASED, people_in
from projections.base import Rows


def people_table(model: str, metadata: MetaData) -> Table:
    return Table(
        f"rm_{model}_people",
        metadata,
        Column("person_id", Uuid, primary_key=True),
        Column("name", String(300), primary_key=True),
    )


def note_people(rows: Rows, table: Table, event: Any) -> None:
    """Keeps the spellings of the names this event brings, with whose they are."""
    for name, person_id in people_in(event).items():
        if rows.get(table, person_id=person_id, name=name) is None:
            rows.insert(table, {"person_id": person_id, "name": name})


def erase_names(
    rows: Rows,
    table: Table,
    person_id: UUID,
    exact: Sequence[Column[Any]] = (),
    within: Sequence[Column[Any]] = (),
) -> None:
    """Replaces every spelling of the person's name with NAME_ERASED: whole values in ``exact`` columns,
    occurrences in ``within`` text columns (as written, and as JSON writes it: "Si\\u00e2n")."""
    spellings = [r.name for r in rows.execute(select(table.c.name).where(table.c.person_id == person_id))]
    for name in spellings:
        for column in exact:
            rows.execute(update(column.table).where(column == name).values({column.name: NAME_ERASED}))
        for column in within:
            for form in dict.fromkeys((name, json.dumps(name)[1:-1])):
                _replace_words(rows, column, form)
    rows.execute(delete(table).where(table.c.person_id == person_id))


def _replace_words(rows: Rows, column: Column[Any], form: str) -> None:
    """Replaces ``form`` where it stands as a whole word or words in ``column`` (so erasing "Ann" leaves
    "Annual review" alone), exactly as spelt (SQLite's LIKE, which finds the candidates, ignores case)."""
    whole = re.compile(rf"(?<!\w){re.escape(form)}(?!\w)")
    keys = list(column.table.primary_key.columns)
    found = rows.execute(select(*keys, column).where(column.contains(form, autoescape=True))).all()
    for row in found:
        text = row[-1]
        replaced = whole.sub(NAME_ERASED, text)
        if replaced != text:
            where = [key == value for key, value in zip(keys, row[:-1], strict=True)]
            rows.execute(update(column.table).where(*where).values({column.name: replaced}))
