"""The body's own quorum (AMB-Q): set by the officer with a reason, bounded by the voting members, used by
a meeting whose attendance names none, and told in the history."""

from __future__ import annotations

from typing import Any

import pytest

from domain.body import MAX_QUORUM, Body
from domain.errors import BodyClosed, InvalidInput
from domain.history import describe
from domain.vocabulary import MemberRole
from tests.unit.test_body_rules import (
    AGENCY,
    AT,
    CARER,
    OFFICER,
    SU,
    add,
    carers_forum,
    decision,
    establish,
    only_event,
)
from tests.unit.test_meeting_life import MEMBERS
from tests.unit.test_meeting_workflow_rules import MEETING_AT, with_agenda


def _set(body: Body, quorum: Any, reason: str = "Agreed at the annual meeting") -> None:
    body.set_quorum(actor=OFFICER, at=AT, quorum=quorum, reason=reason)


def test_a_body_has_no_quorum_of_its_own_until_the_officer_sets_one() -> None:
    body = carers_forum()
    assert body.quorum is None
    _set(body, 2)
    event = only_event(body)
    assert isinstance(event, Body.QuorumSet)
    assert (event.quorum, event.previous, event.reason, event.actor) == (
        2,
        None,
        "Agreed at the annual meeting",
        "dmantell",
    )
    assert body.quorum == 2


def test_the_quorum_is_from_1_to_the_voting_members_the_body_has_now() -> None:
    body = carers_forum()  # two voting members
    add(body, "m3", "Pat Agency", AGENCY, role=MemberRole.AGENCY_REPRESENTATIVE)  # no vote on a consultative group
    body.collect_events()
    version = body.version
    for quorum in (0, 3, -1):
        with pytest.raises(InvalidInput, match="from 1 to the 2 voting members Carers Forum has now") as refusal:
            _set(body, quorum)
        assert (refusal.value.field, refusal.value.rule) == ("quorum", "AMB-Q")
    for quorum in (True, 2.0, "2", None):
        with pytest.raises(InvalidInput, match="whole number"):
            _set(body, quorum)
    assert body.version == version and body.collect_events() == []


def test_a_body_without_members_may_have_a_quorum_up_to_the_bound() -> None:
    body = establish()
    _set(body, MAX_QUORUM)
    assert body.quorum == MAX_QUORUM
    with pytest.raises(InvalidInput, match=f"from 1 to {MAX_QUORUM}"):
        _set(body, MAX_QUORUM + 1)


def test_the_quorum_needs_a_reason_and_a_change() -> None:
    body = carers_forum()
    with pytest.raises(InvalidInput) as blank:
        _set(body, 2, reason="  ")
    assert blank.value.field == "reason"
    _set(body, 2)
    body.collect_events()
    with pytest.raises(InvalidInput, match="already 2"):
        _set(body, 2)


def test_a_closed_body_takes_no_quorum() -> None:
    body = carers_forum()
    body.end(actor=OFFICER, at=AT, decision=decision())
    with pytest.raises(BodyClosed):
        _set(body, 2)


def test_the_history_tells_the_quorum_before_and_after() -> None:
    body = carers_forum()
    add(body, "m3", "Lou Carer", CARER)
    add(body, "m4", "Kit User", SU)
    body.collect_events()
    _set(body, 2)
    first = describe(only_event(body))
    assert first.sentence == "Quorum set from the usual third of the voting members to 2 voting members"
    assert first.reason == "Agreed at the annual meeting" and first.change == "quorum_set"
    assert first.changes == {"quorum": {"before": None, "after": 2}}
    _set(body, 4, reason="Terms of reference say four")
    second = describe(only_event(body))
    assert second.sentence == "Quorum set from 2 to 4 voting members"


def test_a_meeting_uses_the_bodys_quorum_when_its_attendance_names_none() -> None:
    # MEMBERS: four vote on the day (Ann, Bo, Di, Ed); the usual quorum would be 3.
    meeting = with_agenda()
    turnout = meeting.record_attendance(
        actor=OFFICER, at=MEETING_AT, present=["Ann", "Bo"], members=MEMBERS, body_quorum=2
    )
    assert turnout is not None and (turnout.quorum, turnout.quorate) == (2, True)


def test_the_quorum_named_with_the_attendance_still_overrides_the_bodys() -> None:
    meeting = with_agenda()
    turnout = meeting.record_attendance(
        actor=OFFICER, at=MEETING_AT, present=["Ann", "Bo"], members=MEMBERS, quorum=4, body_quorum=2
    )
    assert turnout is not None and (turnout.quorum, turnout.quorate) == (4, False)


def test_the_bodys_quorum_is_never_more_than_the_voting_members_on_the_day() -> None:
    meeting = with_agenda()
    turnout = meeting.record_attendance(
        actor=OFFICER, at=MEETING_AT, present=["Ann", "Bo", "Di", "Ed"], members=MEMBERS, body_quorum=9
    )
    assert turnout is not None and (turnout.quorum, turnout.quorate) == (4, True)


def test_without_a_quorum_of_its_own_a_meeting_keeps_the_usual_one() -> None:
    meeting = with_agenda()
    turnout = meeting.record_attendance(actor=OFFICER, at=MEETING_AT, present=["Ann", "Bo"], members=MEMBERS)
    assert turnout is not None and (turnout.quorum, turnout.quorate) == (3, False)
