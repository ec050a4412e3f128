"""The bounds of what the record holds (domain/bounds.py), and the aggregates keeping to them for callers
that bypass the command schemas (the importer, the demo, scripts): no clock, no database.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, timezone
from typing import Any
from uuid import uuid4

import pytest

from domain import bounds
from domain.actor import Actor
from domain.body import Body, Decision
from domain.bounds import (
    EARLIEST,
    LATEST,
    MAX_PENCE,
    check_date,
    check_meeting_date,
    check_names,
    check_pence,
    check_text,
    latest_meeting_date,
    years_after,
)
from domain.documents import FileRef
from domain.errors import InvalidInput
from domain.meeting import Apology, Meeting, check_calendar_dates
from domain.project import Brief, Project
from domain.reminder import Due, Reminder, Rule
from domain.vocabulary import EXECUTIVE_DIRECTOR, BodyKind

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
TODAY = NOW.date()
OFFICER = Actor("olive", "partnership_officer")
DECISION = Decision(reason="Agreed by the Portfolio Holder", effective_date=date(2026, 4, 1))


def refused(field: str) -> Any:
    """Expects InvalidInput naming ``field``."""
    return pytest.raises(InvalidInput, match=rf"^{field}: ")


# ------------------------------------------------------------------------ dates


@pytest.mark.parametrize("day", [EARLIEST, date(2026, 3, 2), LATEST, None])
def test_a_date_in_the_window_or_none_passes(day: date | None) -> None:
    assert check_date("until", day) == day


@pytest.mark.parametrize("day", [date.min, date(1899, 12, 31), date(2200, 1, 1), date(9999, 12, 20), date.max], ids=str)
def test_a_date_outside_the_window_is_refused_naming_the_field(day: date) -> None:
    with refused("until") as error:
        check_date("until", day)
    assert "between 1 January 1900 and 31 December 2199" in str(error.value)


def test_a_moment_is_not_a_date() -> None:
    with refused("until"):
        check_date("until", NOW)


def test_a_meeting_is_arranged_up_to_five_years_ahead() -> None:
    assert check_meeting_date(date(2031, 3, 2), TODAY) == date(2031, 3, 2)
    with refused("meeting_date") as error:
        check_meeting_date(date(2031, 3, 3), TODAY)
    assert "no more than 5 years ahead" in str(error.value)


def test_a_meeting_in_the_past_is_not_refused_by_the_bounds() -> None:
    assert check_meeting_date(date(1990, 6, 1), TODAY) == date(1990, 6, 1)
    with refused("new_date"):
        check_meeting_date(date(1899, 12, 31), TODAY, "new_date")


def test_five_years_after_29_february_is_28_february() -> None:
    assert years_after(date(2028, 2, 29), 5) == date(2033, 2, 28)
    assert latest_meeting_date(date(2028, 2, 29)) == date(2033, 2, 28)


def test_the_latest_meeting_date_never_leaves_the_window() -> None:
    assert latest_meeting_date(date(2198, 1, 1)) == LATEST


def test_deadlines_can_be_computed_from_every_date_in_the_window() -> None:
    from domain.working_days import add_months, minutes_due, papers_due

    for day in (EARLIEST, LATEST):
        assert papers_due(day) < day < minutes_due(day)
        assert add_months(day, 12) > day > add_months(day, -12)


# ------------------------------------------------------------------------- text


@pytest.mark.parametrize("long", [False, True])
@pytest.mark.parametrize("odd", ["\x00", "\x01", "\x1b", "\x7f", "\x85", "\x9f"], ids=repr)
def test_control_characters_are_refused_in_any_text(odd: str, long: bool) -> None:
    with refused("place") as error:
        check_text("place", f"Civic{odd}Centre", long=long)
    assert "control characters" in str(error.value)


@pytest.mark.parametrize("line_break", ["\t", "\n", "\r"], ids=repr)
def test_tabs_and_line_breaks_only_in_long_text(line_break: str) -> None:
    assert check_text("reason", f"First{line_break}second", long=True) == f"First{line_break}second"
    with refused("name"):
        check_text("name", f"First{line_break}second")


@pytest.mark.parametrize("long", [False, True])
@pytest.mark.parametrize("surrogate", ["\ud800", "\udbff", "\udc00", "\udfff"], ids=repr)
def test_a_lone_surrogate_is_refused(surrogate: str, long: bool) -> None:
    with refused("title") as error:
        check_text("title", f"Budget {surrogate}", long=long)
    assert "lone surrogate" in str(error.value)


def test_other_unicode_is_kept_as_it_is() -> None:
    for value in ("Café Ŝtraße", "e\u0301", "👩‍👧", "\u200b\ufeff", "العربية\u200f"):
        assert check_text("name", value) == value


def test_text_keeps_to_the_length_of_its_kind() -> None:
    assert check_text("name", "x" * bounds.SHORT_TEXT)
    with refused("name"):
        check_text("name", "x" * (bounds.SHORT_TEXT + 1))
    assert check_text("purpose", "x" * bounds.LONG_TEXT, long=True)
    with refused("purpose"):
        check_text("purpose", "x" * (bounds.LONG_TEXT + 1), long=True)
    with refused("member_id"):
        check_text("member_id", "x" * 65, max_length=64)


def test_what_is_not_text_is_left_to_the_callers_own_checks() -> None:
    assert check_text("name", None) is None
    assert check_text("name", 12) == 12


def test_a_list_of_names_is_capped_and_each_name_checked() -> None:
    check_names("present", ["Ann"] * bounds.MAX_NAMES)
    with refused("present"):
        check_names("present", ["Ann"] * (bounds.MAX_NAMES + 1))
    with refused("present"):
        check_names("present", ["Ann", "Sam\x00"])
    check_names("present", None)


# ------------------------------------------------------------------------ money


@pytest.mark.parametrize("pence", [None, 0, 1, MAX_PENCE])
def test_money_in_range_passes(pence: int | None) -> None:
    check_pence("annual_funding_pence", pence)


@pytest.mark.parametrize("pence", [-1, MAX_PENCE + 1, 10**400, 12.5, float("inf"), float("nan"), True, "100"])
def test_money_out_of_range_or_not_whole_pence_is_refused(pence: Any) -> None:
    with refused("annual_funding_pence"):
        check_pence("annual_funding_pence", pence)


# ---------------------------------------------------- the aggregates keep to them


def schedule(meeting_date: date, **kw: Any) -> Meeting:
    kw.setdefault("place", "Civic Centre")
    kw.setdefault("start_time", time(14))
    return Meeting.schedule(
        id=uuid4(),
        actor=OFFICER,
        at=NOW,
        body_id=uuid4(),
        body_name="Carers Forum",
        meeting_date=meeting_date,
        public=True,
        **kw,
    )


def test_a_meeting_in_year_9999_is_refused() -> None:
    with refused("meeting_date"):
        schedule(date(9999, 12, 20))


def test_a_meeting_more_than_five_years_ahead_is_refused_and_one_five_years_ahead_is_not() -> None:
    assert schedule(date(2031, 3, 2)).date == date(2031, 3, 2)
    with refused("meeting_date"):
        schedule(date(2031, 3, 3))


def test_a_meeting_is_not_moved_to_31_december_9999_or_beyond_five_years() -> None:
    meeting = schedule(date(2026, 6, 1))
    meeting.collect_events()
    for new_date in (date(9999, 12, 31), TODAY + timedelta(days=5 * 366)):
        with refused("new_date"):
            meeting.move(
                actor=OFFICER, at=NOW, new_date=new_date, new_start_time=time(14), new_place="Hall", reason="Clash"
            )
    assert meeting.collect_events() == []


def test_a_meetings_time_has_no_utc_offset() -> None:
    with refused("start_time"):
        schedule(date(2026, 6, 1), start_time=time(14, tzinfo=timezone(timedelta(hours=1))))


def test_a_place_with_nul_or_a_line_break_is_refused() -> None:
    for place in ("Civic\x00Centre", "Civic\nCentre"):
        with refused("place"):
            schedule(date(2026, 6, 1), place=place)


def test_the_calendar_dates_keep_to_the_window_and_given_today_to_five_years() -> None:
    with refused("dates"):
        check_calendar_dates(2200, (date(2200, 3, 2), date(2200, 9, 1)))
    with refused("dates"):
        check_calendar_dates(2032, (date(2032, 3, 2), date(2032, 9, 1)), today=TODAY)
    assert check_calendar_dates(2027, (date(2027, 3, 2), date(2027, 9, 1)), today=TODAY)


def held(meeting_date: date = TODAY) -> Meeting:
    meeting = schedule(meeting_date)
    meeting.add_agenda_item(actor=OFFICER, at=NOW, title="Budget")
    meeting.collect_events()
    return meeting


def test_what_happens_at_a_meeting_keeps_to_the_bounds() -> None:
    meeting = held()
    with refused("present"):
        meeting.record_attendance(actor=OFFICER, at=NOW, present=["Ann"] * (bounds.MAX_NAMES + 1))
    with refused("apologies"):
        meeting.record_attendance(actor=OFFICER, at=NOW, present=["Ann"], apologies=[Apology("Sam\x00")])
    with refused("interest"):
        meeting.declare_interest(actor=OFFICER, at=NOW, person="Ann", interest="Carer\x00")
    with refused("text"):
        meeting.record_decision(actor=OFFICER, at=NOW, item=1, text="\ud800")
    with refused("due"):
        meeting.record_action(actor=OFFICER, at=NOW, description="Write", owner="Ann", due=date(9999, 12, 31))
    with refused("owner"):
        meeting.record_action(actor=OFFICER, at=NOW, description="Write", owner="Ann\tCarer", due=TODAY)
    # Long text keeps its line breaks.
    meeting.record_decision(actor=OFFICER, at=NOW, item=1, text="Agreed:\n1. the budget\n2. the plan")
    assert meeting.decisions == [(1, "Agreed:\n1. the budget\n2. the plan")]


def test_a_file_reference_with_a_control_character_in_its_name_is_refused() -> None:
    with refused("file"):
        FileRef("a" * 64, 10, "text/plain", "minutes\x00.txt").checked()


def establish(**kw: Any) -> Body:
    kw.setdefault("decision", DECISION)
    return Body.establish(id=uuid4(), actor=OFFICER, at=NOW, name=kw.pop("name", "Carers Forum"), **kw)


def test_a_body_until_0001_01_01_is_refused() -> None:
    with refused("until"):
        establish(kind=BodyKind.TASK_AND_FINISH_GROUP, until=date(1, 1, 1))


def test_a_body_keeps_its_text_dates_money_and_lists_to_the_bounds() -> None:
    with refused("name"):
        establish(kind=BodyKind.SUBGROUP, name="Carers\x00Forum")
    with refused("contract_end"):
        establish(kind=BodyKind.SUBGROUP, contract_end=date(2200, 1, 1))
    with refused("annual_funding_pence"):
        establish(kind=BodyKind.SUBGROUP, annual_funding_pence=MAX_PENCE + 1)
    with refused("accountability"):
        establish(kind=BodyKind.SUBGROUP, accountability=["Board"] * (bounds.MAX_ACCOUNTABILITY + 1))
    with refused("effective_date"):
        establish(kind=BodyKind.SUBGROUP, decision=Decision(reason="Agreed", effective_date=date(1899, 1, 1)))
    with refused("decided_by"):
        establish(kind=BodyKind.SUBGROUP, decision=Decision(reason="Agreed", decided_by="The\nBoard"))
    with refused("decision_ref"):  # the audit read model keeps 60 characters of it
        establish(kind=BodyKind.SUBGROUP, decision=Decision(reason="Agreed", decision_ref="x" * 61))
    # A reason is long text: it may run over several lines.
    body = establish(kind=BodyKind.SUBGROUP, decision=Decision(reason="Agreed.\r\nSee the minutes."))
    assert body.name == "Carers Forum"


def test_governance_changes_and_corrections_keep_to_the_bounds() -> None:
    body = establish(kind=BodyKind.PARTNERSHIP_BOARD, annual_funding_pence=100)
    body.collect_events()
    with refused("council_funding_until"):
        body.change_funding(
            actor=OFFICER, at=NOW, annual_funding_pence=200, council_funding_until=date.max, decision=DECISION
        )
    with refused("until"):
        body.extend_contract(actor=OFFICER, at=NOW, until=date(9999, 12, 31), decision=DECISION)
    with refused("text"):
        body.adopt_terms_of_reference(actor=OFFICER, at=NOW, text="Terms\x00", decision=DECISION)
    with refused("value"):
        body.correct(
            actor=OFFICER,
            at=NOW,
            corrects_version=1,
            corrects_event="Established",
            field="contract_end",
            value="0001-01-01",
            decision=DECISION,
        )
    with refused("value"):
        body.correct(
            actor=OFFICER,
            at=NOW,
            corrects_version=1,
            corrects_event="Established",
            field="name",
            value="Board\ud800",
            decision=DECISION,
        )
    assert body.collect_events() == []


def test_a_project_keeps_its_brief_and_reports_to_the_bounds() -> None:
    brief = Brief("Aims", "Outcomes", date(2026, 4, 1), date(2200, 1, 1), "Time", "Risks")
    with refused("brief.end_date"):
        Project.commission(
            id=uuid4(), actor=OFFICER, at=NOW, title="Review", commissioned_by=EXECUTIVE_DIRECTOR, lead="l", brief=brief
        )
    brief = Brief("Aims\x00", "Outcomes", date(2026, 4, 1), date(2027, 3, 31), "Time", "Risks")
    with refused("brief.aims_and_objectives"):
        Project.commission(
            id=uuid4(), actor=OFFICER, at=NOW, title="Review", commissioned_by=EXECUTIVE_DIRECTOR, lead="l", brief=brief
        )
    brief = Brief("Aims", "Outcomes", date(2026, 4, 1), date(2027, 3, 31), "Time", "Risks")
    project = Project.commission(
        id=uuid4(), actor=OFFICER, at=NOW, title="Review", commissioned_by=EXECUTIVE_DIRECTOR, lead="l", brief=brief
    )
    with refused("agreed_on"):
        project.agree_brief(actor=OFFICER, at=NOW, agreed_by=EXECUTIVE_DIRECTOR, agreed_on=date(9999, 12, 31))
    with refused("new_end_date"):
        project.extend_timeframe(actor=OFFICER, at=NOW, new_end_date=date(2200, 1, 1), reason="Overran")


def test_a_reminder_is_not_marked_done_in_year_9999() -> None:
    due = Due(Rule.ANNUAL_REVIEW, "framework", "review", "The arrangements", date(2027, 3, 31), "olive", "Review")
    reminder = Reminder.raise_(due, actor=OFFICER, at=NOW, raised_on=TODAY, email_to=None)
    with refused("on"):
        reminder.mark_done(actor=OFFICER, at=NOW, on=date(9999, 12, 31))
