"""Demo data made with Faker: bodies, members, meetings and projects over two years.

The plan is built first as a list of timed actions, then run in time order with
the application's clock set to each action's moment, so the demo history reads
as if it had been recorded over two years (and "as at" views have something to
show). Everything goes through the real application commands and their rules.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from uuid import UUID, uuid5

from faker import Faker

from application.authority import Role
from application.hub import BODY_NAMESPACE, PartnershipHub, body_id_for
from domain.actor import Actor
from domain.body import Decision
from domain.project import Brief
from domain.vocabulary import EXECUTIVE_DIRECTOR, BodyKind, Rag

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
    projects: int = 0
    progress_reports: int = 0
    steps: int = 0


class DemoPlan:
    def __init__(self, hub: PartnershipHub, *, bodies: int, seed: int, today: date) -> None:
        self.hub = hub
        self.size = bodies
        self.fake = Faker("en_GB")
        self.fake.seed_instance(seed)
        self.rng = random.Random(seed)
        self.today = today
        self.start = today - timedelta(days=730)
        self.steps: list[Step] = []
        self.report = DemoReport()
        self._ids = 0
        self.planned_body_names: list[str] = []
        self._names: set[str] = set()

    def _id(self, label: str) -> UUID:
        self._ids += 1
        return uuid5(BODY_NAMESPACE, f"demo/{label}/{self._ids}/{self.rng.random()}")

    def _at(self, day: date, hour: int = 10) -> datetime:
        return datetime.combine(day, time(hour, self.rng.randrange(60)), tzinfo=UTC)

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
            lambda: self.hub.establish_body(
                OFFICER,
                name=name,
                kind=kind,
                purpose=f"Brings people together on {topic.lower()}: {self.fake.sentence(nb_words=10)}",
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
            self._plan_meetings(body_id, founded)
        if kind is BodyKind.TASK_AND_FINISH_GROUP and until is not None:
            self._plan_project(body_id, name, topic, founded, until)

    def _election(self, body_id: UUID, chair: str, vice: str, day: date) -> Callable[[], object]:
        return lambda: self.hub.record_election(OFFICER, body_id, chair_id=chair, vice_chair_id=vice, election_date=day)

    def _plan_members(self, body_id: UUID, kind: BodyKind, founded: date) -> list[tuple[str, date]]:
        """Plans the members; returns the user-side ones with the day each joined."""
        user_side: list[tuple[str, date]] = []
        count = self.rng.randrange(6, 14)
        if kind is BodyKind.STAKEHOLDER_CONFERENCE:
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
            self.report.members += 1
            if is_user:
                user_side.append((member_id, day))
        return user_side

    def _join(
        self, body_id: UUID, member_id: str, person: str, role: str, representation: str, day: date, position: str = ""
    ) -> Callable[[], object]:
        return lambda: self.hub.add_member(
            OFFICER,
            body_id,
            member_id=member_id,
            person=person,
            role=role,
            representation=representation,
            effective_date=day,
            position=position,
        )

    def _plan_meetings(self, body_id: UUID, founded: date) -> None:
        day = founded + timedelta(days=60)
        while day < self.today + timedelta(days=200):
            meeting_day = day
            while meeting_day.weekday() >= 5:
                meeting_day += timedelta(days=1)
            notice = meeting_day - timedelta(days=self.rng.randrange(40, 90))
            self._add(
                max(notice, founded + timedelta(days=1)),
                self._schedule(body_id, meeting_day),
            )
            self.report.meetings += 1
            day += timedelta(days=self.rng.randrange(160, 190))

    def _schedule(self, body_id: UUID, day: date) -> Callable[[], object]:
        return lambda: self.hub.schedule_meeting(
            OFFICER,
            body_id,
            meeting_date=day,
            start_time=time(self.rng.choice([10, 14, 18])),
            place=self.rng.choice(PLACES),
        )

    def _plan_project(self, body_id: UUID, name: str, topic: str, founded: date, until: date) -> None:
        commissioner = self.rng.choice(COMMISSIONERS)
        lead = f"demo-lead-{self.rng.randrange(1, 6)}"
        project_id = self._id("project")
        brief = Brief(
            aims_and_objectives=f"Review and improve {topic.lower()} services. {self.fake.sentence()}",
            outcomes=self.fake.sentence(nb_words=12),
            start_date=founded,
            end_date=until,
            resources=f"Officer time and £{self.rng.randrange(2, 20)},000",
            key_risks=self.fake.sentence(nb_words=10),
            reporting_every_months=3,
        )
        commissioned = founded + timedelta(days=3)
        self._add(
            commissioned,
            lambda: self.hub.commission_project(
                commissioner, title=f"{name} project", lead=lead, brief=brief, body_id=body_id, project_id=project_id
            ),
        )
        agreed = commissioned + timedelta(days=self.rng.randrange(5, 30))
        self._add(agreed, lambda: self.hub.agree_brief(EXECUTIVE, project_id, agreed_on=agreed))
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
                lambda: self.hub.submit_completion_report(
                    lead_actor, project_id, outcomes_achieved=self.fake.paragraph(nb_sentences=2), completed_on=until
                ),
            )

    def _progress(
        self, lead: Actor, project_id: UUID, start: date, end: date, rag: Rag, percent: int
    ) -> Callable[[], object]:
        milestones = self.fake.sentence(nb_words=8)
        issues = self.fake.sentence(nb_words=8) if rag is not Rag.GREEN else ""
        return lambda: self.hub.submit_progress_report(
            lead,
            project_id,
            period_start=start,
            period_end=end,
            milestones_achieved=milestones,
            issues_and_concerns=issues,
            rag=rag,
            percent_complete=percent,
        )


def run_steps(hub: PartnershipHub, steps: Iterable[Step]) -> int:
    """Runs the planned steps in time order, with the clock at each step's moment."""
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


def seed_demo(hub: PartnershipHub, *, bodies: int = 24, seed: int = 2026, today: date | None = None) -> DemoReport:
    plan = DemoPlan(hub, bodies=bodies, seed=seed, today=today or hub.clock().date())
    plan.report.steps = run_steps(hub, plan.build())
    return plan.report
