"""The hostile input of the issue, each refused naming its field, with nothing saved and the read models
still following the log.

Each case goes through ``Dispatcher.run`` with JSON-style input, as the API and the forms send it (the
schema refuses it: ``marshmallow.ValidationError``), and through ``Dispatcher.execute`` with typed
values, as the importer sends them (the domain refuses it: ``domain.errors.InvalidInput``). Before the
fix, a meeting on 20 December 9999 (or moved to 31 December 9999) was saved and the calendar read
model then overflowed computing its deadlines; a NUL was saved and PostgreSQL's read models could not
store it; from then on no read model moved again. A lone surrogate could not even be encoded (a
server error). A form's 5,000-digit number made Python's int() raise.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, time, timedelta
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from marshmallow import ValidationError
from werkzeug.datastructures import MultiDict

from application.authority import Role
from application.bootstrap import Services, build
from application.settings import Settings
from domain.actor import Actor
from domain.body import Decision
from domain.errors import InvalidInput
from domain.vocabulary import BodyKind, MemberRole, Representation
from tests.conftest import Clock
from web.ui.fields import Field, FormContext, to_input

OFFICER = Actor("olive-officer", Role.PARTNERSHIP_OFFICER.value, "Olive Officer")
DECISION = Decision(reason="Agreed by the Portfolio Holder", effective_date=date(2026, 1, 5))


@dataclass
class Record:
    services: Services
    group_id: UUID
    meeting_id: UUID

    def last_position(self) -> int:
        return self.services.hub.recorder.max_notification_id() or 0

    def assert_read_models_follow(self) -> None:
        read_models = self.services.read_models
        read_models.catch_up()
        assert read_models.lag() == dict.fromkeys(read_models.projections, 0)


@pytest.fixture
def record(database_url: str, tmp_path: Path, clock: Clock) -> Iterator[Record]:
    services = build(Settings.for_url(database_url, files_dir=tmp_path / "files"), clock=clock)
    hub = services.hub
    group_id = hub.establish_body(OFFICER, name="Carers Forum", kind=BodyKind.CONSULTATIVE_GROUP, decision=DECISION)
    hub.add_member(
        OFFICER,
        group_id,
        person="Ann Carer",
        role=MemberRole.MEMBER.value,
        representation=Representation.CARER.value,
        effective_date=date(2026, 1, 5),
    )
    meeting_id = hub.schedule_meeting(
        OFFICER, group_id, meeting_date=date(2026, 6, 1), start_time=time(14), place="Civic Centre"
    )
    made = Record(services, group_id, meeting_id)
    made.assert_read_models_follow()
    yield made
    services.close()


@dataclass(frozen=True)
class Hostile:
    command: str
    subject: str | None  # "group", "meeting" or None (a command that creates its record)
    field: str  # the field the refusal names
    json: dict[str, Any]  # as the API and the forms send it (Dispatcher.run)
    typed: dict[str, Any]  # as the importer sends it (Dispatcher.execute)


TODAY = date(2026, 3, 2)  # the tests' clock
ESTABLISH = {"name": "Task Group", "kind": "task_and_finish_group", "reason": "Agreed"}
MOVE = {"new_start_time": "14:00", "new_place": "Hall", "reason": "Clash"}
TYPED_MOVE = {"new_start_time": time(14), "new_place": "Hall", "reason": "Clash"}

CASES = [
    pytest.param(
        Hostile(
            "schedule_meeting",
            "group",
            "meeting_date",
            {"meeting_date": "9999-12-20", "start_time": "14:00", "place": "Hall"},
            {"meeting_date": date(9999, 12, 20), "start_time": time(14), "place": "Hall"},
        ),
        id="meeting-on-9999-12-20",
    ),
    pytest.param(
        Hostile(
            "schedule_meeting",
            "group",
            "meeting_date",
            {"meeting_date": "2032-03-02", "start_time": "14:00", "place": "Hall"},
            {"meeting_date": date(2032, 3, 2), "start_time": time(14), "place": "Hall"},
        ),
        id="meeting-six-years-ahead",
    ),
    pytest.param(
        Hostile(
            "move_meeting",
            "meeting",
            "new_date",
            {"new_date": "9999-12-31", **MOVE},
            {"new_date": date(9999, 12, 31), **TYPED_MOVE},
        ),
        id="move-to-9999-12-31",
    ),
    pytest.param(
        Hostile(
            "schedule_meeting",
            "group",
            "place",
            {"meeting_date": "2026-06-08", "start_time": "14:00", "place": "Civic\u0000Centre"},
            {"meeting_date": date(2026, 6, 8), "start_time": time(14), "place": "Civic\u0000Centre"},
        ),
        id="nul-in-a-place",
    ),
    pytest.param(
        Hostile(
            "establish_body",
            None,
            "purpose",
            {**ESTABLISH, "until": "2027-03-31", "purpose": "carers\u0000"},
            {
                "name": "Task Group",
                "kind": "task_and_finish_group",
                "until": date(2027, 3, 31),
                "purpose": "carers\u0000",
                "decision": DECISION,
            },
        ),
        id="nul-in-a-purpose",
    ),
    pytest.param(
        Hostile(
            "cancel_meeting",
            "meeting",
            "reason",
            {"reason": "Chair unwell \ud800"},
            {"reason": "Chair unwell \ud800"},
        ),
        id="lone-surrogate-in-a-reason",
    ),
    pytest.param(
        Hostile(
            "change_funding",
            "group",
            "annual_funding_pence",
            json.loads('{"annual_funding_pence": 1e400, "reason": "Budget"}'),  # JSON's 1e400 is infinity
            {"annual_funding_pence": float("inf"), "decision": DECISION},
        ),
        id="funding-1e400",
    ),
    pytest.param(
        Hostile(
            "establish_body",
            None,
            "accountability",
            {**ESTABLISH, "until": "2027-03-31", "accountability": ["Board"] * 100_000},
            {
                "name": "Task Group",
                "kind": "task_and_finish_group",
                "until": date(2027, 3, 31),
                "accountability": ["Board"] * 100_000,
                "decision": DECISION,
            },
        ),
        id="100000-accountability-items",
    ),
    pytest.param(
        Hostile(
            "establish_body",
            None,
            "until",
            {**ESTABLISH, "until": "0001-01-01"},
            {"name": "Task Group", "kind": "task_and_finish_group", "until": date(1, 1, 1), "decision": DECISION},
        ),
        id="until-0001-01-01",
    ),
]


def subject_of(record: Record, case: Hostile) -> UUID | None:
    return {"group": record.group_id, "meeting": record.meeting_id, None: None}[case.subject]


def messages_of(refusal: Exception) -> dict[str, str]:
    """What a refusal says, field by field."""
    if isinstance(refusal, InvalidInput):
        return {refusal.field: refusal.message}
    assert isinstance(refusal, ValidationError)
    assert isinstance(refusal.messages, dict)
    return {field: str(message) for field, message in refusal.messages.items()}


@pytest.mark.parametrize("case", CASES)
def test_it_is_refused_as_input_naming_the_field(record: Record, case: Hostile) -> None:
    """The schema refuses it (ValidationError); a meeting too far ahead passes the schema's fixed window and
    the domain, which knows today, refuses it (InvalidInput)."""
    before = record.last_position()
    with pytest.raises((ValidationError, InvalidInput)) as refused:
        record.services.dispatcher.run(case.command, OFFICER, subject_id=subject_of(record, case), data=case.json)
    messages = messages_of(refused.value)
    assert case.field in messages, messages
    assert len(messages[case.field]) < 300, "one message for the field, not one per entry"
    assert record.last_position() == before, "nothing is saved"
    record.assert_read_models_follow()


@pytest.mark.parametrize("case", CASES)
def test_the_domain_refuses_it_naming_the_field(record: Record, case: Hostile) -> None:
    before = record.last_position()
    with pytest.raises(InvalidInput) as refused:
        record.services.dispatcher.execute(case.command, OFFICER, subject_id=subject_of(record, case), **case.typed)
    assert refused.value.field == case.field, refused.value
    assert record.last_position() == before, "nothing is saved"
    record.assert_read_models_follow()


def test_after_the_refusals_the_record_goes_on(record: Record) -> None:
    """Refused input leaves nothing behind: the next good command is saved and shown at once."""
    for case in CASES:
        with pytest.raises((ValidationError, InvalidInput)):
            record.services.dispatcher.run(
                case.values[0].command,
                OFFICER,
                subject_id=subject_of(record, case.values[0]),
                data=case.values[0].json,
            )
    outcome = record.services.dispatcher.run(
        "schedule_meeting",
        OFFICER,
        subject_id=record.group_id,
        # Late December: the group's second ordinary meeting of 2026, after 1 June (the cadence, rule C1).
        data={"meeting_date": (TODAY + timedelta(days=300)).isoformat(), "start_time": "14:00", "place": "Hall"},
    )
    record.assert_read_models_follow()
    assert outcome.position == record.last_position()


def test_text_is_kept_in_nfc(record: Record) -> None:
    decomposed = "Cafe\u0301 Forum"
    outcome = record.services.dispatcher.run(
        "establish_body", OFFICER, data={"name": decomposed, "kind": "subgroup", "reason": "Agreed"}
    )
    assert record.services.hub.body(outcome.subject_id).name == "Café Forum"


# ------------------------------------------------------------ a form's numbers


NUMBER_FIELDS = [Field("meets_per_year", "Meetings a year", "int"), Field("funding", "Annual funding", "money")]


@pytest.mark.parametrize(
    ("key", "typed"),
    [
        ("meets_per_year", "9" * 5_000),
        ("meets_per_year", "-" + "9" * 16),
        ("funding", "9" * 5_000),
        ("funding", "1e400"),
        ("funding", "Infinity"),
        ("funding", "NaN"),
    ],
)
def test_a_form_refuses_an_overlong_number_against_its_field(key: str, typed: str) -> None:
    data, errors = to_input(NUMBER_FIELDS, MultiDict({key: typed}), {}, FormContext())
    assert key not in data
    assert list(errors) == [key]


def test_a_form_refuses_a_date_with_an_overlong_day_or_month() -> None:
    field = Field("effective_date", "Date they join", "date")
    form = MultiDict({"effective_date-day": "1" * 5_000, "effective_date-month": "3", "effective_date-year": "2026"})
    data, errors = to_input([field], form, {}, FormContext())
    assert data == {} and list(errors) == ["effective_date"]


def test_a_form_still_takes_ordinary_numbers() -> None:
    form = MultiDict({"meets_per_year": "4", "funding": "1,250.50"})
    data, errors = to_input(NUMBER_FIELDS, form, {}, FormContext())
    assert errors == {} and data == {"meets_per_year": 4, "funding": 125050}
