"""hub.as_at(id, moment): a record as it stood at an earlier moment, on SQLite and PostgreSQL.

The clock fixture is the application's only time source; clock.advance(days=...) moves it
between commands, and each event is stamped with the clock's time.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from typing import Any
from uuid import uuid4

from application.hub import PartnershipHub
from domain.actor import Actor
from domain.body import Body, Decision
from domain.meeting import Meeting
from domain.project import Brief, Project
from domain.vocabulary import BodyStatus, MeetingStatus, Rag

OFFICER = Actor("dmantell", "partnership_officer")
ED = Actor("tparkin", "executive_director")
PH = Actor("cllr-care", "portfolio_holder_care_services")
LEAD = Actor("mwatts", "project_lead")
ONE_MICROSECOND = timedelta(microseconds=1)


def decision(reason: str = "Recommended by the PDS Committee") -> Decision:
    return Decision(reason=reason, effective_date=date(2026, 4, 1), decided_by="Portfolio Holder for Care Services")


def test_a_body_as_it_stood_at_each_earlier_moment(hub: PartnershipHub, clock: Any) -> None:
    before_it_existed = clock.now
    body_id = hub.establish_body(
        OFFICER, name="Carers Forum", kind="consultative_group", decision=decision(), annual_funding_pence=1_855_000
    )
    established = clock.now
    clock.advance(days=10)
    hub.change_funding(OFFICER, body_id, annual_funding_pence=3_000_000, decision=decision())
    funded = clock.now
    clock.advance(days=10)
    hub.add_member(
        OFFICER, body_id, person="Ann Carer", role="member", representation="carer", effective_date=date(2026, 3, 22)
    )
    joined = clock.now
    clock.advance(days=10)
    hub.end_body(OFFICER, body_id, decision=decision("No longer needed"))
    ended = clock.now

    assert hub.as_at(body_id, before_it_existed) is None
    assert hub.as_at(body_id, established - ONE_MICROSECOND) is None

    at_start = hub.as_at(body_id, established)
    assert isinstance(at_start, Body)
    assert (at_start.version, at_start.annual_funding_pence, at_start.status) == (1, 1_855_000, BodyStatus.ACTIVE)

    # Between changes, the record is as the last change left it.
    a_week_in = hub.as_at(body_id, established + timedelta(days=7))
    assert (a_week_in.version, a_week_in.annual_funding_pence) == (1, 1_855_000)

    after_funding = hub.as_at(body_id, funded + timedelta(days=1))
    assert (after_funding.version, after_funding.annual_funding_pence) == (2, 3_000_000)
    assert after_funding.current_members() == []

    after_joining = hub.as_at(body_id, joined)
    assert [m.person for m in after_joining.current_members()] == ["Ann Carer"]
    assert after_joining.status is BodyStatus.ACTIVE

    assert hub.as_at(body_id, ended - ONE_MICROSECOND).status is BodyStatus.ACTIVE
    at_end = hub.as_at(body_id, ended)
    assert (at_end.version, at_end.status) == (4, BodyStatus.ENDED)

    # Long after, as_at is the record as it is now.
    now = hub.body(body_id)
    later = hub.as_at(body_id, ended + timedelta(days=365))
    assert (later.version, later.status, later.annual_funding_pence) == (now.version, now.status, 3_000_000)


def test_as_at_reads_a_moment_given_in_another_time_zone(hub: PartnershipHub, clock: Any) -> None:
    body_id = hub.establish_body(OFFICER, name="Parent Voice", kind="consultative_group", decision=decision())
    established = clock.now
    clock.advance(hours=1)
    hub.maintain_body(OFFICER, body_id, decision=decision())
    maintained = clock.now
    # The same instants written in UTC+05:00 and UTC-08:00.
    east, west = timezone(timedelta(hours=5)), timezone(timedelta(hours=-8))
    assert hub.as_at(body_id, established.astimezone(east)).version == 1
    assert hub.as_at(body_id, (maintained - ONE_MICROSECOND).astimezone(west)).version == 1
    assert hub.as_at(body_id, maintained.astimezone(west)).version == 2
    assert hub.as_at(body_id, (established - ONE_MICROSECOND).astimezone(east)) is None


def test_as_at_shows_what_the_record_said_before_a_correction(hub: PartnershipHub, clock: Any) -> None:
    body_id = hub.establish_body(
        OFFICER, name="Mobility Forum", kind="provider_forum", decision=decision(), annual_funding_pence=3_833_900
    )
    clock.advance(days=30)
    hub.end_body(OFFICER, body_id, decision=decision("Council support removed"))
    ended = clock.now
    clock.advance(days=30)
    # A closed body still accepts a correction, which names the version and event it corrects.
    hub.correct_body(
        OFFICER,
        body_id,
        corrects_version=1,
        field="annual_funding_pence",
        value=3_833_950,
        decision=decision("The imported amount was 50p out"),
    )
    assert hub.as_at(body_id, ended).annual_funding_pence == 3_833_900
    corrected = hub.as_at(body_id, clock.now)
    assert (corrected.annual_funding_pence, corrected.status) == (3_833_950, BodyStatus.ENDED)
    entry = hub.history(body_id)[-1]
    assert entry.change == "corrected"
    assert "the earlier value had been recorded on 2 March 2026" in entry.sentence
    assert entry.reason == "The imported amount was 50p out"
    events = list(hub.events.get(body_id))
    assert (events[-1].corrects_version, events[-1].corrects_event) == (1, "Established")


def test_a_project_as_it_stood(hub: PartnershipHub, clock: Any) -> None:
    before = clock.now
    brief = Brief(
        aims_and_objectives="Refresh the carers strategy",
        outcomes="A new strategy",
        start_date=date(2026, 4, 1),
        end_date=date(2027, 3, 31),
        resources="Officer time",
        key_risks="Low response",
    )
    project_id = hub.commission_project(PH, title="Carers Strategy", lead="mwatts", brief=brief)
    commissioned = clock.now
    clock.advance(days=7)
    hub.agree_brief(ED, project_id)
    agreed = clock.now
    clock.advance(days=90)
    hub.submit_progress_report(
        LEAD,
        project_id,
        period_start=date(2026, 4, 1),
        period_end=date(2026, 6, 30),
        milestones_achieved="Survey sent",
        issues_and_concerns="None",
        rag="amber",
        percent_complete=40,
    )
    reported = clock.now
    clock.advance(days=200)
    hub.submit_completion_report(LEAD, project_id, outcomes_achieved="Strategy agreed")

    assert hub.as_at(project_id, before) is None
    at_commission = hub.as_at(project_id, commissioned + timedelta(days=1))
    assert isinstance(at_commission, Project)
    assert (at_commission.brief_agreed_on, at_commission.reports) == (None, [])
    at_agreement = hub.as_at(project_id, agreed)
    assert at_agreement.brief_agreed_on == agreed.date()
    assert not at_agreement.is_complete
    at_report = hub.as_at(project_id, reported + timedelta(days=100))
    assert [(r.rag, r.percent_complete) for r in at_report.reports] == [(Rag.AMBER, 40)]
    assert not at_report.is_complete
    now = hub.as_at(project_id, clock.now)
    assert now.is_complete
    assert now.outcomes_achieved == "Strategy agreed"


def test_a_meeting_as_it_stood(hub: PartnershipHub, clock: Any) -> None:
    body_id = hub.establish_body(OFFICER, name="Carers Forum", kind="consultative_group", decision=decision())
    before = clock.now
    meeting_id = hub.schedule_meeting(
        OFFICER, body_id, meeting_date=date(2026, 6, 1), start_time=time(14), place="Civic Centre"
    )
    scheduled = clock.now
    clock.advance(days=5)
    hub.move_meeting(
        OFFICER, meeting_id, new_date=date(2026, 6, 8), new_start_time=time(10), new_place="Room 2", reason="Clash"
    )
    moved = clock.now
    clock.advance(days=5)
    hub.cancel_meeting(OFFICER, meeting_id, reason="Chair unwell")

    assert hub.as_at(meeting_id, before) is None
    first = hub.as_at(meeting_id, scheduled)
    assert isinstance(first, Meeting)
    assert (first.date, first.place, first.status, first.public) == (
        date(2026, 6, 1),
        "Civic Centre",
        MeetingStatus.SCHEDULED,
        True,
    )
    second = hub.as_at(meeting_id, moved + timedelta(days=1))
    assert (second.date, second.start_time, second.place, second.status) == (
        date(2026, 6, 8),
        time(10),
        "Room 2",
        MeetingStatus.SCHEDULED,
    )
    assert hub.as_at(meeting_id, clock.now).status is MeetingStatus.CANCELLED


def test_as_at_for_a_record_that_never_existed_is_none(hub: PartnershipHub, clock: Any) -> None:
    assert hub.as_at(uuid4(), clock.now) is None


def test_each_record_has_its_own_timeline(hub: PartnershipHub, clock: Any) -> None:
    first = hub.establish_body(OFFICER, name="First Forum", kind="virtual_panel", decision=decision())
    clock.advance(days=1)
    second = hub.establish_body(OFFICER, name="Second Forum", kind="virtual_panel", decision=decision())
    clock.advance(days=1)
    hub.maintain_body(OFFICER, first, decision=decision())
    moment: datetime = clock.now
    assert hub.as_at(first, moment).version == 2
    assert hub.as_at(second, moment).version == 1
    assert hub.as_at(second, moment - timedelta(days=1, hours=1)) is None
