"""Whatever a command is sent, the record stays one that every read model can follow.

For every command in application.commands.COMMANDS (each its own test, so every command is walked),
hypothesis builds input from the command's own marshmallow schema: text with control characters, NUL
and lone surrogates; dates anywhere from year 1 to 9999; integers far outside any range, floats,
infinities and booleans where whole numbers belong; lists short and long; nested inputs; the ids of
records that exist. Usually one field is sent anything and the others something a person might type,
so that the odd value gets past the schema's other fields into the domain and the store.

Each command runs through ``Dispatcher.run`` as someone allowed to run it, on real records made for
it (a consultative group with members, a conference, a meeting today or to come, held or with its
minutes on the way, a project whose agreed brief the actor leads, a reminder for the actor). A
refusal is fine: a ``marshmallow.ValidationError`` or a ``domain.errors.DomainError`` (the
application's errors are DomainErrors too), and it saves nothing. Anything else fails the test (it
would be a server error), and so does a read model that cannot follow what was saved: after every
command ``catch_up`` raises nothing and no read model lags the log.

A command that poisons the log spoils the store for every later example, so the example after a
failure starts on a new database: each failure hypothesis reports is that example's own.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, time, timedelta
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from hypothesis import HealthCheck, event, given, note, settings
from hypothesis import strategies as st
from hypothesis.database import DirectoryBasedExampleDatabase
from marshmallow import Schema, ValidationError, fields

from application.authority import Duty, Role
from application.bootstrap import Services, build
from application.commands import ACCOUNT, BODY, COMMANDS, MEETING, PROJECT, REMINDER, REVIEW, Subject
from application.commands.definition import CONSULTATION, PANEL_MEMBER
from application.settings import Settings
from domain.actor import Actor
from domain.body import Body, Decision
from domain.errors import DomainError
from domain.project import Brief
from domain.reminder import Due, Reminder, Rule
from domain.vocabulary import EXECUTIVE_DIRECTOR, BodyKind, MemberRole, Representation
from tests.conftest import Clock

# Examples per command: the walk of every command stays well under a minute per database on a 2-core
# machine. Raise it for a deeper search (HOSTILE_EXAMPLES=300); examples that once failed are replayed
# first (.hypothesis/).
EXAMPLES = int(os.environ.get("HOSTILE_EXAMPLES", "15"))
REPO = Path(__file__).resolve().parents[2]

OFFICER = Actor("olive-officer", Role.PARTNERSHIP_OFFICER.value, "Olive Officer")
DIRECTOR = Actor("ed", Role.EXECUTIVE_DIRECTOR.value, "The Executive Director")
PORTFOLIO_HOLDER = Actor("ph-care", Role.PORTFOLIO_HOLDER_CARE_SERVICES.value, "Portfolio Holder")
LEAD = Actor("lee-lead", Role.PROJECT_LEAD.value, "Lee Lead")
ADMIN = Actor("ada-admin", Role.ADMINISTRATOR.value, "Ada Admin")
ACTORS = {"officer": OFFICER, "director": DIRECTOR, "portfolio_holder": PORTFOLIO_HOLDER, "lead": LEAD, "admin": ADMIN}

# Who runs a command of each duty (application/authority.py): someone the table allows, and for the
# commands that look further (a project's lead, a reminder's recipient) the one person who may.
RUN_BY: dict[Duty, list[str]] = {
    Duty.GOVERNANCE: ["officer"],
    Duty.MEMBERSHIP: ["officer"],
    Duty.MEETINGS: ["officer"],
    Duty.CALENDAR: ["officer"],
    Duty.COMMISSIONING: ["director", "portfolio_holder"],
    Duty.BRIEF_AGREEMENT: ["director"],
    Duty.DECISIONS: ["director", "portfolio_holder"],
    Duty.REPORTING: ["lead"],  # the lead of every project made here
    Duty.PERSONAL: ["officer"],  # every reminder made here is the officer's
    Duty.ADMINISTRATION: ["admin"],
    Duty.PUBLIC: ["officer"],  # anyone, the public included (C7)
    Duty.CONSULTATIONS: ["officer"],
}

# The records a command can act on; each example gets its own, made just before it runs.
SUBJECTS: dict[Subject, list[str]] = {
    BODY: ["group", "conference", "board"],
    MEETING: [
        "meeting_today",
        "meeting_future",
        "meeting_held",
        "meeting_drafted",
        "meeting_cleared",
        "meeting_following",
    ],
    PROJECT: ["project", "project_unagreed"],
    REMINDER: ["reminder"],
    ACCOUNT: ["account"],
    REVIEW: ["review", "review_with_findings"],
    CONSULTATION: ["consultation_draft", "consultation_closed"],
    PANEL_MEMBER: ["panel_member"],
}

REFUSALS = (ValidationError, DomainError)


@dataclass(frozen=True)
class Ref:
    """The id (or a stored file's attribute) of a record that exists, looked up when the example runs."""

    what: str

    def __repr__(self) -> str:
        return f"<{self.what}>"


# ------------------------------------------------------------------ strategies


@dataclass(frozen=True)
class Values:
    """What a field may be sent: values a person might type, and values only an attacker or a bug would."""

    plausible: st.SearchStrategy[Any]
    hostile: st.SearchStrategy[Any]

    @property
    def anything(self) -> st.SearchStrategy[Any]:
        return self.plausible | self.hostile


CONTROL = st.sampled_from(["\x00", "\x01", "\x07", "\x08", "\x1b", "\x7f", "\x85", "\t", "\n", "\r", "\u2028"])
SURROGATE = st.sampled_from(["\ud800", "\udfff", "\udc80"])
PLAIN = st.sampled_from(["Ann Carer", "Civic Centre", "Agreed", "Budget", "None", "Café Ŝtraße", " padded "])

TEXT = Values(
    PLAIN | st.text(st.characters(categories=["L", "N"]), min_size=1, max_size=20),
    st.one_of(
        st.text(
            max_size=30
        ),  # hypothesis' default alphabet: every code point but surrogates, NUL and controls included
        st.builds(lambda a, odd, b: a + odd + b, st.text(max_size=8), CONTROL | SURROGATE, st.text(max_size=8)),
        SURROGATE,
        CONTROL,
        st.sampled_from(["", "   ", "e\u0301", "\ufeff", "\u200b", None]),
        st.integers(150, 25_000).map(lambda n: "x" * n),
        st.integers(),
    ),
)


def iso(day: date) -> str:
    return day.isoformat()


# The ends of what a date can be, where arithmetic on it (deadlines, reminders) runs out of calendar.
EDGE_DATES = [date.max, date(9999, 12, 20), date(9999, 12, 10), date.min, date(1899, 12, 31), date(2200, 1, 1)]
DATES = Values(
    st.one_of(
        st.dates(date(2025, 1, 1), date(2032, 12, 31)),  # near today (2 March 2026): past the domain's gates
        st.dates(),  # anywhere from 0001-01-01 to 9999-12-31
        st.sampled_from(EDGE_DATES),
    ).map(iso),
    st.one_of(st.sampled_from(["2026-02-30", "31/12/2026", "", "2026-3-1", "+2026-03-02", None]), st.integers()),
)
TIMES = Values(st.times().map(time.isoformat), st.sampled_from(["25:00", "2pm", "", None]))
INTEGERS = Values(
    st.integers(-2, 120) | st.integers(1990, 2110),
    st.one_of(
        st.integers(),  # beyond any range
        st.sampled_from([2**31, 2**63, -(2**63) - 1, 10**20, 10**5000]),
        st.floats(),  # NaN and both infinities included: a JSON 1e400 arrives as inf
        st.booleans(),
        st.sampled_from(["12", "1e400", "", None]),
    ),
)
BOOLEANS = Values(st.booleans(), st.sampled_from([None, "yes", 1, 0]))
UUIDS = Values(
    st.sampled_from([Ref("group"), Ref("conference"), Ref("meeting_today"), Ref("meeting_future"), Ref("subject")]),
    st.one_of(st.uuids().map(str), st.sampled_from(["not-a-uuid", "", None])),
)


def one_of_these(*plausible: Any, hostile: Values = TEXT) -> Values:
    return Values(st.sampled_from(plausible), hostile.anything)


def long_list(element: st.SearchStrategy[Any]) -> st.SearchStrategy[list[Any]]:
    """One element many times over: a long list without hypothesis generating every entry."""
    return st.builds(lambda item, n: [item] * n, element, st.integers(40, 2_000))


# Fields whose name says what their value refers to.
BY_NAME: dict[str, Values] = {
    "member_id": one_of_these("m1", "m2"),
    "chair_id": one_of_these("m1", "m2"),
    "vice_chair_id": one_of_these("m1", "m2"),
    "lead": one_of_these(LEAD.user_id),
    "field": one_of_these(*sorted(Body.CORRECTABLE_FIELDS)),
    "value": Values(
        TEXT.plausible | DATES.plausible | INTEGERS.plausible | st.lists(TEXT.plausible, max_size=3),
        st.one_of(TEXT.hostile, DATES.hostile, INTEGERS.hostile, st.lists(TEXT.anything), long_list(PLAIN)),
    ),
    "previous_meeting_id": one_of_these(Ref("previous"), Ref("meeting_today"), Ref("subject"), hostile=UUIDS),
    "at_meeting_id": one_of_these(Ref("meeting_future"), Ref("meeting_today"), hostile=UUIDS),
    "sha256": one_of_these(Ref("file.sha256")),
    "size": one_of_these(Ref("file.size"), hostile=INTEGERS),
    "content_type": one_of_these(Ref("file.content_type")),
    "filename": one_of_these(Ref("file.filename")),
}
# Fields that mostly decide whether the rest is reached: present nearly always.
MOSTLY_PRESENT = {"body_id", "dates"}


def values_of(name: str, field: fields.Field) -> Values:
    """What the field ``name`` may be sent, from its marshmallow type (or its name, for the ones in BY_NAME)."""
    if name in BY_NAME:
        return BY_NAME[name]
    if isinstance(field, fields.Nested):
        nested = field.nested
        assert isinstance(nested, type) and issubclass(nested, Schema), nested
        return Values(inputs(nested, hostile=False), inputs(nested) | TEXT.hostile)
    if isinstance(field, fields.List):
        element = values_of(name, field.inner)
        return Values(
            st.lists(element.plausible, min_size=1, max_size=3),
            st.one_of(st.lists(element.anything, max_size=4), long_list(element.plausible), TEXT.hostile),
        )
    if isinstance(field, fields.Enum):
        return one_of_these(*(m.value for m in field.enum))
    if isinstance(field, fields.UUID):
        return UUIDS
    if isinstance(field, fields.Date):
        return DATES
    if isinstance(field, fields.Time):
        return TIMES
    if isinstance(field, fields.Integer):
        return INTEGERS
    if isinstance(field, fields.Boolean):
        return BOOLEANS
    if isinstance(field, fields.String):
        return TEXT
    if isinstance(field, fields.Raw):
        return Values(TEXT.plausible, TEXT.hostile | DATES.anything | INTEGERS.anything)
    raise AssertionError(f"no strategy for {name}: {type(field).__name__}")


@st.composite
def inputs(draw: st.DrawFn, schema: type[Schema], *, hostile: bool = True) -> dict[str, Any]:
    """A JSON-style input for ``schema``, each field present or not.

    Hostile input is usually one field sent anything, the others plausible, so that the odd value gets
    past the schema's other fields into the domain and the store; now and then every field is.
    """
    declared = {name: field for name, field in schema._declared_fields.items() if not field.dump_only}
    chosen: set[str] = set()
    if hostile:
        everything = draw(st.integers(0, 4)) == 4  # shrinks towards one field at a time
        chosen = set(declared) if everything else {draw(st.sampled_from(sorted(declared)))} if declared else set()
    data: dict[str, Any] = {}
    for name, field in declared.items():
        # A field the command needs is there unless it is the one sent anything; others are there half the time.
        if field.required or name in MOSTLY_PRESENT:
            present = name not in chosen or draw(st.integers(0, 3)) < 3  # shrinks towards present
        else:
            present = draw(st.booleans())
        if present:
            values = values_of(name, field)
            data[field.data_key or name] = draw(values.anything if name in chosen else values.plausible)
    if hostile and draw(st.integers(0, 19)) == 0:
        data["unexpected"] = draw(TEXT.anything)
    return data


@dataclass(frozen=True)
class Case:
    command: str
    actor: str
    subject: str | None
    data: dict[str, Any]


def shown(value: Any) -> str:
    """``repr`` that survives integers too long for Python to print (more than 4,300 digits)."""
    if isinstance(value, Case):
        return f"Case({value.command!r}, actor={value.actor!r}, subject={value.subject!r}, data={shown(value.data)})"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k!r}: {shown(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return (
            "[" + ", ".join(shown(v) for v in value[:5]) + (f", ... ({len(value)} items)]" if len(value) > 5 else "]")
        )
    if isinstance(value, str) and len(value) > 60:
        return f"{value[:20]!r} ... ({len(value)} characters)"
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 1000:
        return f"<an integer of about {int(value.bit_length() * 0.30103)} digits>"
    return repr(value)


@st.composite
def cases(draw: st.DrawFn, name: str) -> Case:
    command = COMMANDS[name]
    subject = draw(st.sampled_from(SUBJECTS[command.about])) if command.about else None
    return Case(command.name, draw(st.sampled_from(RUN_BY[command.duty])), subject, draw(inputs(command.input)))


# ---------------------------------------------------------------------- records

DECISION = Decision(reason="Agreed by the Portfolio Holder", effective_date=date(2026, 1, 5), decided_by="PH")


class World:
    """One store with its read models, the records every example may refer to, and each example's own."""

    def __init__(self, url: str, files_dir: Path, clock: Clock) -> None:
        self.clock = clock
        self.services: Services = build(Settings.for_url(url, files_dir=files_dir), clock=clock)
        self.hub = self.services.hub
        self.dirty = False
        self._names = itertools.count(1)
        self._review_years = itertools.count(1901)  # an annual review is one a financial year (H1)
        # Subjects an example left as they were made (it was refused): the next example may take them.
        self._unchanged: dict[str, tuple[UUID, Any]] = {}
        self._lent: tuple[str, UUID, Any] | None = None
        self.refs: dict[str, Any] = {}
        self.refs["group"] = self.body("group")
        self.refs["conference"] = self.body("conference")
        self.refs["meeting_today"] = self.meeting("meeting_today")
        self.refs["meeting_future"] = self.meeting("meeting_future")
        self.refs["previous"] = self.refs["meeting_today"]
        minutes = self.hub.upload_file(OFFICER, b"Minutes of the meeting", "minutes.txt")
        self.file = {
            "sha256": minutes.sha256,
            "size": minutes.size,
            "content_type": minutes.content_type,
            "filename": minutes.filename,
        }
        self.check_read_models()

    @property
    def today(self) -> date:
        return self.clock.now.date()

    def _name(self, what: str) -> str:
        return f"{what} {next(self._names)}"

    # Each example's subject: a new record in the state its commands need.

    def body(self, variant: str) -> UUID:
        hub = self.hub
        if variant == "conference":
            body_id = hub.establish_body(
                OFFICER, name=self._name("Conference"), kind=BodyKind.STAKEHOLDER_CONFERENCE, decision=DECISION
            )
            hub.add_member(
                OFFICER,
                body_id,
                person=EXECUTIVE_DIRECTOR,
                position=EXECUTIVE_DIRECTOR,
                role=MemberRole.CHAIR.value,
                representation=Representation.RELEVANT_PARTNER_AGENCY.value,
                effective_date=date(2026, 1, 5),
            )
            return body_id
        if variant == "board":
            return hub.establish_body(
                OFFICER,
                name=self._name("Board"),
                kind=BodyKind.PARTNERSHIP_BOARD,
                decision=DECISION,
                annual_funding_pence=100_000,
                contract_end=date(2027, 3, 31),
                break_clause_months=3,
            )
        body_id = hub.establish_body(
            OFFICER, name=self._name("Group"), kind=BodyKind.CONSULTATIVE_GROUP, decision=DECISION
        )
        for member_id, person in (("m1", "Ann Carer"), ("m2", "Sam User")):
            hub.add_member(
                OFFICER,
                body_id,
                member_id=member_id,
                person=person,
                role=MemberRole.MEMBER.value,
                representation=Representation.SERVICE_USER.value,
                effective_date=date(2026, 1, 5),
            )
        return body_id

    def meeting(self, variant: str) -> UUID:
        hub = self.hub
        # A body of its own, not one that meets twice a year: planning the calendar stays small.
        body_id = hub.establish_body(OFFICER, name=self._name("Panel"), kind=BodyKind.VIRTUAL_PANEL, decision=DECISION)
        if variant == "meeting_following":
            # Yesterday's meeting, its minutes published; the example's meeting is today's.
            self.clock.advance(days=-1)
            try:
                previous = self._on_the_day(body_id)
                hub.record_draft_minutes(OFFICER, previous, file=self._minutes())
                hub.clear_minutes(OFFICER, previous, chair="Ann Carer")
                hub.publish_minutes(OFFICER, previous)
            finally:
                self.clock.advance(days=1)
            self.refs["previous"] = previous
            return self._on_the_day(body_id)
        self.refs["previous"] = self.refs.get("meeting_today")
        if variant == "meeting_future":
            meeting_id = hub.schedule_meeting(
                OFFICER, body_id, meeting_date=self.today + timedelta(days=30), start_time=time(14), place="Hall"
            )
            hub.add_agenda_item(OFFICER, meeting_id, title="Budget")
            return meeting_id
        meeting_id = self._on_the_day(body_id)
        if variant == "meeting_today":
            return meeting_id  # today's, nothing recorded of it yet: it can still be moved
        hub.record_action(OFFICER, meeting_id, description="Write to members", owner="Ann", due=self.today)
        if variant in ("meeting_drafted", "meeting_cleared"):
            hub.record_draft_minutes(OFFICER, meeting_id, file=self._minutes())
        if variant == "meeting_cleared":
            hub.clear_minutes(OFFICER, meeting_id, chair="Ann Carer")
        return meeting_id

    def _on_the_day(self, body_id: UUID) -> UUID:
        meeting_id = self.hub.schedule_meeting(
            OFFICER, body_id, meeting_date=self.today, start_time=time(14), place="Hall"
        )
        self.hub.add_agenda_item(OFFICER, meeting_id, title="Budget")
        return meeting_id

    def _minutes(self) -> Any:
        return self.hub.upload_file(OFFICER, b"Minutes of the meeting", "minutes.txt")

    def project(self, variant: str) -> UUID:
        brief = Brief(
            aims_and_objectives="Refresh the carers strategy",
            outcomes="A strategy agreed",
            start_date=date(2026, 1, 5),
            end_date=date(2027, 3, 31),
            resources="Officer time",
            key_risks="Low response",
        )
        project_id = self.hub.commission_project(DIRECTOR, title=self._name("Project"), lead=LEAD.user_id, brief=brief)
        if variant == "project":
            self.hub.agree_brief(DIRECTOR, project_id, agreed_on=date(2026, 1, 6))
        return project_id

    def account(self) -> UUID:
        """An account for an administrator's command (a project lead's, with a password and a token)."""
        user_id = self._name("acct").replace(" ", "-")
        self.services.users.create(user_id, name="Pat Person", email="pat@example.gov.uk", role=Role.PROJECT_LEAD,
                                   password="a long enough password")  # fmt: skip
        self.services.users.issue_token(user_id, "script")
        return self.services.users.require(user_id).account_id

    def reminder(self) -> UUID:
        due = Due(Rule.ANNUAL_REVIEW, "framework", self._name("review"), "The arrangements", date(2027, 3, 31),
                  OFFICER.user_id, "Review the arrangements (rule H1).")  # fmt: skip
        self.hub.save(Reminder.raise_(due, actor=OFFICER, at=self.clock(), raised_on=self.today, email_to=None))
        return due.id

    def review(self, variant: str) -> UUID:
        """An annual review of a year of its own; with findings, the group reviewed and a proposal made on it."""
        review_id = self.hub.open_annual_review(OFFICER, year=next(self._review_years))
        if variant == "review_with_findings":
            group = self.refs["group"]
            self.hub.record_review_findings(OFFICER, review_id, body_id=group, findings="Meets well")
            self.hub.record_overall_findings(OFFICER, review_id, findings="The arrangements work")
            self.hub.propose_change(OFFICER, group, change="maintain_body", reason="Keep it", details={})
        return review_id

    def consultation(self, variant: str) -> UUID:
        """A draft with a question, or one published and closed (rule A4)."""
        today = self.today
        consultation_id = self.hub.draft_consultation(
            OFFICER, title=self._name("Consultation"), summary="Views wanted", concerns="Day services",
            opens_on=today, closes_on=today, anonymous_allowed=True,
        )  # fmt: skip
        self.hub.add_question(OFFICER, consultation_id, question="How good is it?", kind="scale")
        if variant == "consultation_closed":
            self.hub.publish_consultation(OFFICER, consultation_id)
            self.clock.advance(days=1)
            try:
                self.hub.close_due(OFFICER, [consultation_id])
            finally:
                self.clock.advance(days=-1)
        return consultation_id

    def panel_member(self) -> UUID:
        return self.hub.add_panel_member(
            OFFICER, name="Pat Panel", email=f"{self._name('pat').replace(' ', '')}@example.org",
            consent_on=date(2026, 1, 5),
        )  # fmt: skip

    def subject(self, variant: str | None) -> UUID | None:
        """The example's own record, as made for ``variant`` (one an earlier example left unchanged, or a new one)."""
        self._lent = None
        if variant is None:
            return None
        if variant in self._unchanged:
            subject_id, self.refs["previous"] = self._unchanged.pop(variant)
        elif variant in SUBJECTS[BODY]:
            subject_id = self.body(variant)
        elif variant in SUBJECTS[MEETING]:
            subject_id = self.meeting(variant)
        elif variant in SUBJECTS[PROJECT]:
            subject_id = self.project(variant)
        elif variant in SUBJECTS[ACCOUNT]:
            subject_id = self.account()
        elif variant in SUBJECTS[REVIEW]:
            subject_id = self.review(variant)
        elif variant in SUBJECTS[CONSULTATION]:
            subject_id = self.consultation(variant)
        elif variant in SUBJECTS[PANEL_MEMBER]:
            subject_id = self.panel_member()
        else:
            subject_id = self.reminder()
        self._lent = (variant, subject_id, self.refs["previous"])
        return subject_id

    def give_back(self, *, unchanged: bool) -> None:
        """After the example: a subject nothing was saved to is as it was made, for the next example."""
        if unchanged and self._lent is not None:
            variant, subject_id, previous = self._lent
            self._unchanged[variant] = (subject_id, previous)
        self._lent = None

    def resolve(self, value: Any, subject_id: UUID | None) -> Any:
        """The example's input with each Ref replaced by what it names in this store."""
        if isinstance(value, Ref):
            if value.what.startswith("file."):
                return self.file[value.what.removeprefix("file.")]
            found = subject_id if value.what == "subject" else self.refs[value.what]
            return str(found) if found is not None else None
        if isinstance(value, dict):
            return {k: self.resolve(v, subject_id) for k, v in value.items()}
        if isinstance(value, list):
            return [self.resolve(v, subject_id) for v in value]
        return value

    def check_read_models(self) -> None:
        read_models = self.services.read_models
        read_models.catch_up()
        lag = read_models.lag()
        assert lag == dict.fromkeys(lag, 0), f"read models behind the log: {lag}"

    def close(self) -> None:
        self.services.close()


class Worlds:
    """The current world, and a new one (on a new database) after a failure spoiled it."""

    def __init__(self, request: pytest.FixtureRequest, database_url: str, tmp_path: Path, clock: Clock) -> None:
        self.request = request
        self.first_url: str | None = database_url
        self.tmp_path = tmp_path
        self.clock = clock
        self.made = itertools.count(1)
        self.world: World | None = None
        self.spoiled: list[World] = []

    def _url(self, n: int) -> str:
        if self.first_url is not None:
            url, self.first_url = self.first_url, None
            return url
        if self.request.node.callspec.params["database_url"] == "sqlite":
            return f"sqlite:///{self.tmp_path / f'hub-{n}.sqlite3'}"
        server = self.request.getfixturevalue("postgres_server")
        return server.create_database(f"hostile_{id(self)}_{n}")

    def current(self) -> World:
        if self.world is not None and self.world.dirty:
            self.spoiled.append(self.world)
            self.world = None
        if self.world is None:
            n = next(self.made)
            self.world = World(self._url(n), self.tmp_path / f"files-{n}", self.clock)
        return self.world

    def close(self) -> None:
        for world in [*self.spoiled, *([self.world] if self.world else [])]:
            world.close()


@pytest.fixture
def worlds(request: pytest.FixtureRequest, database_url: str, tmp_path: Path, clock: Clock) -> Iterator[Worlds]:
    made = Worlds(request, database_url, tmp_path, clock)
    yield made
    made.close()


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=DirectoryBasedExampleDatabase(REPO / ".hypothesis" / "examples"),
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@pytest.mark.parametrize("command", list(COMMANDS))
@given(drawn=st.data())
def test_every_read_model_follows_whatever_a_command_is_sent(
    worlds: Worlds, command: str, drawn: st.DataObject
) -> None:
    case = drawn.draw(cases(command), label="case")
    note(f"falsifying example: {shown(case)}")  # pytest's report leaves the drawn arguments blank
    world = worlds.current()
    try:
        subject_id = world.subject(case.subject)
        data = world.resolve(case.data, subject_id)
        before = world.hub.recorder.max_notification_id()
        try:
            world.services.dispatcher.run(case.command, ACTORS[case.actor], subject_id=subject_id, data=data)
            event(f"{case.command}: saved")
        except REFUSALS as refusal:  # refused, with a message for the field
            event(f"{case.command}: {type(refusal).__name__}")
            assert world.hub.recorder.max_notification_id() == before, "a refused command saved something"
        world.check_read_models()
        world.give_back(unchanged=world.hub.recorder.max_notification_id() == before)
    except BaseException:
        world.dirty = True
        raise
