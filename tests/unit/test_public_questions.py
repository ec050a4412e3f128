"""Rule C7: written questions from the public, on domain.public_question alone."""

from __future__ import annotations

from datetime import UTC, date, datetime
from uuid import uuid4

import pytest

from domain.actor import Actor
from domain.bounds import LONG_TEXT
from domain.errors import DomainError, InvalidInput
from domain.public_question import PublicQuestion, described_close, questions_close
from domain.working_days import LONDON

PUBLIC = Actor("public", "public")
OFFICER = Actor("dmantell", "partnership_officer", "Denise Mantell")
MEETING_DAY = date(2013, 6, 18)  # a Tuesday


def ask(at: datetime, **changes: object) -> PublicQuestion:
    values: dict[str, object] = dict(
        id=uuid4(),
        actor=PUBLIC,
        at=at,
        meeting_id=uuid4(),
        body_id=uuid4(),
        body_name="Mental Health Consultative Group",
        body_kind="consultative_group",
        meeting_date=MEETING_DAY,
        public=True,
        status="scheduled",
        name="Sam Resident",
        email="sam@example.com",
        question="When will the new day centre open?",
        publish_name=True,
    )
    values.update(changes)
    return PublicQuestion.ask(**values)  # type: ignore[arg-type]


def test_the_2013_example_questions_close_at_5pm_on_wednesday_12_june() -> None:
    assert questions_close(MEETING_DAY) == datetime(2013, 6, 12, 17, 0, tzinfo=LONDON)
    assert described_close(MEETING_DAY) == "5pm on Wednesday 12 June 2013"
    # British Summer Time: 5pm in London is 4pm UTC.
    assert ask(datetime(2013, 6, 12, 15, 59, 59, tzinfo=UTC)).question == "When will the new day centre open?"
    assert ask(datetime(2013, 6, 12, 16, 0, tzinfo=UTC)).name == "Sam Resident"
    with pytest.raises(DomainError) as late:
        ask(datetime(2013, 6, 12, 16, 0, 1, tzinfo=UTC))
    assert late.value.rule == "C7"
    assert str(late.value) == (
        "questions to the Mental Health Consultative Group meeting on 18 June 2013 had to arrive by "
        "5pm on Wednesday 12 June 2013 (rule C7)"
    )


def test_bank_holidays_and_weekends_do_not_count() -> None:
    # A meeting on Tuesday 7 May 2013: Monday 6 May is a bank holiday, so four working days back is Tuesday 30 April.
    assert questions_close(date(2013, 5, 7)) == datetime(2013, 4, 30, 17, 0, tzinfo=LONDON)
    # In winter London is on GMT: 5pm is 5pm UTC.
    assert questions_close(date(2026, 12, 15)) == datetime(2026, 12, 9, 17, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"public": False}, "not open to the public"),
        ({"status": "cancelled"}, "cancelled"),
        ({"body_kind": "partnership_board"}, "only meetings of a stakeholder conference or a consultative group"),
        ({"body_kind": "task_and_finish_group"}, "only meetings of a stakeholder conference or a consultative group"),
    ],
)
def test_no_questions_for_a_private_or_cancelled_meeting_or_another_kind_of_body(
    changes: dict[str, object], reason: str
) -> None:
    with pytest.raises(DomainError, match=reason) as refused:
        ask(datetime(2013, 6, 1, 9, tzinfo=UTC), **changes)
    assert refused.value.rule == "C7"


def test_a_stakeholder_conference_takes_questions_too() -> None:
    assert ask(datetime(2013, 6, 1, 9, tzinfo=UTC), body_kind="stakeholder_conference").publish_name


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("name", ""),
        ("name", "x" * 201),
        ("name", "Sam\x00"),
        ("email", "not-an-address"),
        ("email", "a@" + "b" * 260 + ".com"),
        ("question", "  "),
        ("question", "x" * (LONG_TEXT + 1)),
        ("publish_name", "yes"),
    ],
)
def test_each_part_is_required_and_bounded(field: str, value: object) -> None:
    with pytest.raises(InvalidInput, match=f"^{field}: "):
        ask(datetime(2013, 6, 1, 9, tzinfo=UTC), **{field: value})


def test_the_answer_is_published_with_the_name_only_with_consent_and_never_the_email() -> None:
    named = ask(datetime(2013, 6, 1, 9, tzinfo=UTC))
    anonymous = ask(datetime(2013, 6, 1, 9, tzinfo=UTC), publish_name=False)
    with pytest.raises(DomainError, match="record it from that day"):
        named.record_answer(actor=OFFICER, at=datetime(2013, 6, 17, 9, tzinfo=UTC), answer="In July.")
    for question in (named, anonymous):
        question.record_answer(actor=OFFICER, at=datetime(2013, 6, 18, 19, tzinfo=UTC), answer="In July.")
    assert named.published_as() == {
        "asked_by": "Sam Resident",
        "question": "When will the new day centre open?",
        "answer": "In July.",
    }
    assert anonymous.published_as()["asked_by"] == "A member of the public"
    assert "sam@example.com" not in str(named.published_as()) + str(anonymous.published_as())
    with pytest.raises(InvalidInput, match="answer"):
        named.record_answer(actor=OFFICER, at=datetime(2013, 6, 18, 19, tzinfo=UTC), answer="")
