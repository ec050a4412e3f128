"""Rule P1 in the domain: an erasure says why, names no one, and has one id per person."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import uuid4

import pytest

from domain.actor import Actor
from domain.erasure import Erasure, erasure_id, people_in
from domain.errors import InvalidInput

AT = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
ADMIN = Actor("admin", "administrator")


def test_an_erasure_records_the_person_id_reason_and_who_and_nothing_else() -> None:
    person = uuid4()
    erasure = Erasure.record(person_id=person, reason="  Request   of 2 March ", actor=ADMIN, at=AT)
    (event,) = erasure.collect_events()
    assert isinstance(event, Erasure.NameErased)
    assert erasure.id == erasure_id(person) == Erasure.record(person_id=person, reason="x", actor=ADMIN, at=AT).id
    assert (event.person_id, event.reason, event.actor, event.actor_role) == (
        person, "Request of 2 March", "admin", "administrator"
    )  # fmt: skip
    assert set(vars(event)) == {
        "originator_id", "originator_version", "originator_topic", "timestamp", "person_id", "reason", "actor",
        "actor_role",
    }  # fmt: skip
    assert people_in(event) == {}


@pytest.mark.parametrize("reason", ["", "   ", None, "x" * 201, "a\x00b"])
def test_an_erasure_without_a_fit_reason_is_refused(reason: object) -> None:
    with pytest.raises(InvalidInput) as refused:
        Erasure.record(person_id=uuid4(), reason=reason, actor=ADMIN, at=AT)  # type: ignore[arg-type]
    assert refused.value.field == "reason"
