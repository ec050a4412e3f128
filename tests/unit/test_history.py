"""domain.history.describe: a plain-English sentence for every kind of recorded event."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from uuid import uuid4

import pytest

from domain.actor import Actor
from domain.body import Body, Decision
from domain.documents import FileRef
from domain.history import HistoryEntry, describe
from domain.meeting import Apology, Meeting
from domain.project import Brief, Project
from domain.vocabulary import EXECUTIVE_DIRECTOR, BodyKind, MemberRole, Representation

AT = datetime(2013, 7, 1, 10, 0, tzinfo=UTC)
REPORTED_AT = datetime(2014, 3, 3, 10, 0, tzinfo=UTC)  # a progress report comes once its period has begun
OFFICER = Actor("dmantell", "partnership_officer")
ED = Actor("tparkin", "executive_director")
LEAD = Actor("mwatts", "project_lead")
MARCH_2014 = date(2014, 3, 31)
BODY = uuid4()


def decision(reason: str = "Recommended by the PDS Committee", effective: date | None = date(2013, 9, 1)) -> Decision:
    return Decision(reason=reason, effective_date=effective, decided_by="Portfolio Holder for Care Services")


def establish(name: str, kind: BodyKind, **kw: Any) -> Body:
    return Body.establish(id=uuid4(), actor=OFFICER, at=AT, name=name, kind=kind, decision=decision(), **kw)


def entries(aggregate: Any) -> list[HistoryEntry]:
    return [describe(e) for e in aggregate.collect_events()]


def one(aggregate: Any) -> HistoryEntry:
    (entry,) = entries(aggregate)
    return entry


def event_classes(aggregate_class: type) -> set[type]:
    """Every concrete event class an aggregate defines (not the abstract bases)."""
    abstract = {"Event", "GovernanceEvent", "Created"}
    return {
        value
        for name, value in vars(aggregate_class).items()
        if isinstance(value, type) and issubclass(value, aggregate_class.Event) and name not in abstract
    }


# --------------------------------------------------------------------- bodies


@pytest.fixture
def forum() -> Body:
    body = establish("Carers Forum", BodyKind.CONSULTATIVE_GROUP, annual_funding_pence=1_855_000)
    body.collect_events()
    return body


def test_establishing_a_body() -> None:
    body = establish("Carers Forum", BodyKind.CONSULTATIVE_GROUP)
    entry = one(body)
    assert entry.sentence == "Established Carers Forum as a service user consultative group"
    assert entry.change == "established"
    assert (entry.version, entry.actor, entry.recorded_at) == (1, "dmantell", AT)
    assert (entry.reason, entry.effective_date, entry.governance) == (
        "Recommended by the PDS Committee",
        date(2013, 9, 1),
        True,
    )


def test_establishing_a_time_limited_group_says_until_when() -> None:
    body = establish("Mobility Forum", BodyKind.TASK_AND_FINISH_GROUP, until=MARCH_2014)
    assert one(body).sentence == (
        "Established Mobility Forum as a time-limited task-and-finish project group until 31 March 2014"
    )


def test_terms_of_reference(forum: Body) -> None:
    forum.adopt_terms_of_reference(actor=OFFICER, at=AT, text="ToR", decision=decision())
    entry = one(forum)
    assert entry.sentence == "Adopted terms of reference (version 1)"
    assert entry.change == "terms_of_reference_adopted"


@pytest.mark.parametrize(
    ("pence", "until", "sentence"),
    [
        (3_833_900, None, "Funding changed from £18,550 a year to £38,339 a year"),
        (3_000_050, None, "Funding changed from £18,550 a year to £30,000.50 a year"),
        (None, None, "Funding changed from £18,550 a year to no funding"),
        (0, MARCH_2014, "Funding changed from £18,550 a year to £0 a year, council funding until 31 March 2014"),
    ],
    ids=["pounds", "pence", "none", "until"],
)
def test_funding_changed(forum: Body, pence: int | None, until: date | None, sentence: str) -> None:
    forum.change_funding(
        actor=OFFICER, at=AT, annual_funding_pence=pence, council_funding_until=until, decision=decision()
    )
    entry = one(forum)
    assert entry.sentence == sentence
    assert entry.changes == {"annual_funding_pence": {"before": 1_855_000, "after": pence}}


def test_contract_extended(forum: Body) -> None:
    forum.extend_contract(actor=OFFICER, at=AT, until=MARCH_2014, break_clause_months=3, decision=decision())
    assert one(forum).sentence == "Contract extended until 31 March 2014 with a 3-month break clause"
    forum.extend_contract(actor=OFFICER, at=AT, until=date(2015, 3, 31), decision=decision())
    # The break clause carries over.
    assert one(forum).sentence == "Contract extended until 31 March 2015 with a 3-month break clause"


def test_contract_extended_without_a_break_clause() -> None:
    body = establish("Board", BodyKind.PARTNERSHIP_BOARD)
    body.collect_events()
    body.extend_contract(actor=OFFICER, at=AT, until=MARCH_2014, decision=decision())
    assert one(body).sentence == "Contract extended until 31 March 2014"


def test_transformed(forum: Body) -> None:
    forum.transform(
        actor=OFFICER,
        at=AT,
        into=BodyKind.TASK_AND_FINISH_GROUP,
        until=MARCH_2014,
        task="finish the carers strategy",
        decision=decision(),
    )
    entry = one(forum)
    assert entry.sentence == (
        "Transformed from a service user consultative group into a time-limited task-and-finish "
        "project group until 31 March 2014, to finish the carers strategy"
    )
    assert entry.changes["kind"] == {"before": "consultative_group", "after": "task_and_finish_group"}


def test_replaced_names_the_successor_and_until_when(forum: Body) -> None:
    successor = establish("Carers Strategy Group", BodyKind.TASK_AND_FINISH_GROUP, until=MARCH_2014)
    forum.replace_with(actor=OFFICER, at=AT, successor=successor, task="refresh the strategy", decision=decision())
    entry = one(forum)
    assert entry.sentence == (
        "Replaced by Carers Strategy Group, a time-limited task-and-finish project group "
        "until 31 March 2014, to refresh the strategy"
    )
    assert "until 31 March 2014" in entry.sentence
    assert entry.changes["replaced_by"] == "Carers Strategy Group"


def test_replaced_by_a_conference(forum: Body) -> None:
    conference = establish("Adult Services Stakeholder Conference", BodyKind.STAKEHOLDER_CONFERENCE)
    forum.replace_with(actor=OFFICER, at=AT, successor=conference, decision=decision())
    assert one(forum).sentence == "Replaced by Adult Services Stakeholder Conference, a stakeholder conference"


def test_merged(forum: Body) -> None:
    target = establish("Parent Voice", BodyKind.CONSULTATIVE_GROUP)
    forum.merge_into(actor=OFFICER, at=AT, target=target, decision=decision())
    assert one(forum).sentence == "Merged into Parent Voice"


def test_self_funding_option(forum: Body) -> None:
    forum.give_self_funding_option(actor=OFFICER, at=AT, council_funding_until=MARCH_2014, decision=decision())
    assert one(forum).sentence == (
        "Given the option of becoming self-funding, with council funding until 31 March 2014"
    )


def test_transferred_to_provider_forum(forum: Body) -> None:
    forum.transfer_to_provider_forum(actor=OFFICER, at=AT, under="Care Providers Forum", decision=decision())
    assert one(forum).sentence == "Transferred to provider-forum status under Care Providers Forum"


def test_maintained(forum: Body) -> None:
    forum.maintain(actor=OFFICER, at=AT, decision=decision())
    assert one(forum).sentence == "Maintained"
    forum.maintain(actor=OFFICER, at=AT, as_="user-led group", decision=decision())
    assert one(forum).sentence == "Maintained as a user-led group"


@pytest.mark.parametrize(
    ("remove", "sentence"), [(True, "Ended and council support removed"), (False, "Ended")], ids=["removed", "kept"]
)
def test_ended(forum: Body, remove: bool, sentence: str) -> None:
    forum.end(actor=OFFICER, at=AT, decision=decision(effective=date(2013, 9, 30)), remove_council_support=remove)
    entry = one(forum)
    assert entry.sentence == sentence
    assert entry.effective_date == date(2013, 9, 30)


def test_corrected_names_the_event_it_corrects(forum: Body) -> None:
    forum.correct(
        actor=OFFICER,
        at=AT,
        corrects_version=1,
        corrects_event="Established",
        field="annual_funding_pence",
        value=1_855_050,
        decision=decision("Typo in the import"),
        corrects_recorded_on=date(2013, 3, 3),
    )
    entry = one(forum)
    assert entry.sentence == (
        "The annual funding was corrected from £18,550 a year to £18,550.50 a year; "
        "the earlier value had been recorded on 3 March 2013"
    )
    assert entry.reason == "Typo in the import"
    assert entry.governance is True


def test_member_joined_left_and_elected(forum: Body) -> None:
    forum.add_member(
        actor=OFFICER,
        at=AT,
        member_id="m1",
        person="Ann Carer",
        role=MemberRole.MEMBER,
        representation=Representation.CARER,
        effective_date=date(2013, 9, 1),
    )
    forum.add_member(
        actor=OFFICER,
        at=AT,
        member_id="m2",
        person="Sam User",
        role=MemberRole.MEMBER,
        representation=Representation.SERVICE_USER,
        effective_date=date(2013, 9, 1),
    )
    forum.add_member(
        actor=OFFICER,
        at=AT,
        member_id="a1",
        person="Pat Police",
        role=MemberRole.AGENCY_REPRESENTATIVE,
        representation=Representation.RELEVANT_PARTNER_AGENCY,
        effective_date=date(2013, 9, 1),
    )
    forum.record_election(actor=OFFICER, at=AT, chair_id="m1", vice_chair_id="m2", election_date=date(2013, 10, 1))
    forum.remove_member(actor=OFFICER, at=AT, member_id="a1", effective_date=date(2013, 12, 1), reason="Retired")
    carer, user, agency, elected, left = entries(forum)
    assert carer.sentence == "Ann Carer joined as member representing carer"
    assert user.sentence == "Sam User joined as member representing service user"
    assert (
        agency.sentence == "Pat Police joined as agency-representative representing relevant partner agency (no vote)"
    )
    assert (
        elected.sentence
        == "Chair and vice-chair elected on 1 October 2013: Ann Carer as chair and Sam User as vice-chair"
    )
    assert left.sentence == "Pat Police left as agency-representative representing relevant partner agency: Retired"
    assert [e.change for e in (carer, elected, left)] == ["member_joined", "officers_elected", "member_left"]
    # Membership is not a governance change, but still records who and (for leaving) why.
    assert not any(e.governance for e in (carer, user, agency, elected, left))
    assert (left.reason, left.effective_date, left.actor) == ("Retired", date(2013, 12, 1), "dmantell")
    assert carer.effective_date == date(2013, 9, 1)


# ------------------------------------------------------------------- projects


def test_project_events() -> None:
    brief = Brief(
        aims_and_objectives="Refresh the carers strategy",
        outcomes="A new strategy",
        start_date=date(2013, 9, 1),
        end_date=MARCH_2014,
        resources="Officer time",
        key_risks="Low response",
    )
    project = Project.commission(
        id=uuid4(),
        actor=ED,
        at=AT,
        title="Carers Strategy",
        commissioned_by=EXECUTIVE_DIRECTOR,
        lead="mwatts",
        brief=brief,
    )
    project.agree_brief(actor=ED, at=AT, agreed_by=EXECUTIVE_DIRECTOR, agreed_on=date(2013, 9, 5))
    project.report_progress(
        actor=LEAD,
        at=REPORTED_AT,
        period_start=date(2013, 9, 1),
        period_end=date(2013, 11, 30),
        milestones_achieved="Survey sent",
        issues_and_concerns="",
        rag="amber",
        percent_complete=40,
    )
    project.extend_timeframe(actor=ED, at=AT, new_end_date=date(2014, 6, 30), reason="Survey overran")
    project.complete(actor=LEAD, at=AT, outcomes_achieved="Strategy agreed", completed_on=date(2014, 6, 20))
    commissioned, agreed, reported, extended, completed = entries(project)
    assert commissioned.sentence == (
        "Commissioned 'Carers Strategy' by the Executive Director for Education, Care and Health Services, "
        "led by mwatts"
    )
    assert agreed.sentence == (
        "Brief agreed by the Executive Director for Education, Care and Health Services on 5 September 2013"
    )
    assert reported.sentence == "Progress report for 1 September 2013 to 30 November 2013: AMBER, 40% complete"
    assert extended.sentence == "Timeframe extended from 31 March 2014 to 30 June 2014"
    assert completed.sentence == "Completed on 20 June 2014"
    assert completed.changes == {"outcomes_achieved": "Strategy agreed"}
    assert [e.actor for e in (commissioned, reported, completed)] == ["tparkin", "mwatts", "mwatts"]
    assert extended.reason == "Survey overran"
    assert [e.version for e in (commissioned, agreed, reported, extended, completed)] == [1, 2, 3, 4, 5]


# ------------------------------------------------------------------- meetings


def test_meeting_events() -> None:
    now = datetime(2013, 9, 2, 9, 0, tzinfo=UTC)
    meeting = Meeting.schedule(
        id=uuid4(),
        actor=ED,
        at=now,
        body_id=uuid4(),
        body_name="Adult Services Stakeholder Conference",
        meeting_date=date(2013, 9, 20),
        start_time=time(14, 0),
        place="Bromley Civic Centre",
        public=True,
        additional=True,
    )
    meeting.move(
        actor=OFFICER,
        at=now,
        new_date=date(2013, 9, 27),
        new_start_time=time(14, 0),
        new_place="Room 2",
        reason="Room unavailable",
    )
    meeting.cancel(actor=OFFICER, at=now, reason="Chair unwell")
    scheduled, moved, cancelled = entries(meeting)
    assert scheduled.sentence == (
        "Scheduled additional meeting of Adult Services Stakeholder Conference on 20 September 2013 "
        "at Bromley Civic Centre"
    )
    assert moved.sentence == "Moved from 20 September 2013 to 27 September 2013 at Room 2"
    assert cancelled.sentence == "Cancelled"
    assert (moved.reason, cancelled.reason) == ("Room unavailable", "Chair unwell")


FILE = FileRef("ab" * 32, 1234, "application/pdf", "budget.pdf")
NEXT_DAY = AT + timedelta(days=1)


def held_meetings() -> tuple[Meeting, Meeting]:
    """A meeting on AT's day taken through its whole life, and the next one, which approves its minutes."""

    def on(day: date) -> Meeting:
        return Meeting.schedule(
            id=uuid4(),
            actor=ED,
            at=AT,
            body_id=BODY,
            body_name="Carers Forum",
            meeting_date=day,
            start_time=time(10),
            place="Civic Centre",
            public=True,
        )

    held, following = on(AT.date()), on(NEXT_DAY.date())
    held.add_agenda_item(actor=OFFICER, at=AT, title="Budget")
    held.add_agenda_item(actor=OFFICER, at=AT, title="Contract award", exemption_paragraph=3)
    held.attach_paper(actor=OFFICER, at=AT, item=1, title="Budget report", file=FILE, accessible=False, summary="s")
    held.publish_agenda(actor=OFFICER, at=AT)
    held.add_agenda_item(actor=OFFICER, at=AT, title="Any other business")
    held.record_attendance(actor=OFFICER, at=AT, present=["Ann", "Bo"], apologies=[Apology("Cy", "Di"), Apology("Ed")])
    held.declare_interest(actor=OFFICER, at=AT, person="Bo", item=1, interest="Works for a provider")
    held.record_decision(actor=OFFICER, at=AT, item=1, text="Budget agreed")
    held.record_action(actor=OFFICER, at=AT, description="Write to the CCG", owner="Ann", due=date(2013, 8, 1))
    held.record_draft_minutes(actor=OFFICER, at=AT, file=FILE)
    held.record_draft_minutes(actor=OFFICER, at=AT, file=FILE)
    held.clear_minutes(actor=OFFICER, at=AT, cleared_by="Ann Smith")
    held.publish_minutes(actor=OFFICER, at=AT)
    following.approve_previous_minutes(actor=OFFICER, at=NEXT_DAY, previous=held, amendments="")
    held.close_action(
        actor=OFFICER, at=NEXT_DAY, number=1, note="Letter sent", at_meeting=(following.id, following.date)
    )
    return held, following


def test_meeting_workflow_events() -> None:
    held, following = held_meetings()
    sentences = [e.sentence for e in entries(held)[1:]]
    assert sentences == [
        "Added agenda item 1, 'Budget'",
        "Added agenda item 2, 'Contract award' (exempt: paragraph 3 of Schedule 12A, information relating to the "
        "financial or business affairs of any particular person (including the authority holding that information))",
        "Attached paper 'Budget report' (budget.pdf) to agenda item 1 (not yet in an accessible format)",
        "Published the agenda and papers, late: they were due by 24 June 2013",
        "Added agenda item 3, 'Any other business', published at once, late: papers were due by 24 June 2013",
        "Recorded attendance: 2 people present, 2 apologies, 1 substitute",
        "Bo declared an interest in agenda item 1: Works for a provider",
        "Decision on agenda item 1: Budget agreed",
        "Action 1 for Ann, due 1 August 2013: Write to the CCG",
        "Recorded the draft minutes, budget.pdf",
        "Replaced the draft minutes with budget.pdf",
        "Draft minutes cleared by the chair, Ann Smith, on 1 July 2013",
        "Published the draft minutes, on time (due by 22 July 2013)",
        "Minutes approved at the meeting of 2 July 2013 as a correct record",
        "Closed action 1 on 2 July 2013 at the meeting of 2 July 2013: Letter sent",
    ]
    (approved,) = entries(following)[1:]
    assert approved.sentence == "Approved the minutes of the meeting of 1 July 2013 as a correct record"


# ------------------------------------------------- completeness: no event left unworded


def _every_event() -> list[Any]:
    """At least one event of every class, made through the domain's own methods."""
    forum = establish("Carers Forum", BodyKind.CONSULTATIVE_GROUP)
    other = establish("Parent Voice", BodyKind.CONSULTATIVE_GROUP)
    third = establish("Old Board", BodyKind.PARTNERSHIP_BOARD)
    d = decision()
    forum.adopt_terms_of_reference(actor=OFFICER, at=AT, text="ToR", decision=d)
    forum.change_funding(actor=OFFICER, at=AT, annual_funding_pence=100, decision=d)
    forum.extend_contract(actor=OFFICER, at=AT, until=MARCH_2014, decision=d)
    forum.give_self_funding_option(actor=OFFICER, at=AT, council_funding_until=MARCH_2014, decision=d)
    forum.maintain(actor=OFFICER, at=AT, decision=d, as_="user-led group")
    forum.assign_statutory_function(
        actor=OFFICER,
        at=AT,
        function="Children's Trust Board",
        legal_basis="Children Act 2004, section 12A",
        decision=Decision(d.reason, d.effective_date, decided_by="Council Executive", decision_ref="EX13/044"),
    )
    for n, rep in ((1, Representation.CARER), (2, Representation.SERVICE_USER)):
        forum.add_member(
            actor=OFFICER,
            at=AT,
            member_id=f"m{n}",
            person=f"P{n}",
            role=MemberRole.MEMBER,
            representation=rep,
            effective_date=date(2013, 9, 1),
        )
    forum.record_election(actor=OFFICER, at=AT, chair_id="m1", vice_chair_id="m2", election_date=date(2013, 9, 2))
    forum.remove_member(actor=OFFICER, at=AT, member_id="m2", effective_date=date(2013, 9, 3), reason="Left")
    forum.set_quorum(actor=OFFICER, at=AT, quorum=1, reason="Agreed at the annual meeting")
    forum.transform(actor=OFFICER, at=AT, into=BodyKind.TASK_AND_FINISH_GROUP, until=MARCH_2014, decision=d)
    forum.transfer_to_provider_forum(actor=OFFICER, at=AT, under="Providers", decision=d)
    forum.replace_with(actor=OFFICER, at=AT, successor=other, decision=d)
    forum.correct(
        actor=OFFICER, at=AT, corrects_version=1, corrects_event="Established", field="purpose", value="x", decision=d
    )
    other.propose_change(
        actor=OFFICER, at=AT, change="end_body", title="End the body", details={}, reason="r", effective_date=None
    )
    other.decide_proposal(
        actor=ED, at=AT, number=1, outcome="approved", decided_by="PH", decision_ref="CS1", decided_on=None
    )
    group = establish("Mobility Forum", BodyKind.TASK_AND_FINISH_GROUP, until=MARCH_2014)
    group.extend_time_limit(actor=OFFICER, at=AT, until=date(2015, 3, 31), decision=d)
    group.close_time_limited(actor=OFFICER, at=AT, completion_report="Done", decision=d)
    third.merge_into(actor=OFFICER, at=AT, target=other, decision=d)
    other.end(actor=OFFICER, at=AT, decision=d)
    brief = Brief("a", "o", date(2013, 9, 1), MARCH_2014, "r", "k")
    project = Project.commission(
        id=uuid4(), actor=ED, at=AT, title="T", commissioned_by=EXECUTIVE_DIRECTOR, lead=LEAD.user_id, brief=brief
    )
    project.change_brief(actor=ED, at=AT, brief=replace(brief, key_risks="k2"), reason="r")
    project.agree_brief(actor=ED, at=AT, agreed_by=EXECUTIVE_DIRECTOR, agreed_on=date(2013, 9, 1))
    project.report_progress(
        actor=LEAD,
        at=REPORTED_AT,
        period_start=date(2013, 9, 1),
        period_end=date(2013, 9, 30),
        milestones_achieved="m",
        issues_and_concerns="",
        rag="green",
        percent_complete=10,
    )
    project.extend_timeframe(actor=ED, at=AT, new_end_date=date(2014, 6, 30), reason="r")
    project.complete(actor=LEAD, at=AT, outcomes_achieved="o", completed_on=date(2014, 6, 1))
    meeting = Meeting.schedule(
        id=uuid4(),
        actor=ED,
        at=AT,
        body_id=other.id,
        body_name="Parent Voice",
        meeting_date=date(2013, 9, 1),
        start_time=time(10),
        place="Here",
        public=True,
    )
    meeting.move(actor=OFFICER, at=AT, new_date=date(2013, 9, 2), new_start_time=time(10), new_place="Here", reason="r")
    meeting.cancel(actor=OFFICER, at=AT, reason="r")
    held, following = held_meetings()
    taken_place = Meeting.schedule(
        id=uuid4(),
        actor=ED,
        at=AT,
        body_id=other.id,
        body_name="Parent Voice",
        meeting_date=AT.date(),
        start_time=time(10),
        place="Here",
        public=True,
    )
    taken_place.record_held(actor=OFFICER, at=AT)
    taken_place.record_action(actor=OFFICER, at=AT, description="Book a room", owner="Ann", due=AT.date())
    discussed = Meeting.schedule(
        id=uuid4(),
        actor=ED,
        at=AT,
        body_id=other.id,
        body_name="Parent Voice",
        meeting_date=NEXT_DAY.date(),
        start_time=time(10),
        place="Here",
        public=True,
    )
    discussed.close_matter_arising(actor=OFFICER, at=NEXT_DAY, setting=taken_place, number=1, note="Booked")
    events: list[Any] = []
    for aggregate in (forum, other, third, group, project, meeting, held, following, taken_place, discussed):
        events.extend(aggregate.collect_events())
    return events


def test_every_event_class_gets_its_own_plain_sentence() -> None:
    events = _every_event()
    defined = event_classes(Body) | event_classes(Project) | event_classes(Meeting)
    # The scenario covers every event class the aggregates define.
    assert {type(e) for e in events} == defined
    for event in events:
        entry = describe(event)
        name = type(event).__name__
        # The fallback for an unknown event is its bare class name with no changes.
        assert entry.sentence != name or entry.changes, f"{name} has no plain-English sentence"
        assert entry.sentence[0].isupper()
        assert "_" not in entry.sentence, entry.sentence
        assert entry.actor == event.actor
        assert entry.version == event.originator_version
        assert entry.governance is isinstance(event, Body.GovernanceEvent)
        if entry.governance:
            assert entry.reason == "Recommended by the PDS Committee"
            assert entry.effective_date == date(2013, 9, 1)
