"""Rules about who may act on one record, whatever their role: they live in the aggregate (NotPermitted)."""

from __future__ import annotations

from datetime import date

import pytest

from domain.actor import Actor
from domain.errors import NotPermitted
from domain.project import leads
from domain.reminder import Due, Reminder, Rule
from tests.unit.test_project_rules import AT, LEAD, agreed

SOMEONE_ELSE = Actor("jbloggs", "project_lead", "Jo Bloggs")


def test_only_the_lead_reports_on_a_project() -> None:
    project = agreed()
    assert leads(project.lead, LEAD) and not leads(project.lead, SOMEONE_ELSE)
    before = project.version
    with pytest.raises(NotPermitted, match="only the lead of 'Carers Strategy' may report on it"):
        project.report_progress(
            actor=SOMEONE_ELSE,
            at=AT,
            period_start=date(2013, 9, 1),
            period_end=date(2013, 11, 30),
            milestones_achieved="Survey done",
            issues_and_concerns="None",
            rag="green",
            percent_complete=20,
        )
    with pytest.raises(NotPermitted, match="may report its completion"):
        project.complete(actor=SOMEONE_ELSE, at=AT, outcomes_achieved="Done", completed_on=date(2014, 3, 1))
    assert project.version == before and project.reports == [] and not project.is_complete


def test_only_the_person_reminded_marks_a_reminder_done() -> None:
    due = Due(Rule.ANNUAL_REVIEW, "framework", "review", "The arrangements", date(2014, 3, 31), LEAD.user_id, "Review")
    reminder = Reminder.raise_(due, actor=LEAD, at=AT, raised_on=date(2014, 2, 1), email_to=None)
    with pytest.raises(NotPermitted, match="only the person a reminder is for"):
        reminder.mark_done(actor=SOMEONE_ELSE, at=AT, on=date(2014, 2, 2))
    reminder.mark_done(actor=LEAD, at=AT, on=date(2014, 2, 2))
    assert reminder.done_on == date(2014, 2, 2)
