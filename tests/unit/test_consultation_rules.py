"""Rule A4: a consultation's life, its questions and answers, and a panel member's membership (pure domain)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from uuid import uuid4

import pytest

from domain.actor import Actor
from domain.consultation import Consultation, ConsultationError, QuestionKind, Response, Stage, response_id
from domain.errors import InvalidInput
from domain.panel import JoinedBy, PanelError, PanelMember

OFFICER = Actor("officer", "partnership_officer")
AT = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
TODAY = date(2026, 3, 2)


def draft(**changes) -> Consultation:
    values = dict(
        id=uuid4(),
        actor=OFFICER,
        at=AT,
        title="Day centres",
        summary="How should day centres open at weekends?",
        concerns="Adult day services",
        opens_on=date(2026, 3, 2),
        closes_on=date(2026, 3, 20),
    )
    values.update(changes)
    return Consultation.draft(**values)


def published(**changes) -> tuple[Consultation, list]:
    members = [uuid4(), uuid4()]
    c = draft(**changes)
    c.add_question(actor=OFFICER, at=AT, text="Which days?", kind="multiple_choice", options=["Sat", "Sun"],
                   required=True)  # fmt: skip
    c.add_question(actor=OFFICER, at=AT, text="How good is it now?", kind="scale")
    c.add_question(actor=OFFICER, at=AT, text="Anything else?", kind="free_text")
    c.publish(actor=OFFICER, at=AT, today=TODAY, invited=members)
    return c, members


def test_a_draft_names_its_title_summary_and_dates():
    with pytest.raises(InvalidInput, match="summary") as refused:
        draft(summary="  ")
    assert refused.value.rule == "A4"
    with pytest.raises(InvalidInput, match="close date must be on or after"):
        draft(closes_on=date(2026, 3, 1))
    with pytest.raises(InvalidInput, match="topic"):
        draft(audience="interested")
    with pytest.raises(InvalidInput, match="body"):
        draft(audience="body_members")


def test_questions_of_each_kind_and_their_answers():
    c = draft()
    with pytest.raises(InvalidInput, match="at least two answers"):
        c.add_question(actor=OFFICER, at=AT, text="Pick", kind="single_choice", options=["Only"])
    with pytest.raises(InvalidInput, match="no answers to choose from"):
        c.add_question(actor=OFFICER, at=AT, text="Say", kind="free_text", options=["x"])
    assert c.add_question(actor=OFFICER, at=AT, text="Pick", kind="single_choice", options=["A", "B"]) == 1
    assert c.add_question(actor=OFFICER, at=AT, text="Rate", kind=QuestionKind.SCALE, required=True) == 2
    assert c.check_answers({"1": "A", "2": "5"}, submitting=True) == {"1": "A", "2": 5}
    with pytest.raises(InvalidInput, match="answer question 2: it is required"):
        c.check_answers({"1": "B"}, submitting=True)
    assert c.check_answers({"1": "B"}, submitting=False) == {"1": "B"}  # saving to come back to
    with pytest.raises(InvalidInput, match="choose one of the answers given"):
        c.check_answers({"1": "C"}, submitting=False)
    with pytest.raises(InvalidInput, match="from 1 to 5"):
        c.check_answers({"2": 6}, submitting=False)
    with pytest.raises(InvalidInput, match="no question 9"):
        c.check_answers({"9": "x"}, submitting=False)


def test_publishing_needs_a_question_and_an_audience_and_freezes_the_questions():
    c = draft()
    with pytest.raises(ConsultationError, match="at least one question"):
        c.publish(actor=OFFICER, at=AT, today=TODAY, invited=[uuid4()])
    c.add_question(actor=OFFICER, at=AT, text="Rate", kind="scale")
    with pytest.raises(ConsultationError, match="nobody on the panel"):
        c.publish(actor=OFFICER, at=AT, today=TODAY, invited=[])
    c.publish(actor=OFFICER, at=AT, today=TODAY, invited=[uuid4()])
    assert c.stage is Stage.PUBLISHED
    with pytest.raises(ConsultationError, match="only a draft's questions"):
        c.add_question(actor=OFFICER, at=AT, text="More", kind="scale")


def test_who_may_respond_and_when():
    c, (alice, _bob) = published()
    c.check_accepts(date(2026, 3, 20), panel_member_id=alice)
    with pytest.raises(ConsultationError, match="closed on 20 March 2026"):
        c.check_accepts(date(2026, 3, 21), panel_member_id=alice)
    with pytest.raises(ConsultationError, match="not for this consultation's audience"):
        c.check_accepts(TODAY, panel_member_id=uuid4())
    with pytest.raises(ConsultationError, match="invited panel members only"):
        c.check_accepts(TODAY, panel_member_id=None)
    open_to_all, _ = published(anonymous_allowed=True)
    open_to_all.check_accepts(TODAY, panel_member_id=None)


def test_a_response_is_saved_as_often_as_wanted_and_submitted_once():
    c, (alice, _) = published()
    r = Response.start(consultation=c, panel_member_id=alice, id=response_id(c.id, alice), actor=OFFICER, at=AT,
                       answers={"1": ["Sat"]})  # fmt: skip
    r.save_answers(actor=OFFICER, at=AT, answers={"1": ["Sun"]})
    r.submit(actor=OFFICER, at=AT, answers={"1": ["Sun"], "2": 4})
    with pytest.raises(ConsultationError, match=r"already responded .* each person answers once"):
        r.submit(actor=OFFICER, at=AT, answers={"1": ["Sat"]})
    assert response_id(c.id, alice) == r.id  # one per person and consultation


def test_closing_on_schedule_then_the_outcome():
    c, _ = published()
    with pytest.raises(ConsultationError, match="publish the outcome once the consultation has closed"):
        c.publish_outcome(actor=OFFICER, at=AT, outcome="We open on Saturdays")
    with pytest.raises(ConsultationError, match="open until the end of 20 March 2026"):
        c.close(actor=OFFICER, at=AT, today=date(2026, 3, 20))
    c.close(actor=OFFICER, at=AT, today=date(2026, 3, 21))
    with pytest.raises(InvalidInput, match="say what came of"):
        c.publish_outcome(actor=OFFICER, at=AT, outcome=" ")
    c.publish_outcome(actor=OFFICER, at=AT, outcome="We open on Saturdays")
    assert c.stage is Stage.OUTCOME_PUBLISHED
    with pytest.raises(ConsultationError, match="already published"):
        c.publish_outcome(actor=OFFICER, at=AT, outcome="Again")


def test_panel_membership_consent_and_leaving():
    with pytest.raises(InvalidInput, match="cannot be in the future"):
        PanelMember.join(id=uuid4(), actor=OFFICER, at=AT, joined_by="officer", consent_on=date(2026, 3, 3),
                         today=TODAY)  # fmt: skip
    added = PanelMember.join(id=uuid4(), actor=OFFICER, at=AT, joined_by="officer", consent_on=TODAY, today=TODAY)
    assert added.active
    signed_up = PanelMember.join(id=uuid4(), actor=OFFICER, at=AT, joined_by=JoinedBy.SIGN_UP, consent_on=TODAY,
                                 today=TODAY)  # fmt: skip
    assert not signed_up.active  # contacted only once they confirm their address
    signed_up.confirm(actor=OFFICER, at=AT)
    assert signed_up.active
    added.leave(actor=OFFICER, at=AT, on=TODAY, by_themselves=True)
    assert not added.active
    with pytest.raises(PanelError, match="left the panel on 2 March 2026"):
        added.leave(actor=OFFICER, at=AT, on=TODAY, by_themselves=False)
