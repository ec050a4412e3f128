"""Commissioning and reporting on task-and-finish projects (App. 7: rules D1-D5, E1), on domain.project alone."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from typing import Any
from uuid import uuid4

import pytest

from domain.actor import Actor
from domain.errors import DomainError, InvalidInput
from domain.project import Brief, Project
from domain.vocabulary import EXECUTIVE_DIRECTOR, Commissioner, Rag

AT = datetime(2013, 9, 2, 9, 0, tzinfo=UTC)
REPORTED_AT = datetime(2014, 6, 2, 9, 0, tzinfo=UTC)  # a progress report comes once its period has begun (D4)
ED = Actor("tparkin", "executive_director", "Terry Parkin")
LEAD = Actor("mwatts", "project_lead", "Michael Watts")
START = date(2013, 9, 1)
END = date(2014, 3, 31)

BRIEF = Brief(
    aims_and_objectives="Refresh the carers strategy",
    outcomes="A strategy agreed by the Portfolio Holder",
    start_date=START,
    end_date=END,
    resources="Officer time; £5,000 for consultation",
    key_risks="Low response from carers",
)


def commission(brief: Brief = BRIEF, commissioned_by: str = EXECUTIVE_DIRECTOR, **kw: Any) -> Project:
    kw.setdefault("title", "Carers Strategy")
    kw.setdefault("lead", "mwatts")
    project = Project.commission(id=uuid4(), actor=ED, at=AT, commissioned_by=commissioned_by, brief=brief, **kw)
    project.collect_events()
    return project


def agreed() -> Project:
    project = commission()
    project.agree_brief(actor=ED, at=AT, agreed_by=EXECUTIVE_DIRECTOR, agreed_on=date(2013, 9, 5))
    project.collect_events()
    return project


def report(project: Project, **overrides: Any) -> None:
    fields: dict[str, Any] = {
        "period_start": date(2013, 9, 1),
        "period_end": date(2013, 11, 30),
        "milestones_achieved": "Consultation launched",
        "issues_and_concerns": "None",
        "rag": Rag.GREEN,
        "percent_complete": 25,
    }
    fields.update(overrides)
    project.report_progress(actor=LEAD, at=REPORTED_AT, **fields)


def complete(project: Project, outcomes: str = "Strategy agreed on 1 March 2014") -> None:
    project.complete(actor=LEAD, at=AT, outcomes_achieved=outcomes, completed_on=date(2014, 3, 20))


def assert_unchanged(project: Project, version: int) -> None:
    assert project.version == version
    assert project.collect_events() == []


# --------------------------------------------------------------- commissioning (D1)


@pytest.mark.parametrize("commissioner", list(Commissioner), ids=lambda c: c.name.lower())
def test_the_three_commissioners_may_commission_a_project(commissioner: Commissioner) -> None:
    project = Project.commission(
        id=uuid4(),
        actor=ED,
        at=AT,
        title=" Carers Strategy ",
        commissioned_by=commissioner.value,
        lead=" mwatts ",
        brief=BRIEF,
    )
    assert project.commissioned_by == commissioner.value
    assert project.commissioned_by_actor == "tparkin"
    assert (project.title, project.lead) == ("Carers Strategy", "mwatts")
    assert project.brief == BRIEF
    assert project.end_date == END
    assert project.brief_agreed_on is None
    assert not project.is_complete
    (event,) = project.collect_events()
    assert isinstance(event, Project.Commissioned)
    assert (event.actor, event.actor_role) == ("tparkin", "executive_director")


@pytest.mark.parametrize(
    "who",
    [
        "Portfolio Holder for Resources",
        "Partnership Development Officer",
        "executive_director",  # the role's name is not the person
        "portfolio holder for care services",  # nor is a near miss
        "",
    ],
)
def test_nobody_else_may_commission_a_project(who: str) -> None:
    with pytest.raises(DomainError, match="cannot commission a task-and-finish project; only the Portfolio") as err:
        Project.commission(id=uuid4(), actor=ED, at=AT, title="T", commissioned_by=who, lead="x", brief=BRIEF)
    assert err.value.rule == "D1"
    assert "Executive Director for Education, Care and Health Services" in str(err.value)


def test_a_project_needs_a_title_and_a_lead() -> None:
    with pytest.raises(InvalidInput, match="title: must not be blank"):
        commission(title="  ")
    with pytest.raises(InvalidInput, match="lead: name the project lead"):
        commission(lead=" ")


# ------------------------------------------------------------------- the brief (D2)


@pytest.mark.parametrize("part", ["aims_and_objectives", "outcomes", "resources", "key_risks"])
@pytest.mark.parametrize("value", ["", "   ", None], ids=["empty", "spaces", "none"])
def test_every_part_of_the_brief_is_required(part: str, value: Any) -> None:
    with pytest.raises(InvalidInput, match=rf"brief\.{part}: every part of the brief is required") as err:
        commission(replace(BRIEF, **{part: value}))
    assert (err.value.field, err.value.rule) == (f"brief.{part}", "D2")


@pytest.mark.parametrize("part", ["start_date", "end_date"])
def test_the_brief_needs_its_timeframe(part: str) -> None:
    # The projected timeframe is one of the five parts of the brief (D2).
    with pytest.raises(InvalidInput, match=rf"brief\.{part}") as err:
        commission(replace(BRIEF, **{part: None}))
    assert err.value.rule == "D2"


@pytest.mark.parametrize("end", [START, date(2013, 8, 31)], ids=["same-day", "before"])
def test_the_timeframe_must_end_after_it_starts(end: date) -> None:
    with pytest.raises(InvalidInput, match=r"brief\.end_date: the timeframe must end after it starts") as err:
        commission(replace(BRIEF, end_date=end))
    assert err.value.rule == "D2"


def test_a_one_day_timeframe_is_allowed() -> None:
    assert commission(replace(BRIEF, end_date=date(2013, 9, 2))).end_date == date(2013, 9, 2)


@pytest.mark.parametrize("months", [0, 13])
def test_reporting_frequency_is_between_1_and_12_months(months: int) -> None:
    with pytest.raises(InvalidInput, match=r"brief\.reporting_every_months: must be between 1 and 12"):
        commission(replace(BRIEF, reporting_every_months=months))
    assert commission(replace(BRIEF, reporting_every_months=12)).brief.reporting_every_months == 12


def test_the_brief_round_trips_through_its_dict() -> None:
    data = BRIEF.as_dict()
    data["start_date"], data["end_date"] = START.isoformat(), END.isoformat()
    assert Brief.from_dict(data) == BRIEF


# -------------------------------------------------------------- agreeing the brief (D3)


def test_the_executive_director_agrees_the_brief() -> None:
    project = commission()
    project.agree_brief(actor=ED, at=AT, agreed_by=EXECUTIVE_DIRECTOR, agreed_on=date(2013, 9, 5))
    assert (project.brief_agreed_by, project.brief_agreed_on) == (EXECUTIVE_DIRECTOR, date(2013, 9, 5))
    (event,) = project.collect_events()
    assert isinstance(event, Project.BriefAgreed)
    assert (event.actor, event.actor_role) == ("tparkin", "executive_director")


@pytest.mark.parametrize(
    "who",
    [
        Commissioner.PORTFOLIO_HOLDER_CARE_SERVICES.value,
        Commissioner.PORTFOLIO_HOLDER_EDUCATION.value,
        "executive_director",
    ],
)
def test_only_the_executive_director_agrees_the_brief(who: str) -> None:
    project = commission()
    with pytest.raises(DomainError, match="must be agreed by the Executive Director for Education") as err:
        project.agree_brief(actor=ED, at=AT, agreed_by=who, agreed_on=date(2013, 9, 5))
    assert err.value.rule == "D3"
    assert project.brief_agreed_on is None
    assert_unchanged(project, 1)


def test_the_brief_is_agreed_only_once() -> None:
    project = agreed()
    with pytest.raises(DomainError, match="already agreed on 5 September 2013"):
        project.agree_brief(actor=ED, at=AT, agreed_by=EXECUTIVE_DIRECTOR, agreed_on=date(2013, 9, 9))
    assert project.brief_agreed_on == date(2013, 9, 5)
    assert_unchanged(project, 2)


# ---------------------------------------------------------- progress reports (D4, E1)


def test_no_progress_report_before_the_brief_is_agreed() -> None:
    project = commission()
    with pytest.raises(DomainError, match="has not been agreed by the Executive Director yet") as err:
        report(project)
    assert err.value.rule == "D3"
    assert project.reports == []
    assert_unchanged(project, 1)


def test_a_progress_report_records_milestones_issues_rag_and_percent() -> None:
    project = agreed()
    report(project, rag="amber", milestones_achieved=" Survey sent ", issues_and_concerns=" Late returns ")
    latest = project.latest_report()
    assert latest is not None
    assert (latest.milestones_achieved, latest.issues_and_concerns) == ("Survey sent", "Late returns")
    assert (latest.rag, latest.percent_complete) == (Rag.AMBER, 25)
    assert (latest.period_start, latest.period_end) == (date(2013, 9, 1), date(2013, 11, 30))
    assert (latest.submitted_by, latest.submitted_at) == ("mwatts", REPORTED_AT)
    (event,) = project.collect_events()
    assert (event.actor, event.actor_role) == ("mwatts", "project_lead")


@pytest.mark.parametrize("rag", [*list(Rag), "green", "amber", "red"])
def test_rag_is_green_amber_or_red(rag: Any) -> None:
    project = agreed()
    report(project, rag=rag)
    assert project.reports[0].rag is Rag(rag)


@pytest.mark.parametrize("rag", ["blue", "", "GREEN-ish", "r"])
def test_any_other_rag_is_refused(rag: str) -> None:
    project = agreed()
    with pytest.raises(InvalidInput, match="rag: use green, amber or red") as err:
        report(project, rag=rag)
    assert err.value.rule == "E1"
    assert_unchanged(project, 2)


@pytest.mark.parametrize("percent", [0, 100])
def test_percent_complete_may_be_0_to_100(percent: int) -> None:
    project = agreed()
    report(project, percent_complete=percent)
    assert project.reports[0].percent_complete == percent


@pytest.mark.parametrize("percent", [-1, 101, 50.5, 50.0, "50", True, None])
def test_percent_complete_must_be_a_whole_number_from_0_to_100(percent: Any) -> None:
    project = agreed()
    with pytest.raises(InvalidInput, match="percent_complete: give a whole number from 0 to 100"):
        report(project, percent_complete=percent)
    assert_unchanged(project, 2)


def test_a_reporting_period_cannot_end_before_it_starts() -> None:
    project = agreed()
    with pytest.raises(InvalidInput, match="period_end: the period must end on or after it starts"):
        report(project, period_start=date(2013, 9, 1), period_end=date(2013, 8, 31))
    assert_unchanged(project, 2)
    report(project, period_start=date(2013, 9, 1), period_end=date(2013, 9, 1))
    assert len(project.reports) == 1


@pytest.mark.parametrize("milestones", ["", "   "])
def test_a_progress_report_says_which_milestones_were_achieved(milestones: str) -> None:
    project = agreed()
    with pytest.raises(InvalidInput, match="milestones_achieved: say which milestones") as err:
        report(project, milestones_achieved=milestones)
    assert err.value.rule == "D4"
    assert_unchanged(project, 2)


@pytest.mark.parametrize(
    "start",
    [date(2013, 9, 1), date(2013, 8, 1), date(2013, 11, 30)],
    ids=["same-start", "earlier-start", "overlapping"],
)
def test_reporting_periods_move_forward_without_overlapping(start: date) -> None:
    project = agreed()
    report(project)
    project.collect_events()
    with pytest.raises(InvalidInput, match="period_start: must be after the end of the last reported period") as err:
        report(project, period_start=start, period_end=date(2014, 2, 28))
    assert "30 November 2013" in str(err.value)
    assert len(project.reports) == 1
    assert_unchanged(project, 3)


def test_successive_reports_are_kept_in_order() -> None:
    project = agreed()
    report(project, percent_complete=25)
    report(project, period_start=date(2013, 12, 1), period_end=date(2014, 2, 28), rag=Rag.RED, percent_complete=60)
    assert [r.percent_complete for r in project.reports] == [25, 60]
    assert project.latest_report() is project.reports[-1]


# ------------------------------------------------------------- completion (D5)


def test_completion_records_the_outcomes_and_closes_the_project() -> None:
    project = agreed()
    report(project)
    project.collect_events()
    complete(project, outcomes="  Strategy agreed  ")
    assert project.is_complete
    assert (project.completed_on, project.outcomes_achieved) == (date(2014, 3, 20), "Strategy agreed")
    (event,) = project.collect_events()
    assert isinstance(event, Project.Completed)
    assert (event.actor, event.actor_role) == ("mwatts", "project_lead")


@pytest.mark.parametrize("outcomes", ["", "  "])
def test_completion_needs_the_outcomes_achieved(outcomes: str) -> None:
    project = agreed()
    with pytest.raises(InvalidInput, match="outcomes_achieved: record the outcomes achieved") as err:
        complete(project, outcomes=outcomes)
    assert err.value.rule == "D5"
    assert not project.is_complete
    assert_unchanged(project, 2)


def test_a_project_whose_brief_was_never_agreed_cannot_be_completed() -> None:
    project = commission()
    with pytest.raises(DomainError, match="brief was never agreed cannot be completed"):
        complete(project)
    assert not project.is_complete
    assert_unchanged(project, 1)


AFTER_COMPLETION = {
    "report": lambda p: report(p, period_start=date(2014, 3, 1), period_end=date(2014, 3, 31)),
    "extend": lambda p: p.extend_timeframe(actor=ED, at=AT, new_end_date=date(2014, 9, 30), reason="More time"),
    "complete again": lambda p: complete(p, outcomes="Different outcomes"),
    "agree": lambda p: p.agree_brief(actor=ED, at=AT, agreed_by=EXECUTIVE_DIRECTOR, agreed_on=date(2014, 4, 1)),
}


@pytest.mark.parametrize("change", list(AFTER_COMPLETION))
def test_nothing_is_reported_or_extended_after_completion(change: str) -> None:
    project = agreed()
    report(project)
    complete(project)
    project.collect_events()
    with pytest.raises(DomainError, match="was completed on 20 March 2014; nothing can be") as err:
        AFTER_COMPLETION[change](project)
    assert err.value.rule == "D5"
    assert project.end_date == END
    assert project.outcomes_achieved == "Strategy agreed on 1 March 2014"
    assert len(project.reports) == 1
    assert_unchanged(project, 4)


# ----------------------------------------------------------- extending the timeframe


def test_extending_the_timeframe_moves_the_end_date_and_keeps_the_brief() -> None:
    project = agreed()
    project.extend_timeframe(actor=ED, at=AT, new_end_date=date(2014, 9, 30), reason=" Consultation overran ")
    assert project.end_date == date(2014, 9, 30)
    assert project.brief.end_date == END  # the brief as agreed is not rewritten
    (event,) = project.collect_events()
    assert isinstance(event, Project.TimeframeExtended)
    assert (event.previous_end_date, event.new_end_date) == (END, date(2014, 9, 30))
    assert event.reason == "Consultation overran"


@pytest.mark.parametrize("new_end", [END, date(2014, 1, 31)], ids=["same-day", "earlier"])
def test_an_extension_must_end_later(new_end: date) -> None:
    project = agreed()
    with pytest.raises(InvalidInput, match="new_end_date: must be after the current end date, 31 March 2014"):
        project.extend_timeframe(actor=ED, at=AT, new_end_date=new_end, reason="More time")
    assert project.end_date == END
    assert_unchanged(project, 2)


def test_a_second_extension_must_end_after_the_first() -> None:
    project = agreed()
    project.extend_timeframe(actor=ED, at=AT, new_end_date=date(2014, 9, 30), reason="More time")
    project.collect_events()
    with pytest.raises(InvalidInput, match="after the current end date, 30 September 2014"):
        project.extend_timeframe(actor=ED, at=AT, new_end_date=date(2014, 6, 30), reason="More time")
    assert_unchanged(project, 3)


@pytest.mark.parametrize("reason", ["", "  "])
def test_an_extension_needs_a_reason(reason: str) -> None:
    project = agreed()
    with pytest.raises(InvalidInput, match="reason: say why the timeframe is being extended"):
        project.extend_timeframe(actor=ED, at=AT, new_end_date=date(2014, 9, 30), reason=reason)
    assert project.end_date == END
    assert_unchanged(project, 2)


def test_a_progress_report_cannot_cover_a_period_that_has_not_begun() -> None:
    project = agreed()
    with pytest.raises(InvalidInput) as refused:
        project.report_progress(
            actor=LEAD,
            at=datetime(2013, 11, 30, 23, 30, tzinfo=UTC),  # already 30 November in London, not yet December
            period_start=date(2013, 12, 1),
            period_end=date(2014, 2, 28),
            milestones_achieved="Planned",
            issues_and_concerns="None",
            rag=Rag.GREEN,
            percent_complete=10,
        )
    assert refused.value.field == "period_start" and refused.value.rule == "D4"
    assert "has begun" in str(refused.value)


def test_a_changed_brief_needs_agreeing_again() -> None:
    project = agreed()
    changed = replace(project.brief, key_risks="Carers too stretched to take part", end_date=date(2014, 9, 30))
    with pytest.raises(InvalidInput) as refused:
        project.change_brief(actor=ED, at=AT, brief=changed, reason=" ")
    assert refused.value.field == "reason"
    project.change_brief(actor=ED, at=AT, brief=changed, reason="A new risk was found")
    assert project.brief_agreed_on is None and project.end_date == date(2014, 9, 30)
    with pytest.raises(DomainError, match="has not been agreed"):
        report(project)
    with pytest.raises(DomainError, match="nothing to change"):
        project.change_brief(actor=ED, at=AT, brief=changed, reason="Again")
    project.agree_brief(actor=ED, at=AT, agreed_by=EXECUTIVE_DIRECTOR, agreed_on=date(2013, 9, 9))
    report(project)
    assert len(project.reports) == 1
