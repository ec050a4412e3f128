"""A meeting's stages (scheduled -> ... -> minutes approved, or cancelled) and the cadence rule (C1, C2),
on domain.meeting alone."""

from __future__ import annotations

from datetime import date, time, timedelta
from typing import Any
from uuid import uuid4

import pytest

from domain.errors import DomainError, InvalidInput
from domain.history import describe, describe_record
from domain.meeting import Apology, Meeting, check_cadence, default_quorum, meeting_stage
from domain.membership import Membership
from domain.vocabulary import AgendaPurpose, BodyKind, MeetingStage, MemberRole, Representation
from tests.unit.test_meeting_workflow_rules import (
    AFTER,
    FILE,
    MEETING_AT,
    MEETING_DAY,
    OFFICER,
    SCHEDULED_AT,
    at,
    refused,
    schedule,
    with_agenda,
)

# ------------------------------------------------------------------ stages


def test_a_meeting_goes_through_its_stages_to_approved_minutes() -> None:
    meeting = with_agenda()
    assert meeting.stage is MeetingStage.SCHEDULED
    meeting.publish_agenda(actor=OFFICER, at=SCHEDULED_AT)
    assert meeting.stage is MeetingStage.AGENDA_PUBLISHED
    meeting.record_held(actor=OFFICER, at=MEETING_AT)
    assert meeting.stage is MeetingStage.HELD and meeting.held
    meeting.record_attendance(actor=OFFICER, at=MEETING_AT, present=["Ann"])
    assert meeting.stage is MeetingStage.HELD
    meeting.record_draft_minutes(actor=OFFICER, at=AFTER, file=FILE)
    assert meeting.stage is MeetingStage.DRAFT_MINUTES
    meeting.clear_minutes(actor=OFFICER, at=AFTER, cleared_by="Ann")
    assert meeting.stage is MeetingStage.MINUTES_CLEARED
    meeting.publish_minutes(actor=OFFICER, at=AFTER)
    assert meeting.stage is MeetingStage.MINUTES_PUBLISHED
    following = schedule(MEETING_DAY + timedelta(days=180))
    following.approve_previous_minutes(actor=OFFICER, at=at(following.date), previous=meeting)
    assert meeting.stage is MeetingStage.MINUTES_APPROVED
    assert meeting.stage.label == "Held, minutes approved"


def test_recording_attendance_first_makes_the_meeting_held() -> None:
    meeting = with_agenda()
    meeting.record_attendance(actor=OFFICER, at=MEETING_AT, present=["Ann"])
    assert meeting.stage is MeetingStage.HELD
    meeting.collect_events()
    refused(meeting, lambda: meeting.record_held(actor=OFFICER, at=MEETING_AT), DomainError, "already recorded as held")


def test_a_meeting_is_not_held_before_its_day_nor_when_cancelled() -> None:
    meeting = schedule()
    refused(
        meeting,
        lambda: meeting.record_held(actor=OFFICER, at=SCHEDULED_AT),
        DomainError,
        "has not taken place yet",
        rule="C7",
    )
    meeting.cancel(actor=OFFICER, at=SCHEDULED_AT, reason="Chair unwell")
    assert meeting.stage is MeetingStage.CANCELLED
    meeting.collect_events()
    refused(meeting, lambda: meeting.record_held(actor=OFFICER, at=MEETING_AT), DomainError, "was cancelled")


def test_a_moved_meeting_says_so_until_its_agenda_goes_out() -> None:
    meeting = with_agenda()
    meeting.move(
        actor=OFFICER,
        at=SCHEDULED_AT,
        new_date=MEETING_DAY + timedelta(days=7),
        new_start_time=time(14),
        new_place="Civic Centre",
        reason="Room",
    )
    assert meeting.stage is MeetingStage.MOVED
    meeting.publish_agenda(actor=OFFICER, at=SCHEDULED_AT)
    assert meeting.stage is MeetingStage.AGENDA_PUBLISHED


def test_nothing_is_added_to_the_agenda_after_the_meeting_day() -> None:
    meeting = with_agenda()
    meeting.record_held(actor=OFFICER, at=MEETING_AT)
    meeting.collect_events()
    refused(
        meeting,
        lambda: meeting.add_agenda_item(actor=OFFICER, at=AFTER, title="Late"),
        DomainError,
        "has taken place",
        rule="C4",
    )


def test_the_public_are_told_held_while_the_minutes_are_in_draft() -> None:
    assert MeetingStage.DRAFT_MINUTES.public is MeetingStage.HELD
    assert MeetingStage.MINUTES_CLEARED.public is MeetingStage.HELD
    assert MeetingStage.MINUTES_PUBLISHED.public is MeetingStage.MINUTES_PUBLISHED
    assert all(stage.label for stage in MeetingStage)


@pytest.mark.parametrize(
    ("status", "held", "published", "minutes", "moved", "stage"),
    [
        ("cancelled", True, True, "approved", True, MeetingStage.CANCELLED),
        ("scheduled", False, False, "none", False, MeetingStage.SCHEDULED),
        ("scheduled", False, False, "none", True, MeetingStage.MOVED),
        ("scheduled", False, True, "none", True, MeetingStage.AGENDA_PUBLISHED),
        ("scheduled", True, True, "none", False, MeetingStage.HELD),
        ("scheduled", True, False, "draft", False, MeetingStage.DRAFT_MINUTES),
        ("scheduled", True, False, "published", False, MeetingStage.MINUTES_PUBLISHED),
    ],
)
def test_the_stage_follows_from_what_is_recorded(
    status: str, held: bool, published: bool, minutes: str, moved: bool, stage: MeetingStage
) -> None:
    assert (
        meeting_stage(status=status, held=held, agenda_published=published, minutes_status=minutes, moved=moved)
        is stage
    )


# ------------------------------------------------------------------ cadence (C1)

CONSULTATIVE = BodyKind.CONSULTATIVE_GROUP


def cadence(day: date, others: list[tuple[date, bool]], kind: BodyKind = CONSULTATIVE) -> None:
    check_cadence(body_name="Carers Forum", body_kind=kind, meeting_date=day, others=others)


def test_a_third_ordinary_meeting_in_a_year_is_refused_with_the_existing_dates() -> None:
    others = [(date(2027, 3, 3), False), (date(2027, 9, 3), False)]
    with pytest.raises(InvalidInput, match="already has its 2 ordinary meetings in 2027") as refusal:
        cadence(date(2027, 6, 16), others)
    assert refusal.value.rule == "C1" and refusal.value.field == "meeting_date"
    assert "3 March 2027 and 3 September 2027" in refusal.value.message
    assert "additional meeting" in refusal.value.message


def test_an_ordinary_meeting_within_three_months_of_another_is_refused() -> None:
    # The example: 31 December 2026 and then 20 January 2027.
    with pytest.raises(InvalidInput, match="31 December 2026, less than three months from 20 January 2027"):
        cadence(date(2027, 1, 20), [(date(2026, 12, 31), False), (date(2027, 6, 9), False)])


def test_additional_and_cancelled_meetings_do_not_count() -> None:
    # Additional meetings are not ordinary; the caller passes only meetings going ahead.
    cadence(date(2027, 9, 3), [(date(2027, 3, 3), False), (date(2027, 6, 1), True), (date(2027, 7, 1), True)])


def test_the_two_ordinary_meetings_of_each_year_are_accepted() -> None:
    cadence(date(2027, 9, 1), [(date(2027, 3, 1), False), (date(2026, 9, 1), False), (date(2028, 3, 1), False)])


def test_other_kinds_of_body_meet_as_often_as_they_need() -> None:
    cadence(date(2027, 3, 2), [(date(2027, 3, 1), False), (date(2027, 3, 3), False)], BodyKind.PARTNERSHIP_BOARD)


def test_scheduling_checks_the_cadence_and_an_additional_meeting_gives_its_reason() -> None:
    others = [(date(2026, 6, 1), False), (date(2026, 9, 1), False)]
    with pytest.raises(InvalidInput, match="already has its 2 ordinary meetings in 2026"):
        schedule(body_kind=CONSULTATIVE, others=others)
    with pytest.raises(InvalidInput, match="say why the additional meeting is called") as refusal:
        schedule(body_kind=CONSULTATIVE, others=others, additional=True, lead_officer="Jo Lead")
    assert (refusal.value.field, refusal.value.rule) == ("additional_reason", "C2")
    meeting = schedule(
        body_kind=CONSULTATIVE, others=others, additional=True, lead_officer="Jo Lead", additional_reason="Budget cut"
    )
    assert (meeting.additional, meeting.additional_reason) == (True, "Budget cut")


def test_moving_an_ordinary_meeting_keeps_to_the_cadence() -> None:
    meeting = schedule(body_kind=CONSULTATIVE)
    refused(
        meeting,
        lambda: meeting.move(
            actor=OFFICER,
            at=SCHEDULED_AT,
            new_date=date(2026, 8, 20),
            new_start_time=time(14),
            new_place="Hall",
            reason="Room",
            others=[(date(2026, 9, 1), False)],
        ),
        InvalidInput,
        "less than three months",
        rule="C1",
    )


def test_events_recorded_before_the_cadence_rule_still_load() -> None:
    # An old Scheduled event has no additional_reason: the aggregate's default stands.
    meeting = Meeting.schedule(
        id=uuid4(),
        actor=OFFICER,
        at=SCHEDULED_AT,
        body_id=uuid4(),
        body_name="Old Board",
        meeting_date=MEETING_DAY,
        start_time=time(14),
        place="Hall",
        public=True,
    )
    assert meeting.additional_reason is None and meeting.stage is MeetingStage.SCHEDULED


# ------------------------------------------------------- attendance from the members (C7, B3, B4)


def member(person: str, *, votes: bool = True, side: str = "carer", role: str = "member", **kw: Any) -> Membership:
    return Membership(
        member_id=person.lower(),
        person=person,
        position="",
        role=MemberRole(role),
        representation=Representation(side),
        votes=votes,
        joined_on=kw.get("joined_on", date(2025, 1, 1)),
        left_on=kw.get("left_on"),
    )


MEMBERS = [
    member("Ann"),
    member("Bo", side="service_user"),
    member("Cy", votes=False, side="relevant_partner_agency", role="agency_representative"),
    member("Di", side="community"),
    member("Ed", side="voluntary_sector"),
    member("Flo", votes=False, side="relevant_partner_agency", role="officer"),
    member("Gus", left_on=date(2026, 1, 1)),  # left before the meeting
    member("Hal", joined_on=date(2026, 5, 1)),  # joined after it
]


def test_someone_who_is_not_a_member_is_refused_and_pointed_to_guests() -> None:
    meeting = with_agenda()
    cases: list[tuple[str, dict[str, Any]]] = [
        ("present", {"present": ["Ann", "Jo Nobody"]}),
        ("present", {"present": ["Gus"]}),
        ("absent", {"present": ["Ann"], "absent": ["Hal"]}),
    ]
    for field, names in cases:
        with pytest.raises(InvalidInput, match="was not a member of Carers Forum on 8 April 2026") as refusal:
            meeting.record_attendance(actor=OFFICER, at=MEETING_AT, members=MEMBERS, **names)
        assert (refusal.value.field, refusal.value.rule) == (field, "C7")
        assert "guest or an officer in attendance" in refusal.value.message
    assert meeting.collect_events() == []


def test_the_turnout_counts_voting_members_the_quorum_and_the_user_side_share() -> None:
    meeting = with_agenda()
    turnout = meeting.record_attendance(
        actor=OFFICER,
        at=MEETING_AT,
        present=["Ann", "Cy", "Flo"],
        apologies=[Apology("Bo", "Bo's sister"), Apology("Di")],
        guests=["Jo Nobody"],
        officers=["Pat Clerk"],
        members=MEMBERS,
    )
    assert turnout is not None
    # Voting: Ann, Bo, Di, Ed (Cy is an agency's, Flo an officer: B4). Present: Ann, and Bo's substitute.
    assert (turnout.voting_present, turnout.voting_members) == (2, 4)
    assert turnout.quorum == 3 and not turnout.quorate  # a third of 4, at least 3
    # Counted (not officers): Ann, Cy, Bo's substitute; of them user-side: Ann and Bo's substitute.
    assert (turnout.user_side_present, turnout.counted_present) == (2, 3)
    assert meeting.absent == ["Ed"] and meeting.guests == ["Jo Nobody"] and meeting.officers == ["Pat Clerk"]
    assert meeting.turnout == turnout and meeting.stage is MeetingStage.HELD


def test_the_officer_may_record_the_bodys_own_quorum_within_the_voting_members() -> None:
    meeting = with_agenda()
    turnout = meeting.record_attendance(actor=OFFICER, at=MEETING_AT, present=["Ann", "Bo"], members=MEMBERS, quorum=2)
    assert turnout is not None and turnout.quorate
    for quorum in (0, 5):
        with pytest.raises(InvalidInput, match="from 1 to the 4 who vote") as refusal:
            meeting.record_attendance(actor=OFFICER, at=MEETING_AT, present=["Ann"], members=MEMBERS, quorum=quorum)
        assert refusal.value.field == "quorum"


def test_the_default_quorum() -> None:
    assert [default_quorum(n) for n in (0, 1, 2, 3, 9, 10, 30)] == [0, 1, 2, 3, 3, 4, 10]


def test_a_body_without_members_on_record_takes_the_names_as_given() -> None:
    meeting = with_agenda()
    assert meeting.record_attendance(actor=OFFICER, at=MEETING_AT, present=["Jo Nobody"]) is None
    assert meeting.present == ["Jo Nobody"] and meeting.turnout is None


def test_a_guest_cannot_also_be_listed_as_present() -> None:
    meeting = with_agenda()
    with pytest.raises(InvalidInput, match="ann is listed twice"):
        meeting.record_attendance(actor=OFFICER, at=MEETING_AT, present=["Ann"], guests=["ann"], members=MEMBERS)


# ------------------------------------------------------------ matters arising (C8) and small fixes


def test_a_matter_arising_is_closed_at_the_meeting_that_discusses_it_and_both_record_it() -> None:
    earlier = with_agenda()
    number = earlier.record_action(
        actor=OFFICER, at=MEETING_AT, description="Book a room", owner="Ann", due=MEETING_DAY + timedelta(days=30)
    )
    later = schedule(MEETING_DAY + timedelta(days=180))
    on_the_day = at(later.date, 18)
    refused(
        later,
        lambda: later.close_matter_arising(actor=OFFICER, at=SCHEDULED_AT, setting=earlier, number=number, note="x"),
        DomainError,
        "has not taken place yet",
        rule="C8",
    )
    later.close_matter_arising(actor=OFFICER, at=on_the_day, setting=earlier, number=number, note="Room booked")
    action = earlier.actions[number]
    assert (action.closed_on, action.note) == (later.date, "Room booked")
    assert later.matters_closed == [(earlier.id, number, "Room booked")] and later.held
    (closed,) = [e for e in earlier.collect_events() if isinstance(e, Meeting.ActionClosed)]
    assert (closed.at_meeting_id, closed.at_meeting_date) == (later.id, later.date)
    with pytest.raises(DomainError, match="was closed on"):
        later.close_matter_arising(actor=OFFICER, at=on_the_day, setting=earlier, number=number, note="Again")


def test_a_matter_arising_comes_from_an_earlier_meeting_of_the_same_body() -> None:
    earlier = with_agenda()
    other_body = schedule(MEETING_DAY, body_id=uuid4())
    later = schedule(MEETING_DAY + timedelta(days=180))
    for setting in (other_body, later):
        with pytest.raises(InvalidInput, match="from an earlier meeting of the same body") as refusal:
            later.close_matter_arising(actor=OFFICER, at=at(later.date), setting=setting, number=1, note="x")
        assert refusal.value.field == "from_meeting_id"
    with pytest.raises(InvalidInput, match="has no action 9"):
        later.close_matter_arising(actor=OFFICER, at=at(later.date), setting=earlier, number=9, note="x")


def test_draft_minutes_take_the_date_they_were_drafted() -> None:
    meeting = with_agenda()
    meeting.record_held(actor=OFFICER, at=MEETING_AT)
    later = at(MEETING_DAY + timedelta(days=10))
    meeting.record_draft_minutes(actor=OFFICER, at=later, file=FILE, drafted_on=MEETING_DAY + timedelta(days=2))
    assert meeting.minutes_drafted_on == MEETING_DAY + timedelta(days=2)
    for day in (MEETING_DAY - timedelta(days=1), MEETING_DAY + timedelta(days=11)):
        with pytest.raises(InvalidInput, match="drafted between the meeting") as refusal:
            meeting.record_draft_minutes(actor=OFFICER, at=later, file=FILE, drafted_on=day)
        assert (refusal.value.field, refusal.value.rule) == ("drafted_on", "C5")


def test_an_agenda_item_has_a_purpose_a_presenter_a_time_and_late_ones_are_supplementary() -> None:
    meeting = schedule()
    meeting.add_agenda_item(
        actor=OFFICER,
        at=SCHEDULED_AT,
        title="Budget",
        purpose="decision",
        presenter="Jo Finance",
        starts_at=time(14, 30),
    )
    item = meeting.agenda[1]
    assert (item.purpose, item.presenter, item.starts_at, item.supplementary) == (
        AgendaPurpose.DECISION,
        "Jo Finance",
        time(14, 30),
        False,
    )
    assert meeting.agenda[1].purpose.label == "For decision"
    meeting.publish_agenda(actor=OFFICER, at=SCHEDULED_AT)
    meeting.add_agenda_item(actor=OFFICER, at=at(MEETING_DAY - timedelta(days=1)), title="Late item")
    late = meeting.agenda[2]
    assert (late.purpose, late.supplementary, late.published) == (AgendaPurpose.DISCUSSION, True, True)
    with pytest.raises(InvalidInput, match="for decision, discussion or information") as refusal:
        meeting.add_agenda_item(actor=OFFICER, at=SCHEDULED_AT, title="Odd", purpose="gossip")
    assert refusal.value.field == "purpose"


# ------------------------------------------------------------ a meeting recorded afterwards


def past(meeting_date: date = date(2024, 6, 12)) -> Meeting:
    return Meeting.record_past(
        id=uuid4(),
        actor=OFFICER,
        at=SCHEDULED_AT,
        body_id=uuid4(),
        body_name="Carers Forum",
        meeting_date=meeting_date,
        start_time=time(14),
        place="Civic Centre",
        public=True,
        body_kind=BodyKind.CONSULTATIVE_GROUP,
    )


def test_a_past_meeting_is_recorded_with_its_business_and_no_lateness_invented() -> None:
    meeting = past()
    assert meeting.recorded_afterwards and meeting.stage is MeetingStage.SCHEDULED
    meeting.add_agenda_item(actor=OFFICER, at=SCHEDULED_AT, title="Budget", purpose="decision")
    meeting.attach_paper(
        actor=OFFICER, at=SCHEDULED_AT, item=1, title="Report", file=FILE, accessible=True, summary="s"
    )
    assert meeting.publish_agenda(actor=OFFICER, at=SCHEDULED_AT) is False  # not late: nothing is invented
    assert meeting.agenda_published_on == date(2024, 6, 12)  # it takes effect on the meeting day
    meeting.add_agenda_item(actor=OFFICER, at=SCHEDULED_AT, title="Any other business")
    meeting.record_attendance(actor=OFFICER, at=SCHEDULED_AT, present=["Ann"])
    meeting.record_decision(actor=OFFICER, at=SCHEDULED_AT, item=1, text="Agreed")
    meeting.record_draft_minutes(actor=OFFICER, at=SCHEDULED_AT, file=FILE, drafted_on=date(2024, 6, 20))
    meeting.clear_minutes(actor=OFFICER, at=SCHEDULED_AT, cleared_by="Ann", cleared_on=date(2024, 6, 25))
    assert meeting.publish_minutes(actor=OFFICER, at=SCHEDULED_AT) is False
    events = meeting.collect_events()
    assert not any(getattr(e, "late", False) for e in events)
    assert all(e.timestamp == SCHEDULED_AT for e in events)  # recorded today
    assert meeting.stage is MeetingStage.MINUTES_PUBLISHED


def test_a_meeting_still_to_come_is_scheduled_not_recorded() -> None:
    with pytest.raises(InvalidInput, match="schedule the meeting instead") as refusal:
        past(SCHEDULED_AT.date() + timedelta(days=1))
    assert refusal.value.field == "meeting_date"
    assert past(SCHEDULED_AT.date()).date == SCHEDULED_AT.date()


def test_the_history_says_recorded_afterwards() -> None:
    (scheduled,) = past().collect_events()
    assert describe(scheduled).sentence.startswith(
        "Recorded afterwards: the meeting of Carers Forum held on 12 June 2024"
    )


def test_every_event_of_a_meeting_recorded_afterwards_reads_as_such() -> None:
    meeting = past()
    meeting.add_agenda_item(actor=OFFICER, at=SCHEDULED_AT, title="Budget", purpose="decision")
    meeting.publish_agenda(actor=OFFICER, at=SCHEDULED_AT)
    meeting.record_attendance(actor=OFFICER, at=SCHEDULED_AT, present=["Ann"])
    meeting.declare_interest(actor=OFFICER, at=SCHEDULED_AT, person="Ann", interest="Carer", item=1)
    meeting.record_decision(actor=OFFICER, at=SCHEDULED_AT, item=1, text="Agreed")
    meeting.record_draft_minutes(actor=OFFICER, at=SCHEDULED_AT, file=FILE, drafted_on=date(2024, 6, 20))
    meeting.clear_minutes(actor=OFFICER, at=SCHEDULED_AT, cleared_by="Ann", cleared_on=date(2024, 6, 25))
    meeting.publish_minutes(actor=OFFICER, at=SCHEDULED_AT)
    entries = describe_record(meeting.collect_events())
    assert [e.sentence for e in entries] == [
        "Recorded afterwards: the meeting of Carers Forum held on 12 June 2024 at Civic Centre",
        "Recorded afterwards: added agenda item 1, 'Budget'",
        "Recorded afterwards: published the agenda and papers",
        "Recorded afterwards: recorded attendance: 1 person present, 0 apologies, 0 substitutes",
        "Recorded afterwards: Ann declared an interest in agenda item 1: Carer",
        "Recorded afterwards: decision on agenda item 1: Agreed",
        "Recorded afterwards: recorded the draft minutes, report.pdf",
        "Recorded afterwards: draft minutes cleared by the chair, Ann, on 25 June 2024",
        "Recorded afterwards: published the draft minutes",  # no "on time": no deadline was known then
    ]
    assert all(e.changes.get("recorded_afterwards") is True for e in entries)


def test_a_meeting_scheduled_in_advance_reads_as_it_happened() -> None:
    meeting = with_agenda()
    meeting.record_attendance(actor=OFFICER, at=MEETING_AT, present=["Ann"])
    entries = describe_record([*meeting.collect_events()])
    assert not any("afterwards" in e.sentence or "recorded_afterwards" in e.changes for e in entries)
