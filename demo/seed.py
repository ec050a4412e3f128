"""Demo data made with Faker: bodies, members, meetings and projects over two years.

Meetings already past by "today" go through their whole life: an agenda (now and then with an
exempt item), small generated text papers in the file store, publication (sometimes late),
attendance, a decision and an action, minutes drafted, cleared, published (sometimes late) and
approved at the next meeting, where the last meeting's actions are closed.

The plan is built first as a list of timed actions, then run in time order with
the application's clock set to each action's moment, so the demo history reads
as if it had been recorded over two years (and "as at" views have something to
show). Every change goes through the dispatcher, as a person's would, with the real rules.
Not a use case of the application (nobody runs it in production): it lives beside the benchmarks.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from uuid import UUID, uuid5

from faker import Faker

from application.authority import Role
from application.commands import Dispatcher, bodies, meetings, projects
from application.commands.inputs import CommandInput
from application.hub import BODY_NAMESPACE, body_id_for
from domain.actor import Actor
from domain.body import Decision
from domain.meeting import Apology
from domain.project import Brief
from domain.vocabulary import EXECUTIVE_DIRECTOR, BodyKind, Rag
from domain.working_days import add_working_days, minutes_due, papers_due

OFFICER = Actor("demo-officer", Role.PARTNERSHIP_OFFICER, "Demo partnership officer")
COMMISSIONERS = [
    Actor("demo-ph-care", Role.PORTFOLIO_HOLDER_CARE_SERVICES, "Portfolio Holder for Care Services"),
    Actor("demo-ph-education", Role.PORTFOLIO_HOLDER_EDUCATION, "Portfolio Holder for Education"),
    Actor("demo-executive-director", Role.EXECUTIVE_DIRECTOR, EXECUTIVE_DIRECTOR),
]
EXECUTIVE = COMMISSIONERS[2]
TOPICS = [
    "Dementia",
    "Autism",
    "Transitions",
    "Young Carers",
    "Housing Support",
    "Day Opportunities",
    "Hospital Discharge",
    "Short Breaks",
    "Sensory Impairment",
    "Employment Support",
    "Reablement",
    "Digital Inclusion",
    "Loneliness",
    "Respite",
    "Advocacy",
    "Personal Budgets",
]
PLACES = ["Civic Centre, Committee Room 1", "Civic Centre, Bromley Room", "Central Library", "Community Hall"]
# What the demo's papers, minutes and reports say: plain English a council would write (Faker's own
# sentences for en_GB are Latin filler).
ENGLISH = [
    "Members welcomed the update and asked for the figures to be shared with the wider group.",
    "Carers said that information about short breaks is still hard to find.",
    "The officer explained how the new referral route works and who to contact.",
    "The group agreed to test the leaflet with people who use the service before it is printed.",
    "Waiting times have fallen since the spring, but not for everyone.",
    "Several members raised the cost of transport to day services.",
    "The health partners will report back on hospital discharge at the next meeting.",
    "Young carers should be asked directly, not only through their schools.",
    "The survey had more replies than last year, including from people who had not answered before.",
    "Members asked that papers be sent out in large print for those who need it.",
    "The voluntary sector representative offered to host a drop-in session in the library.",
    "The group noted that the budget for the coming year has not yet been confirmed.",
    "People said they want one place to go for advice rather than several.",
    "The next steps are to agree the action plan and share it with the conference.",
    "A small task group will look at how to reach people who are not online.",
    "Members thanked the officers for the clear report.",
]
USER_SIDE = ["service_user", "carer", "former_carer", "community", "future_service_user"]
AGENCY_SIDE = ["relevant_partner_agency", "voluntary_sector", "private_sector"]


@dataclass(order=True)
class Step:
    at: datetime
    order: int
    run: Callable[[], object]


@dataclass
class DemoReport:
    bodies: int = 0
    members: int = 0
    meetings: int = 0
    papers: int = 0
    actions: int = 0
    minutes_published: int = 0
    minutes_approved: int = 0  # each recorded on both meetings: two events for one step
    projects: int = 0
    progress_reports: int = 0
    steps: int = 0


class DemoPlan:
    def __init__(self, dispatcher: Dispatcher, *, bodies: int, seed: int, today: date) -> None:
        self.dispatcher = dispatcher
        self.hub = dispatcher.hub
        self.size = bodies
        self.fake = Faker("en_GB")
        self.fake.seed_instance(seed)
        self.rng = random.Random(seed)
        # Text has its own generator, so the demo's shape (bodies, meetings, dates) does not depend on it.
        self.words = random.Random(seed + 1)
        self.today = today
        self.start = today - timedelta(days=730)
        self.steps: list[Step] = []
        self.report = DemoReport()
        self._ids = 0
        self.planned_body_names: list[str] = []
        self._names: set[str] = set()
        # Each body's members and the day each joined: attendance is taken from them (rule C7).
        self._rosters: dict[UUID, list[tuple[str, date]]] = {}

    def _do(self, command: type[CommandInput], actor: Actor, subject_id: UUID | None = None, **values: Any) -> Any:
        """Runs one command through the dispatcher; returns what its handler reported."""
        return self.dispatcher.execute(command, actor, subject_id=subject_id, **values).result

    def _id(self, label: str) -> UUID:
        self._ids += 1
        return uuid5(BODY_NAMESPACE, f"demo/{label}/{self._ids}/{self.rng.random()}")

    def _at(self, day: date, hour: int = 10) -> datetime:
        return datetime.combine(day, time(hour, self.rng.randrange(60)), tzinfo=UTC)

    def _sentence(self) -> str:
        return self.words.choice(ENGLISH)

    def _paragraphs(self, n: int) -> list[str]:
        return [" ".join(self.words.sample(ENGLISH, 3)) for _ in range(n)]

    def _add(self, day: date, run: Callable[[], object]) -> None:
        self.steps.append(Step(self._at(day), len(self.steps), run))

    def build(self) -> list[Step]:
        kinds = (
            [BodyKind.CONSULTATIVE_GROUP] * 4
            + [BodyKind.TASK_AND_FINISH_GROUP] * 3
            + [
                BodyKind.STAKEHOLDER_CONFERENCE,
                BodyKind.VIRTUAL_PANEL,
                BodyKind.PROVIDER_FORUM,
            ]
        )
        for i in range(self.size):
            kind = kinds[i % len(kinds)]
            topic = TOPICS[i % len(TOPICS)]
            self._plan_body(self._unique(f"{topic} {kind.label.split()[-1].title()} {self.fake.city()}"), kind, topic)
        self.steps.sort()
        return self.steps

    def _unique(self, name: str) -> str:
        """Faker repeats itself at large sizes; a number keeps every body's name its own."""
        candidate, n = name, 1
        while candidate.casefold() in self._names:
            n += 1
            candidate = f"{name} {n}"
        self._names.add(candidate.casefold())
        return candidate

    def _plan_body(self, name: str, kind: BodyKind, topic: str) -> None:
        self.planned_body_names.append(name)
        founded = self.start + timedelta(days=self.rng.randrange(0, 120))
        body_id = body_id_for(name)
        until = (
            founded + timedelta(days=self.rng.choice([365, 540, 800]))
            if kind is BodyKind.TASK_AND_FINISH_GROUP
            else None
        )
        funding = self.rng.choice([None, None, 450000, 1200000, 3000000])
        self._add(
            founded,
            lambda: self._do(
                bodies.EstablishBody,
                OFFICER,
                name=name,
                kind=kind,
                purpose=f"Brings people together on {topic.lower()}: {self._sentence()}",
                annual_funding_pence=funding,
                until=until,
                decision=Decision(reason=f"Demo: set up to work on {topic.lower()}", effective_date=founded),
            ),
        )
        self.report.bodies += 1
        joined = self._plan_members(body_id, kind, founded)
        if kind is BodyKind.CONSULTATIVE_GROUP:
            for year in (0, 1):
                day = founded + timedelta(days=220 + 365 * year)
                candidates = [member_id for member_id, joined_on in joined if joined_on < day]
                if day < self.today and len(candidates) >= 2:
                    chair, vice = self.rng.sample(candidates, 2)
                    self._add(day, self._election(body_id, chair, vice, day))
        if kind in (BodyKind.CONSULTATIVE_GROUP, BodyKind.STAKEHOLDER_CONFERENCE):
            self._plan_meetings(body_id, name, topic, founded)
        if kind is BodyKind.CONSULTATIVE_GROUP and len(self.planned_body_names) <= 4:
            # A change waiting for the Portfolio Holder's decision (F4), so the dashboard has one to show.
            proposed_on = self.today - timedelta(days=self.rng.randrange(3, 20))
            self._add(
                proposed_on,
                lambda: self._do(
                    bodies.ProposeChange,
                    OFFICER,
                    body_id,
                    change="maintain_body",
                    details={"as": "a user-led forum"},
                    reason=f"Members asked to keep meeting as a user-led forum on {topic.lower()}",
                    effective_date=date(self.today.year + 1, 4, 1),
                ),
            )
        if kind is BodyKind.TASK_AND_FINISH_GROUP and until is not None:
            self._plan_project(body_id, name, topic, founded, until)

    def _election(self, body_id: UUID, chair: str, vice: str, day: date) -> Callable[[], object]:
        return lambda: self._do(
            bodies.RecordElection, OFFICER, body_id, chair_id=chair, vice_chair_id=vice, election_date=day
        )

    def _plan_members(self, body_id: UUID, kind: BodyKind, founded: date) -> list[tuple[str, date]]:
        """Plans the members; returns the user-side ones with the day each joined."""
        user_side: list[tuple[str, date]] = []
        roster = self._rosters.setdefault(body_id, [])
        count = self.rng.randrange(6, 14)
        if kind is BodyKind.STAKEHOLDER_CONFERENCE:
            roster.append((EXECUTIVE_DIRECTOR, founded))
            self._add(
                founded + timedelta(days=1),
                self._join(
                    body_id, "ed", EXECUTIVE_DIRECTOR, "chair", "relevant_partner_agency", founded, EXECUTIVE_DIRECTOR
                ),
            )
        people: set[str] = set()
        for n in range(count):
            person = self.fake.name()
            while person in people:  # one person, one seat
                person = self.fake.name()
            people.add(person)
            is_user = self.rng.random() < (0.75 if kind is BodyKind.CONSULTATIVE_GROUP else 0.4)
            representation = self.rng.choice(USER_SIDE if is_user else AGENCY_SIDE)
            role = "member" if is_user else "agency_representative"
            member_id = f"m{n}"
            day = founded + timedelta(days=2 + self.rng.randrange(0, 200))
            self._add(day, self._join(body_id, member_id, person, role, representation, day))
            roster.append((person, day))
            self.report.members += 1
            if is_user:
                user_side.append((member_id, day))
        return user_side

    def _join(
        self, body_id: UUID, member_id: str, person: str, role: str, representation: str, day: date, position: str = ""
    ) -> Callable[[], object]:
        return lambda: self._do(
            bodies.AddMember,
            OFFICER,
            body_id,
            member_id=member_id,
            person=person,
            role=role,
            representation=representation,
            effective_date=day,
            position=position,
        )

    def _plan_meetings(self, body_id: UUID, name: str, topic: str, founded: date) -> None:
        day = founded + timedelta(days=60)
        previous: tuple[UUID, date] | None = None  # the last meeting whose minutes will be published
        in_year: dict[int, int] = {}
        while day < self.today + timedelta(days=200):
            meeting_day = day
            while meeting_day.weekday() >= 5:
                meeting_day += timedelta(days=1)
            if in_year.get(meeting_day.year, 0) >= 2:  # rule C1: two ordinary meetings in a calendar year
                day = date(meeting_day.year + 1, 3, 1)
                continue
            in_year[meeting_day.year] = in_year.get(meeting_day.year, 0) + 1
            notice = meeting_day - timedelta(days=self.rng.randrange(40, 90))
            meeting_id = self._id("meeting")
            self._add(
                max(notice, founded + timedelta(days=1)),
                self._schedule(body_id, meeting_day, meeting_id),
            )
            self.report.meetings += 1
            members = [person for person, joined in self._rosters.get(body_id, []) if joined <= meeting_day]
            published = self._plan_meeting_life(meeting_id, meeting_day, name, topic, previous, members)
            previous = (meeting_id, meeting_day) if published else None
            day += timedelta(days=self.rng.randrange(160, 190))

    def _schedule(self, body_id: UUID, day: date, meeting_id: UUID) -> Callable[[], object]:
        return lambda: self._do(
            meetings.ScheduleMeeting,
            OFFICER,
            body_id,
            meeting_date=day,
            start_time=time(self.rng.choice([10, 14, 18])),
            place=self.rng.choice(PLACES),
            meeting_id=meeting_id,
        )

    def _plan_meeting_life(
        self,
        meeting_id: UUID,
        day: date,
        name: str,
        topic: str,
        previous: tuple[UUID, date] | None,
        members: list[str],
    ) -> bool:
        """Plans what is already past of one meeting's life, in order; returns whether its minutes got published.

        Each step is planned only if its day is before "today", and a step is never planned after
        one that was not, so the history never runs ahead of the clock or out of order.
        """
        # (day, hour, step, the report's count it adds to)
        steps: list[tuple[date, int, Callable[[], object], str | None]] = []
        due = papers_due(day)
        prepared = due - timedelta(days=self.rng.randrange(4, 12))
        exempt = self.rng.random() < 0.25
        # Distinct hours keep the steps of one day in order (item 1 before item 2, an item before its paper).
        steps.append(
            (prepared, 9, self._agenda_item(meeting_id, "Minutes of the last meeting and matters arising"), None)
        )
        steps.append((prepared, 10, self._agenda_item(meeting_id, f"{topic}: progress report"), None))
        steps.append((prepared, 11, self._paper(meeting_id, 2, f"{topic} progress report", name), "papers"))
        if exempt:
            steps.append((prepared, 12, self._agenda_item(meeting_id, f"{topic} contract award", paragraph=3), None))
            steps.append((prepared, 13, self._paper(meeting_id, 3, f"{topic} tender evaluation", name), "papers"))
        late = self.rng.random() < 0.2
        publish_on = (
            add_working_days(due, self.rng.randrange(1, 3)) if late else due - timedelta(days=self.rng.randrange(0, 3))
        )
        steps.append((min(publish_on, day), 9, lambda: self._do(meetings.PublishAgenda, OFFICER, meeting_id), None))
        # The meeting itself, in the evening of its day.
        people: list[str] = []
        while len(people) < 5:  # four members and a substitute, each listed once
            person = self.fake.name()
            if person not in people:
                people.append(person)
        steps.append((day, 19, self._attendance(meeting_id, people, members), None))
        if previous is not None:
            steps.append((day, 20, self._approve(meeting_id, previous[0]), "minutes_approved"))
            steps.append((day, 20, self._close_actions(previous[0], meeting_id), None))
        if self.rng.random() < 0.2:
            interest = f"{people[0]} declared a personal interest: a relative uses {topic.lower()} services."
            steps.append((day, 20, self._interest(meeting_id, people[0], interest), None))
        decision = f"The {topic.lower()} progress report was noted and agreed."
        steps.append((day, 21, self._decision(meeting_id, 2, decision), None))
        owner = self.rng.choice(people[:3])
        action = f"Report back on {topic.lower()} waiting times"
        steps.append((day, 21, self._action(meeting_id, action, owner, add_working_days(day, 20)), "actions"))
        # The minutes: drafted, cleared by the chair, published (now and then after the 15 working days).
        drafted = add_working_days(day, self.rng.randrange(1, 4))
        cleared = add_working_days(drafted, self.rng.randrange(1, 4))
        late = self.rng.random() < 0.2
        published_on = add_working_days(minutes_due(day), 2) if late else max(cleared, add_working_days(day, 12))
        steps.append((drafted, 9, self._minutes(meeting_id, day, name), None))
        steps.append((cleared, 9, self._clear(meeting_id), None))
        steps.append(
            (published_on, 9, lambda: self._do(meetings.PublishMinutes, OFFICER, meeting_id), "minutes_published")
        )
        planned = 0
        for step_day, hour, run, counts in steps:
            if step_day >= self.today:
                break
            self.steps.append(Step(self._at(step_day, hour), len(self.steps), run))
            if counts:
                setattr(self.report, counts, getattr(self.report, counts) + 1)
            planned += 1
        return planned == len(steps)

    def _agenda_item(self, meeting_id: UUID, title: str, paragraph: int | None = None) -> Callable[[], object]:
        return lambda: self._do(meetings.AddAgendaItem, OFFICER, meeting_id, title=title, exemption_paragraph=paragraph)

    def _paper(self, meeting_id: UUID, item: int, title: str, name: str) -> Callable[[], object]:
        text = f"{title}\n{name}\n\n" + "\n\n".join(self._paragraphs(3))
        summary = self._sentence()
        accessible = self.rng.random() < 0.8

        def attach() -> object:
            file = self.hub.upload_file(OFFICER, text.encode(), f"{title.lower().replace(' ', '-')}.txt")
            return self._do(
                meetings.AttachPaper,
                OFFICER,
                meeting_id,
                item=item,
                title=title,
                file=file,
                summary=summary,
                accessible=accessible,
            )

        return attach

    def _attendance(self, meeting_id: UUID, people: list[str], members: list[str]) -> Callable[[], object]:
        """Ticked against the members on the day (the rest are recorded absent); a substitute need not be
        a member. A body with no members yet on the day records the names as given."""
        if len(members) >= 4:
            present = members[:3]
            apologies = [Apology(members[3], people[4] if self.rng.random() < 0.5 else None)]
        elif members:
            present, apologies = members, []
        else:
            present = people[:3]
            apologies = [Apology(people[3], people[4] if self.rng.random() < 0.5 else None)]
        return lambda: self._do(meetings.RecordAttendance, OFFICER, meeting_id, present=present, apologies=apologies)

    def _interest(self, meeting_id: UUID, person: str, interest: str) -> Callable[[], object]:
        return lambda: self._do(meetings.DeclareInterest, OFFICER, meeting_id, person=person, interest=interest, item=2)

    def _decision(self, meeting_id: UUID, item: int, text: str) -> Callable[[], object]:
        return lambda: self._do(meetings.RecordDecision, OFFICER, meeting_id, item=item, text=text)

    def _action(self, meeting_id: UUID, description: str, owner: str, due: date) -> Callable[[], object]:
        return lambda: self._do(
            meetings.RecordAction, OFFICER, meeting_id, item=2, description=description, owner=owner, due=due
        )

    def _minutes(self, meeting_id: UUID, day: date, name: str) -> Callable[[], object]:
        text = f"Minutes of the meeting of {name} on {day:%-d %B %Y}\n\n" + "\n\n".join(self._paragraphs(4))
        return lambda: self._do(
            meetings.RecordDraftMinutes,
            OFFICER,
            meeting_id,
            file=self.hub.upload_file(OFFICER, text.encode(), f"minutes-{day}.txt"),
        )

    def _clear(self, meeting_id: UUID) -> Callable[[], object]:
        acting = self.fake.name()

        def clear() -> object:
            # Before a group's first election there is no chair on record: the officer names who chaired.
            body = self.hub.body(self.hub.meeting(meeting_id).body_id)
            return self._do(meetings.ClearMinutes, OFFICER, meeting_id, chair=None if body.chair() else acting)

        return clear

    def _approve(self, meeting_id: UUID, previous_id: UUID) -> Callable[[], object]:
        return lambda: self._do(meetings.ApprovePreviousMinutes, OFFICER, meeting_id, previous_meeting_id=previous_id)

    def _close_actions(self, previous_id: UUID, meeting_id: UUID) -> Callable[[], object]:
        note = self._sentence()

        def close() -> None:
            for action in self.hub.meeting(previous_id).open_actions():
                self._do(
                    meetings.CloseAction,
                    OFFICER,
                    previous_id,
                    number=action.number,
                    note=note,
                    at_meeting_id=meeting_id,
                )

        return close

    def _plan_project(self, body_id: UUID, name: str, topic: str, founded: date, until: date) -> None:
        commissioner = self.rng.choice(COMMISSIONERS)
        lead = f"demo-lead-{self.rng.randrange(1, 6)}"
        project_id = self._id("project")
        brief = Brief(
            aims_and_objectives=f"Review and improve {topic.lower()} services. {self._sentence()}",
            outcomes=self._sentence(),
            start_date=founded,
            end_date=until,
            resources=f"Officer time and £{self.rng.randrange(2, 20)},000",
            key_risks=self._sentence(),
            reporting_every_months=3,
        )
        commissioned = founded + timedelta(days=3)
        self._add(
            commissioned,
            lambda: self._do(
                projects.CommissionProject,
                commissioner,
                title=f"{name} project",
                lead=lead,
                brief=brief,
                body_id=body_id,
                project_id=project_id,
            ),
        )
        agreed = commissioned + timedelta(days=self.rng.randrange(5, 30))
        self._add(agreed, lambda: self._do(projects.AgreeBrief, EXECUTIVE, project_id, agreed_on=agreed))
        self.report.projects += 1
        lead_actor = Actor(lead, Role.PROJECT_LEAD)
        period_start, percent = agreed, 0
        while True:
            period_end = period_start + timedelta(days=90)
            if period_end >= min(until, self.today):
                break
            percent = min(95, percent + self.rng.randrange(5, 30))
            rag = self.rng.choices([Rag.GREEN, Rag.AMBER, Rag.RED], weights=[6, 3, 1])[0]
            self._add(
                period_end + timedelta(days=7),
                self._progress(lead_actor, project_id, period_start, period_end, rag, percent),
            )
            self.report.progress_reports += 1
            period_start = period_end + timedelta(days=1)
        if until < self.today:
            self._add(
                until,
                lambda: self._do(
                    projects.SubmitCompletionReport,
                    lead_actor,
                    project_id,
                    outcomes_achieved=" ".join(self._paragraphs(1)),
                    completed_on=until,
                ),
            )

    def _progress(
        self, lead: Actor, project_id: UUID, start: date, end: date, rag: Rag, percent: int
    ) -> Callable[[], object]:
        milestones = self._sentence()
        issues = self._sentence() if rag is not Rag.GREEN else ""
        return lambda: self._do(
            projects.SubmitProgressReport,
            lead,
            project_id,
            period_start=start,
            period_end=end,
            milestones_achieved=milestones,
            issues_and_concerns=issues,
            rag=rag,
            percent_complete=percent,
        )


def run_steps(dispatcher: Dispatcher, steps: Iterable[Step]) -> int:
    """Runs the planned steps in time order, with the clock at each step's moment."""
    hub = dispatcher.hub
    real_clock = hub.clock
    count = 0
    try:
        for step in steps:
            hub.clock = lambda at=step.at: at
            step.run()
            count += 1
    finally:
        hub.clock = real_clock
    return count


def seed_demo(dispatcher: Dispatcher, *, bodies: int = 24, seed: int = 2026, today: date | None = None) -> DemoReport:
    plan = DemoPlan(dispatcher, bodies=bodies, seed=seed, today=today or dispatcher.hub.clock().date())
    plan.report.steps = run_steps(dispatcher, plan.build())
    return plan.report
