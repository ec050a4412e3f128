"""The life of a meeting on domain.meeting alone: calendar (C1), additional meetings (C2), agenda and
papers (C4, C6, G1), what happened at it (C7, C8) and its minutes (C5).

The meeting below is on Wednesday 8 April 2026, just after Easter: its papers are due by Monday
30 March (counting back 7 (1), Easter Monday 6 and Good Friday 3 skipped, 2 (2), 1 (3), 31 (4),
30 March (5)) and its minutes by Wednesday 29 April (9, 10 (2), 13-17 (7), 20-24 (12), 27, 28, 29 (15)).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from uuid import uuid4

import pytest

from domain.actor import Actor
from domain.documents import FileRef
from domain.errors import DomainError, InvalidInput
from domain.meeting import (
    Apology,
    Meeting,
    calendar_dates,
    check_calendar_dates,
)
from domain.vocabulary import EXEMPT_INFORMATION, BodyKind, MinutesStatus
from domain.working_days import is_working_day

OFFICER = Actor("dmantell", "partnership_officer")
MEETING_DAY = date(2026, 4, 8)
PAPERS_DUE = date(2026, 3, 30)
MINUTES_DUE = date(2026, 4, 29)
BODY_ID = uuid4()
FILE = FileRef("0" * 64, 2048, "application/pdf", "report.pdf")


def at(day: date, hour: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


SCHEDULED_AT = at(date(2026, 3, 2))
MEETING_AT = at(MEETING_DAY, 18)
AFTER = at(MEETING_DAY + timedelta(days=1))


def schedule(meeting_date: date = MEETING_DAY, *, when: datetime = SCHEDULED_AT, **kw: Any) -> Meeting:
    kw.setdefault("public", True)
    meeting = Meeting.schedule(
        id=uuid4(),
        actor=OFFICER,
        at=when,
        body_id=kw.pop("body_id", BODY_ID),
        body_name="Carers Forum",
        meeting_date=meeting_date,
        start_time=time(14),
        place="Civic Centre",
        **kw,
    )
    meeting.collect_events()
    return meeting


def with_agenda(*, exempt: bool = False) -> Meeting:
    meeting = schedule()
    meeting.add_agenda_item(actor=OFFICER, at=SCHEDULED_AT, title="Budget")
    if exempt:
        meeting.add_agenda_item(actor=OFFICER, at=SCHEDULED_AT, title="Contract award", exemption_paragraph=3)
    meeting.collect_events()
    return meeting


def held(**kw: Any) -> Meeting:
    meeting = with_agenda(**kw)
    meeting.record_attendance(actor=OFFICER, at=MEETING_AT, present=["Ann", "Bo"])
    meeting.collect_events()
    return meeting


def published_minutes(meeting: Meeting | None = None) -> Meeting:
    meeting = meeting or held()
    meeting.record_draft_minutes(actor=OFFICER, at=AFTER, file=FILE)
    meeting.clear_minutes(actor=OFFICER, at=AFTER, cleared_by="Ann")
    meeting.publish_minutes(actor=OFFICER, at=AFTER)
    meeting.collect_events()
    return meeting


def refused(meeting: Meeting, call: Any, error: type[DomainError], match: str, rule: str | None = None) -> None:
    """The call raises, names the rule, and records nothing."""
    version = meeting.version
    with pytest.raises(error, match=match) as raised:
        call()
    if rule:
        assert raised.value.rule == rule
    assert meeting.version == version
    assert meeting.collect_events() == []


# ------------------------------------------------------------ the calendar (C1)


def test_calendar_dates_are_six_months_apart_on_working_days() -> None:
    assert calendar_dates(2027, 0) == (date(2027, 3, 1), date(2027, 9, 1))
    # Slot 1: the next working day of each month (Tue 2 March, Thu 2 September).
    assert calendar_dates(2027, 1) == (date(2027, 3, 2), date(2027, 9, 2))
    for year in (2026, 2027, 2028):
        for slot in range(60):
            spring, autumn = calendar_dates(year, slot)
            assert is_working_day(spring) and is_working_day(autumn)
            assert spring.month in (3, 4) and autumn.month in (9, 10), (year, slot)
            # The same place in each month, so the gap stays close to six months (184 days from 1 March).
            assert abs((autumn - spring).days - 184) <= 7, (year, slot)


def test_calendar_dates_skip_easter_and_wrap_after_two_months() -> None:
    # 2024: Fri 1 March is day 1; the 20th working day is Thu 28 March; Good Friday 29 March and
    # Easter Monday 1 April are skipped, so the 21st is Tuesday 2 April.
    assert calendar_dates(2024, 19)[0] == date(2024, 3, 28)
    assert calendar_dates(2024, 20)[0] == date(2024, 4, 2)
    assert calendar_dates(2027, 40) == calendar_dates(2027, 0)
    with pytest.raises(ValueError, match="slot must not be negative"):
        calendar_dates(2027, -1)


def test_calendar_dates_given_by_hand_must_be_in_the_year_and_in_order() -> None:
    assert check_calendar_dates(2027, (date(2027, 3, 3), date(2027, 9, 8))) == (date(2027, 3, 3), date(2027, 9, 8))
    with pytest.raises(InvalidInput, match="3 March 2028 is not in 2027") as err:
        check_calendar_dates(2027, (date(2028, 3, 3), date(2027, 9, 8)))
    assert err.value.rule == "C1"
    with pytest.raises(InvalidInput, match="in date order, on different days"):
        check_calendar_dates(2027, (date(2027, 9, 8), date(2027, 3, 3)))
    with pytest.raises(InvalidInput, match="in date order"):
        check_calendar_dates(2027, (date(2027, 9, 8), date(2027, 9, 8)))


# ------------------------------------------------------- additional meetings (C2)


def test_an_additional_consultative_group_meeting_needs_the_lead_officers_agreement() -> None:
    day = SCHEDULED_AT.date() + timedelta(days=14)
    with pytest.raises(InvalidInput, match="needs the agreement of the council's lead officer") as err:
        schedule(day, additional=True, body_kind=BodyKind.CONSULTATIVE_GROUP)
    assert (err.value.rule, err.value.field) == ("C2", "lead_officer")
    meeting = schedule(
        day, additional=True, body_kind="consultative_group", lead_officer=" Jo Lead ", additional_reason="Urgent"
    )
    assert meeting.lead_officer == "Jo Lead"
    assert meeting.body_kind == "consultative_group"


def test_an_additional_conference_meeting_is_the_chairs_alone() -> None:
    day = SCHEDULED_AT.date() + timedelta(days=14)
    conference = schedule(day, additional=True, body_kind=BodyKind.STAKEHOLDER_CONFERENCE, additional_reason="Urgent")
    assert conference.lead_officer is None


def test_a_calendar_meeting_records_no_lead_officer() -> None:
    assert schedule(body_kind=BodyKind.CONSULTATIVE_GROUP, lead_officer="Jo Lead").lead_officer is None


# ---------------------------------------------------------- agenda items (G1)


def test_agenda_items_are_numbered_and_public_unless_exempt() -> None:
    meeting = schedule()
    assert meeting.add_agenda_item(actor=OFFICER, at=SCHEDULED_AT, title=" Budget ") == 1
    assert meeting.add_agenda_item(actor=OFFICER, at=SCHEDULED_AT, title="Contract", exemption_paragraph=3) == 2
    public, exempt = meeting.collect_events()
    assert (public.title, public.exemption_paragraph, public.exemption_reason) == ("Budget", None, None)
    assert (exempt.exemption_paragraph, exempt.exemption_reason) == (3, EXEMPT_INFORMATION[3])
    assert [i.public for i in meeting.agenda.values()] == [True, False]
    assert (public.published_on, public.late, public.papers_due) == (None, False, PAPERS_DUE)


@pytest.mark.parametrize("paragraph", [0, 8, -3, True, 3.0, "3"])
def test_an_exempt_item_names_a_paragraph_of_schedule_12a(paragraph: Any) -> None:
    meeting = schedule()
    refused(
        meeting,
        lambda: meeting.add_agenda_item(
            actor=OFFICER, at=SCHEDULED_AT, title="Contract", exemption_paragraph=paragraph
        ),
        InvalidInput,
        "an exempt item gives its access-to-information reason: a paragraph of Schedule 12A",
        rule="G1",
    )


def test_an_agenda_item_needs_a_title() -> None:
    meeting = schedule()
    refused(meeting, lambda: meeting.add_agenda_item(actor=OFFICER, at=SCHEDULED_AT, title=" "), InvalidInput, "title")


def test_items_can_be_tabled_on_the_day_but_not_after() -> None:
    meeting = schedule()
    meeting.add_agenda_item(actor=OFFICER, at=MEETING_AT, title="Urgent business")
    meeting.collect_events()
    refused(
        meeting,
        lambda: meeting.add_agenda_item(actor=OFFICER, at=AFTER, title="Late"),
        DomainError,
        "has taken place; its agenda can no longer be added to",
        rule="C4",
    )


def test_a_cancelled_meeting_takes_no_agenda() -> None:
    meeting = schedule()
    meeting.cancel(actor=OFFICER, at=SCHEDULED_AT, reason="Chair unwell")
    meeting.collect_events()
    refused(
        meeting,
        lambda: meeting.add_agenda_item(actor=OFFICER, at=SCHEDULED_AT, title="Budget"),
        DomainError,
        "was cancelled",
    )


# ------------------------------------------------------------ papers (C4, C6)


def test_a_paper_is_attached_to_an_item_with_its_file_and_summary() -> None:
    meeting = with_agenda(exempt=True)
    number = meeting.attach_paper(
        actor=OFFICER, at=SCHEDULED_AT, item=2, title="Tender", file=FILE, accessible=True, summary=" Who bid "
    )
    (event,) = meeting.collect_events()
    assert number == 1
    assert (event.item, event.file_sha256, event.file_size, event.file_name) == (2, FILE.sha256, 2048, "report.pdf")
    assert (event.accessible, event.summary) == (True, "Who bid")
    assert meeting.papers[1].file == FILE


def test_a_paper_needs_an_item_that_exists() -> None:
    meeting = with_agenda()
    refused(
        meeting,
        lambda: meeting.attach_paper(
            actor=OFFICER, at=SCHEDULED_AT, item=9, title="T", file=FILE, accessible=True, summary="s"
        ),
        InvalidInput,
        "has no agenda item 9",
    )


def test_a_paper_needs_a_plain_english_summary() -> None:
    meeting = with_agenda()
    refused(
        meeting,
        lambda: meeting.attach_paper(
            actor=OFFICER, at=SCHEDULED_AT, item=1, title="T", file=FILE, accessible=True, summary=""
        ),
        InvalidInput,
        "summary: give a plain-English summary",
    )


@pytest.mark.parametrize(
    ("file", "message"),
    [
        (FileRef("XYZ", 10, "application/pdf", "a.pdf"), "64 lower-case hexadecimal"),
        (FileRef("0" * 64, 0, "application/pdf", "a.pdf"), "the file is empty"),
        (FileRef("0" * 64, 10, "application/pdf", " "), "needs a type and a name"),
    ],
)
def test_a_paper_needs_a_proper_file_reference(file: FileRef, message: str) -> None:
    meeting = with_agenda()
    refused(
        meeting,
        lambda: meeting.attach_paper(
            actor=OFFICER, at=SCHEDULED_AT, item=1, title="T", file=file, accessible=True, summary="s"
        ),
        InvalidInput,
        message,
    )


# ------------------------------------------------------------ publication (C4)


@pytest.mark.parametrize(
    ("day", "late"),
    [(date(2026, 3, 2), False), (PAPERS_DUE, False), (date(2026, 3, 31), True), (MEETING_DAY, True)],
    ids=["weeks-before", "on-the-due-day", "a-day-late", "on-the-day"],
)
def test_publishing_late_is_allowed_and_recorded(day: date, late: bool) -> None:
    meeting = with_agenda()
    assert meeting.publish_agenda(actor=OFFICER, at=at(day)) is late
    (event,) = meeting.collect_events()
    assert (event.published_on, event.papers_due, event.late) == (day, PAPERS_DUE, late)
    assert meeting.agenda_published_on == day


def test_an_empty_agenda_is_not_published() -> None:
    meeting = schedule()
    refused(meeting, lambda: meeting.publish_agenda(actor=OFFICER, at=SCHEDULED_AT), DomainError, "no items yet", "C4")


def test_an_agenda_is_published_once_and_not_after_the_meeting() -> None:
    meeting = with_agenda()
    refused(meeting, lambda: meeting.publish_agenda(actor=OFFICER, at=AFTER), DomainError, "has taken place", "C4")
    meeting.publish_agenda(actor=OFFICER, at=SCHEDULED_AT)
    meeting.collect_events()
    refused(meeting, lambda: meeting.publish_agenda(actor=OFFICER, at=SCHEDULED_AT), DomainError, "was published on")


def test_items_and_papers_added_after_publication_go_out_at_once_and_may_be_late() -> None:
    meeting = with_agenda()
    meeting.publish_agenda(actor=OFFICER, at=at(date(2026, 3, 20)))
    meeting.add_agenda_item(actor=OFFICER, at=at(date(2026, 3, 27)), title="In time")
    meeting.attach_paper(
        actor=OFFICER, at=at(date(2026, 4, 1)), item=2, title="Late", file=FILE, accessible=False, summary="s"
    )
    _, item, paper = meeting.collect_events()
    assert (item.published_on, item.late) == (date(2026, 3, 27), False)
    assert (paper.published_on, paper.late, paper.papers_due) == (date(2026, 4, 1), True, PAPERS_DUE)
    assert meeting.agenda[2].published


# ------------------------------------------------------- at the meeting (C7, C8)


def test_attendance_apologies_and_substitutes_are_recorded() -> None:
    meeting = with_agenda()
    meeting.record_attendance(
        actor=OFFICER, at=MEETING_AT, present=[" Ann "], apologies=[Apology("Bo", " Di "), Apology("Cy")]
    )
    (event,) = meeting.collect_events()
    assert event.present == ["Ann"]
    assert event.apologies == [{"person": "Bo", "substitute": "Di"}, {"person": "Cy", "substitute": None}]
    assert meeting.held
    # A new record replaces the last.
    meeting.record_attendance(actor=OFFICER, at=AFTER, present=["Ann", "Bo"])
    assert (meeting.present, meeting.apologies) == (["Ann", "Bo"], [])


def test_attendance_is_recorded_from_the_meeting_day() -> None:
    meeting = with_agenda()
    refused(
        meeting,
        lambda: meeting.record_attendance(actor=OFFICER, at=at(date(2026, 4, 7)), present=["Ann"]),
        DomainError,
        "has not taken place yet; attendance can be recorded from the day of the meeting",
        rule="C7",
    )


@pytest.mark.parametrize(
    ("present", "apologies", "message"),
    [
        ([], [Apology("Bo")], "record who attended"),
        (["Ann", "ann"], [], "ann is listed twice"),
        (["Ann"], [Apology("Ann")], "listed twice"),
        (["Ann"], [Apology("Bo", "Ann")], "listed twice"),
        (["Ann"], [Apology("Bo", "Di"), Apology("Cy", "Di")], "Di is listed twice"),
        (["Ann", " "], [], "a name in the attendance list is blank"),
    ],
)
def test_each_person_attends_sends_apologies_or_substitutes_once(
    present: list[str], apologies: list[Apology], message: str
) -> None:
    meeting = with_agenda()
    refused(
        meeting,
        lambda: meeting.record_attendance(actor=OFFICER, at=MEETING_AT, present=present, apologies=apologies),
        InvalidInput,
        message,
    )


def test_a_substitute_alone_makes_a_meeting_attended() -> None:
    meeting = with_agenda()
    meeting.record_attendance(actor=OFFICER, at=MEETING_AT, present=[], apologies=[Apology("Bo", "Di")])
    assert meeting.held


def test_declarations_of_interest() -> None:
    meeting = with_agenda()
    assert meeting.declare_interest(actor=OFFICER, at=MEETING_AT, person="Bo", interest="Paid carer", item=1) == 1
    assert meeting.declare_interest(actor=OFFICER, at=MEETING_AT, person="Cy", interest="Trustee of a charity") == 2
    assert meeting.interests == [("Bo", 1, "Paid carer"), ("Cy", None, "Trustee of a charity")]
    meeting.collect_events()
    refused(
        meeting,
        lambda: meeting.declare_interest(actor=OFFICER, at=MEETING_AT, person="Bo", interest="x", item=5),
        InvalidInput,
        "no agenda item 5",
    )
    refused(
        meeting,
        lambda: meeting.declare_interest(actor=OFFICER, at=MEETING_AT, person="Bo", interest=" "),
        InvalidInput,
        "describe the interest",
    )
    refused(
        meeting,
        lambda: meeting.declare_interest(actor=OFFICER, at=SCHEDULED_AT, person="Bo", interest="x"),
        DomainError,
        "has not taken place yet",
        rule="C7",
    )


def test_decisions_are_taken_on_agenda_items() -> None:
    meeting = with_agenda(exempt=True)
    assert meeting.record_decision(actor=OFFICER, at=MEETING_AT, item=2, text=" Contract awarded ") == 1
    assert meeting.decisions == [(2, "Contract awarded")]
    meeting.collect_events()
    refused(
        meeting,
        lambda: meeting.record_decision(actor=OFFICER, at=MEETING_AT, item=None, text="x"),  # type: ignore[arg-type]
        InvalidInput,
        "name the agenda item",
        rule="C7",
    )
    refused(
        meeting,
        lambda: meeting.record_decision(actor=OFFICER, at=MEETING_AT, item=1, text=""),
        InvalidInput,
        "say what was decided",
    )


def test_actions_have_an_owner_and_a_due_date_not_before_the_meeting() -> None:
    meeting = with_agenda()
    number = meeting.record_action(
        actor=OFFICER, at=MEETING_AT, description="Write to the CCG", owner="Ann", due=MEETING_DAY, item=1
    )
    assert number == 1
    assert meeting.open_actions()[0].owner == "Ann"
    meeting.collect_events()
    refused(
        meeting,
        lambda: meeting.record_action(
            actor=OFFICER, at=MEETING_AT, description="x", owner="Ann", due=MEETING_DAY - timedelta(days=1)
        ),
        InvalidInput,
        "cannot be due before it",
        rule="C8",
    )
    refused(
        meeting,
        lambda: meeting.record_action(actor=OFFICER, at=MEETING_AT, description="x", owner=" ", due=MEETING_DAY),
        InvalidInput,
        "say who will do it",
    )
    refused(
        meeting,
        lambda: meeting.record_action(actor=OFFICER, at=MEETING_AT, description="", owner="Ann", due=MEETING_DAY),
        InvalidInput,
        "say what is to be done",
    )


def _with_action() -> Meeting:
    meeting = held()
    meeting.record_action(actor=OFFICER, at=MEETING_AT, description="Write", owner="Ann", due=date(2026, 5, 1))
    meeting.collect_events()
    return meeting


def test_an_action_is_closed_with_a_note_at_a_later_meeting() -> None:
    meeting = _with_action()
    later = date(2026, 10, 7)
    meeting.close_action(actor=OFFICER, at=at(later), number=1, note=" Letter sent ", at_meeting=(uuid4(), later))
    (event,) = meeting.collect_events()
    assert (event.note, event.closed_on, event.at_meeting_date) == ("Letter sent", later, later)
    assert meeting.open_actions() == []
    refused(
        meeting,
        lambda: meeting.close_action(actor=OFFICER, at=at(later), number=1, note="Again"),
        DomainError,
        "was closed on 7 October 2026",
        rule="C8",
    )


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"number": 2, "note": "x"}, InvalidInput, "has no action 2"),
        ({"number": 1, "note": " "}, InvalidInput, "note: say what was done"),
        ({"number": 1, "note": "x", "closed_on": date(2026, 4, 7)}, InvalidInput, "closed between"),
        ({"number": 1, "note": "x", "closed_on": date(2026, 6, 2)}, InvalidInput, "closed between"),
        ({"number": 1, "note": "x", "at_meeting": (uuid4(), MEETING_DAY)}, InvalidInput, "at a later meeting"),
        (
            {"number": 1, "note": "x", "closed_on": date(2026, 5, 1), "at_meeting": (uuid4(), date(2026, 5, 20))},
            InvalidInput,
            "closed on that day or later",
        ),
    ],
    ids=["unknown", "no-note", "before-the-meeting", "in-the-future", "same-meeting", "before-the-later-meeting"],
)
def test_closing_an_action_is_checked(kwargs: dict[str, Any], error: type[DomainError], message: str) -> None:
    meeting = _with_action()
    refused(meeting, lambda: meeting.close_action(actor=OFFICER, at=at(date(2026, 6, 1)), **kwargs), error, message)


def test_a_held_meeting_cannot_be_moved_or_cancelled() -> None:
    meeting = _with_action()
    refused(
        meeting,
        lambda: meeting.move(
            actor=OFFICER,
            at=AFTER,
            new_date=date(2026, 5, 1),
            new_start_time=time(14),
            new_place="Hall",
            reason="Wrong date",
        ),
        DomainError,
        "has been held and its proceedings recorded; it cannot be moved",
    )
    refused(
        meeting,
        lambda: meeting.cancel(actor=OFFICER, at=AFTER, reason="Oops"),
        DomainError,
        "it cannot be cancelled",
    )


# ------------------------------------------------------------------ minutes (C5)


def test_minutes_are_drafted_cleared_and_published_in_order() -> None:
    meeting = held()
    refused(meeting, lambda: meeting.clear_minutes(actor=OFFICER, at=AFTER, cleared_by="Ann"), DomainError, "no draft")
    refused(
        meeting,
        lambda: meeting.publish_minutes(actor=OFFICER, at=AFTER),
        DomainError,
        "must be cleared by the chair before they are published",
        rule="C5",
    )
    meeting.record_draft_minutes(actor=OFFICER, at=MEETING_AT, file=FILE)
    assert meeting.minutes_status is MinutesStatus.DRAFT
    meeting.collect_events()
    refused(
        meeting,
        lambda: meeting.publish_minutes(actor=OFFICER, at=AFTER),
        DomainError,
        "must be cleared by the chair before they are published",
        rule="C5",
    )
    meeting.clear_minutes(actor=OFFICER, at=AFTER, cleared_by=" Ann Smith ")
    (cleared,) = meeting.collect_events()
    assert (cleared.cleared_by, cleared.cleared_on) == ("Ann Smith", AFTER.date())
    refused(
        meeting,
        lambda: meeting.clear_minutes(actor=OFFICER, at=AFTER, cleared_by="Ann"),
        DomainError,
        "already cleared",
    )
    assert meeting.publish_minutes(actor=OFFICER, at=at(MINUTES_DUE)) is False
    (published,) = meeting.collect_events()
    assert (published.published_on, published.minutes_due, published.late) == (MINUTES_DUE, MINUTES_DUE, False)
    refused(meeting, lambda: meeting.publish_minutes(actor=OFFICER, at=AFTER), DomainError, "were published on")


def test_minutes_published_after_15_working_days_are_recorded_as_late() -> None:
    meeting = held()
    meeting.record_draft_minutes(actor=OFFICER, at=AFTER, file=FILE)
    meeting.clear_minutes(actor=OFFICER, at=AFTER, cleared_by="Ann")
    assert meeting.publish_minutes(actor=OFFICER, at=at(date(2026, 5, 1))) is True
    assert meeting.collect_events()[-1].late is True


def test_draft_minutes_are_recorded_from_the_meeting_day() -> None:
    meeting = with_agenda()
    refused(
        meeting,
        lambda: meeting.record_draft_minutes(actor=OFFICER, at=at(date(2026, 4, 7)), file=FILE),
        DomainError,
        "has not taken place yet; minutes can be recorded",
        rule="C5",
    )


def test_a_new_draft_needs_clearing_again_and_published_minutes_take_no_new_draft() -> None:
    meeting = held()
    meeting.record_draft_minutes(actor=OFFICER, at=AFTER, file=FILE)
    meeting.clear_minutes(actor=OFFICER, at=AFTER, cleared_by="Ann")
    meeting.record_draft_minutes(actor=OFFICER, at=AFTER, file=FILE)
    assert (meeting.minutes_status, meeting.minutes_cleared_by) == (MinutesStatus.DRAFT, None)
    assert meeting.collect_events()[-1].replaces_draft is True
    meeting.clear_minutes(actor=OFFICER, at=AFTER, cleared_by="Ann")
    meeting.publish_minutes(actor=OFFICER, at=AFTER)
    meeting.collect_events()
    refused(
        meeting,
        lambda: meeting.record_draft_minutes(actor=OFFICER, at=AFTER, file=FILE),
        DomainError,
        "are published; amendments are made when the next meeting approves them",
        rule="C5",
    )


def test_clearance_names_the_chair_and_a_day_between_the_draft_and_today() -> None:
    meeting = held()
    meeting.record_draft_minutes(actor=OFFICER, at=AFTER, file=FILE)
    meeting.collect_events()
    refused(meeting, lambda: meeting.clear_minutes(actor=OFFICER, at=AFTER, cleared_by=""), InvalidInput, "chair")
    for day in (MEETING_DAY, AFTER.date() + timedelta(days=1)):
        refused(
            meeting,
            lambda day=day: meeting.clear_minutes(actor=OFFICER, at=AFTER, cleared_by="Ann", cleared_on=day),
            InvalidInput,
            "cleared between then and today",
            rule="C5",
        )


# --------------------------------------------------- approval at the next meeting


def _next_meeting(day: date = date(2026, 10, 7), **kw: Any) -> Meeting:
    return schedule(day, **kw)


def test_the_next_meeting_approves_the_published_minutes_and_both_record_it() -> None:
    previous = published_minutes()
    following = _next_meeting()
    following.approve_previous_minutes(actor=OFFICER, at=at(following.date), previous=previous, amendments=" p. 2 ")
    (approval,) = following.collect_events()
    (approved,) = previous.collect_events()
    assert (approval.previous_meeting_id, approval.previous_meeting_date, approval.amendments) == (
        previous.id,
        MEETING_DAY,
        "p. 2",
    )
    assert (approved.at_meeting_id, approved.at_meeting_date) == (following.id, following.date)
    assert previous.minutes_status is MinutesStatus.APPROVED and previous.minutes_approved_at == following.id
    assert following.approved_minutes_of == previous.id and following.held
    # Neither can happen twice.
    again = _next_meeting(date(2026, 11, 4))
    refused(
        again,
        lambda: again.approve_previous_minutes(actor=OFFICER, at=at(again.date), previous=previous),
        DomainError,
        "have already been approved",
        rule="C5",
    )
    other = published_minutes(held())
    refused(
        following,
        lambda: following.approve_previous_minutes(actor=OFFICER, at=at(following.date), previous=other),
        DomainError,
        "has already approved the minutes of its previous meeting",
    )


def test_unpublished_minutes_cannot_be_approved() -> None:
    previous = held()
    previous.record_draft_minutes(actor=OFFICER, at=AFTER, file=FILE)
    previous.clear_minutes(actor=OFFICER, at=AFTER, cleared_by="Ann")
    previous.collect_events()
    following = _next_meeting()
    refused(
        following,
        lambda: following.approve_previous_minutes(actor=OFFICER, at=at(following.date), previous=previous),
        DomainError,
        "have not been published, so they cannot be approved yet",
        rule="C5",
    )
    assert previous.collect_events() == []


def test_approval_is_given_at_the_meeting_of_the_same_body_that_follows() -> None:
    previous = published_minutes()
    following = _next_meeting()
    refused(
        following,
        lambda: following.approve_previous_minutes(actor=OFFICER, at=at(date(2026, 10, 6)), previous=previous),
        DomainError,
        "has not taken place yet",
        rule="C5",
    )
    elsewhere = _next_meeting(body_id=uuid4())
    refused(
        elsewhere,
        lambda: elsewhere.approve_previous_minutes(actor=OFFICER, at=at(elsewhere.date), previous=previous),
        InvalidInput,
        "an earlier meeting of the same body",
        rule="C5",
    )
    refused(
        previous,
        lambda: previous.approve_previous_minutes(actor=OFFICER, at=AFTER, previous=previous),
        InvalidInput,
        "an earlier meeting of the same body",
    )
