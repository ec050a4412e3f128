"""Scheduling, moving and cancelling meetings (rules C1, C2), on domain.meeting alone."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from uuid import uuid4

import pytest

from domain.actor import Actor
from domain.errors import DomainError, InvalidInput
from domain.meeting import Meeting
from domain.vocabulary import MeetingStatus

NOW = datetime(2013, 9, 2, 9, 0, tzinfo=UTC)
TODAY = NOW.date()
LATER = NOW + timedelta(days=3)
OFFICER = Actor("dmantell", "partnership_officer")
ED = Actor("tparkin", "executive_director")
BODY_ID = uuid4()
TWO_PM = time(14, 0)


def schedule(meeting_date: date, *, additional: bool = False, at: datetime = NOW, **kw: Any) -> Meeting:
    kw.setdefault("place", "Bromley Civic Centre")
    meeting = Meeting.schedule(
        id=uuid4(),
        actor=ED,
        at=at,
        body_id=BODY_ID,
        body_name="Adult Services Stakeholder Conference",
        meeting_date=meeting_date,
        start_time=TWO_PM,
        public=True,
        additional=additional,
        **kw,
    )
    meeting.collect_events()
    return meeting


def move(meeting: Meeting, new_date: date, *, at: datetime = LATER, **kw: Any) -> None:
    kw.setdefault("new_start_time", TWO_PM)
    kw.setdefault("new_place", "Bromley Civic Centre")
    kw.setdefault("reason", "Room unavailable")
    meeting.move(actor=OFFICER, at=at, new_date=new_date, **kw)


def assert_unchanged(meeting: Meeting, version: int) -> None:
    assert meeting.version == version
    assert meeting.collect_events() == []


# ------------------------------------------------------------------- scheduling


def test_a_calendar_meeting_is_scheduled() -> None:
    meeting = Meeting.schedule(
        id=uuid4(),
        actor=ED,
        at=NOW,
        body_id=BODY_ID,
        body_name="Carers Forum",
        meeting_date=date(2013, 10, 15),
        start_time=TWO_PM,
        place=" Room 1 ",
        public=True,
    )
    assert (meeting.date, meeting.start_time, meeting.place) == (date(2013, 10, 15), TWO_PM, "Room 1")
    assert (meeting.status, meeting.additional, meeting.public) == (MeetingStatus.SCHEDULED, False, True)
    assert meeting.notice_given_on == TODAY
    (event,) = meeting.collect_events()
    assert (event.actor, event.actor_role, event.timestamp) == ("tparkin", "executive_director", NOW)


def test_a_calendar_meeting_needs_no_notice_period() -> None:
    # Rule C2's 14 days apply to additional meetings only; the programmed calendar meetings are known.
    assert schedule(TODAY).date == TODAY


@pytest.mark.parametrize("days", [1, 30])
def test_no_meeting_is_scheduled_in_the_past(days: int) -> None:
    with pytest.raises(InvalidInput, match="meeting_date: a meeting cannot be scheduled in the past"):
        schedule(TODAY - timedelta(days=days))


def test_a_backdated_notice_does_not_allow_a_meeting_in_the_past() -> None:
    # Notice given a month ago does not make a meeting last week a new meeting to schedule.
    with pytest.raises(InvalidInput, match="cannot be scheduled in the past"):
        schedule(TODAY - timedelta(days=7), notice_given_on=TODAY - timedelta(days=30))


def test_a_meeting_needs_a_place() -> None:
    with pytest.raises(InvalidInput, match="place: say where the meeting is held"):
        schedule(date(2013, 10, 15), place="  ")


# ----------------------------------------------------- additional meetings (C2)


def test_an_additional_meeting_with_14_days_notice_is_scheduled() -> None:
    meeting = schedule(TODAY + timedelta(days=14), additional=True)
    assert meeting.additional is True
    assert meeting.date == date(2013, 9, 16)


@pytest.mark.parametrize("days", [13, 7, 0])
def test_an_additional_meeting_with_less_than_14_days_notice_is_refused(days: int) -> None:
    with pytest.raises(InvalidInput, match="needs at least 14 days' notice") as err:
        schedule(TODAY + timedelta(days=days), additional=True)
    assert err.value.rule == "C2"
    assert err.value.field == "meeting_date"
    assert f"is only {days} days after notice given on 2 September 2013" in str(err.value)


def test_notice_is_counted_from_the_day_it_was_given() -> None:
    # Notice given on 1 September counts from then, even if recorded on the 2nd.
    meeting = schedule(date(2013, 9, 15), additional=True, notice_given_on=date(2013, 9, 1))
    assert meeting.notice_given_on == date(2013, 9, 1)
    with pytest.raises(InvalidInput, match="14 days' notice"):
        schedule(date(2013, 9, 15), additional=True, notice_given_on=date(2013, 9, 2))


def test_moving_an_additional_meeting_needs_14_days_notice_from_the_move() -> None:
    meeting = schedule(date(2013, 10, 1), additional=True)
    with pytest.raises(InvalidInput, match="14 days' notice") as err:
        move(meeting, LATER.date() + timedelta(days=13))
    assert err.value.rule == "C2"
    assert meeting.date == date(2013, 10, 1)
    assert_unchanged(meeting, 1)
    move(meeting, LATER.date() + timedelta(days=14))
    assert meeting.date == date(2013, 9, 19)


def test_moving_a_calendar_meeting_needs_no_notice_period() -> None:
    meeting = schedule(date(2013, 10, 1))
    move(meeting, LATER.date() + timedelta(days=1))
    assert meeting.date == date(2013, 9, 6)


# ---------------------------------------------------------------------- moving


def test_moving_records_the_previous_date_and_the_reason() -> None:
    meeting = schedule(date(2013, 10, 1))
    move(meeting, date(2013, 10, 8), new_start_time=time(10, 0), new_place=" Room 2 ", reason=" Clash with budget ")
    assert (meeting.date, meeting.start_time, meeting.place) == (date(2013, 10, 8), time(10, 0), "Room 2")
    assert meeting.history_of_moves == [(date(2013, 10, 1), "Clash with budget")]
    (event,) = meeting.collect_events()
    assert isinstance(event, Meeting.Moved)
    assert (event.previous_date, event.reason, event.actor) == (date(2013, 10, 1), "Clash with budget", "dmantell")


@pytest.mark.parametrize("reason", ["", "   "])
def test_moving_needs_a_reason(reason: str) -> None:
    meeting = schedule(date(2013, 10, 1))
    with pytest.raises(InvalidInput, match="reason: say why the meeting is being moved"):
        move(meeting, date(2013, 10, 8), reason=reason)
    assert meeting.date == date(2013, 10, 1)
    assert_unchanged(meeting, 1)


def test_moving_needs_a_place() -> None:
    meeting = schedule(date(2013, 10, 1))
    with pytest.raises(InvalidInput, match="new_place: say where the meeting is held"):
        move(meeting, date(2013, 10, 8), new_place=" ")
    assert_unchanged(meeting, 1)


def test_a_meeting_cannot_be_moved_into_the_past() -> None:
    meeting = schedule(date(2013, 10, 1))
    with pytest.raises(InvalidInput, match="new_date: a meeting cannot be moved into the past"):
        move(meeting, LATER.date() - timedelta(days=1))
    assert_unchanged(meeting, 1)


def test_moving_to_where_it_already_is_is_refused() -> None:
    meeting = schedule(date(2013, 10, 1))
    with pytest.raises(DomainError, match="already at that date, time and place"):
        move(meeting, date(2013, 10, 1))
    assert_unchanged(meeting, 1)


# ------------------------------------------------------------------- cancelling


def test_cancelling_records_the_reason() -> None:
    meeting = schedule(date(2013, 10, 1))
    meeting.cancel(actor=OFFICER, at=LATER, reason=" Chair unwell ")
    assert meeting.status is MeetingStatus.CANCELLED
    (event,) = meeting.collect_events()
    assert isinstance(event, Meeting.Cancelled)
    assert (event.reason, event.actor, event.actor_role) == ("Chair unwell", "dmantell", "partnership_officer")


@pytest.mark.parametrize("reason", ["", "   "])
def test_cancelling_needs_a_reason(reason: str) -> None:
    meeting = schedule(date(2013, 10, 1))
    with pytest.raises(InvalidInput, match="reason: say why the meeting is being cancelled"):
        meeting.cancel(actor=OFFICER, at=LATER, reason=reason)
    assert meeting.status is MeetingStatus.SCHEDULED
    assert_unchanged(meeting, 1)


def test_a_cancelled_meeting_cannot_be_cancelled_again() -> None:
    meeting = schedule(date(2013, 10, 1))
    meeting.cancel(actor=OFFICER, at=LATER, reason="Chair unwell")
    meeting.collect_events()
    with pytest.raises(DomainError, match="on 1 October 2013 was cancelled; it cannot be cancelled again"):
        meeting.cancel(actor=OFFICER, at=LATER, reason="Again")
    assert_unchanged(meeting, 2)


def test_a_cancelled_meeting_cannot_be_moved() -> None:
    meeting = schedule(date(2013, 10, 1))
    meeting.cancel(actor=OFFICER, at=LATER, reason="Chair unwell")
    meeting.collect_events()
    with pytest.raises(DomainError, match="was cancelled; it cannot be moved"):
        move(meeting, date(2013, 10, 8))
    assert (meeting.status, meeting.date) == (MeetingStatus.CANCELLED, date(2013, 10, 1))
    assert_unchanged(meeting, 2)
