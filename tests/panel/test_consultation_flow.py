"""Rule A4 end to end below the web: panel members, a consultation through its stages, responses and
results, on SQLite and PostgreSQL, through the dispatcher and the read models."""

from __future__ import annotations

from datetime import date

import pytest

from application.bootstrap import Services
from application.errors import DuplicateError
from domain.consultation import ConsultationError
from domain.errors import InvalidInput
from domain.panel import PanelError
from projections.queries import consultations as q
from projections.reminders import reminders
from tests.conftest import Clock
from tests.panel.conftest import OFFICER
from tests.support.tables import dump


def add_member(services: Services, name: str, email: str, **extra) -> object:
    data = {"name": name, "email": email, "consent_on": "2026-03-01", **extra}
    return services.dispatcher.run("add_panel_member", OFFICER, data=data).subject_id


def drafted(services: Services, **extra) -> object:
    data = {
        "title": "Weekend day centres",
        "summary": "Should day centres open on Saturdays?",
        "concerns": "Adult day services",
        "audience": "whole_panel",
        "opens_on": "2026-03-02",
        "closes_on": "2026-03-20",
        **extra,
    }
    cid = services.dispatcher.run("draft_consultation", OFFICER, data=data).subject_id
    run = services.dispatcher.run
    days = {"question": "Which days suit you?", "kind": "multiple_choice", "options": ["Saturday", "Sunday"]}
    run("add_question", OFFICER, subject_id=cid, data={**days, "required": True})
    run("add_question", OFFICER, subject_id=cid, data={"question": "How good is it now?", "kind": "scale"})
    run("add_question", OFFICER, subject_id=cid, data={"question": "Anything else?", "kind": "free_text"})
    return cid


def test_a_consultation_from_draft_to_outcome(services: Services, panel_clock: Clock) -> None:
    hub, run = services.hub, services.dispatcher.run
    alice = add_member(services, "Alice Example", "alice@example.org", interests=["Day services"])
    bob = add_member(services, "Bob Example", "bob@example.org")
    with pytest.raises(DuplicateError, match="already on the panel"):
        add_member(services, "Alice Again", "ALICE@example.org")
    cid = drafted(services)
    run("publish_consultation", OFFICER, subject_id=cid)

    # Alice saves, comes back, and sends; Bob sends at once; a second send is refused.
    hub.save_response(cid, alice, {"1": ["Saturday"]}, submit=False)
    assert hub.response_of(cid, alice).answers == {"1": ["Saturday"]}
    hub.save_response(cid, alice, {"1": ["Saturday", "Sunday"], "2": "4", "3": "Later opening"}, submit=True)
    hub.save_response(cid, bob, {"1": ["Saturday"], "2": 2}, submit=True)
    with pytest.raises(ConsultationError, match="already responded"):
        hub.save_response(cid, bob, {"1": ["Sunday"]}, submit=True)
    with pytest.raises(InvalidInput, match="answer question 1"):
        hub.save_response(cid, alice, {"2": 3}, submit=True)
    with pytest.raises(ConsultationError, match="invited panel members only"):
        hub.save_response(cid, None, {"1": ["Sunday"]}, submit=True)

    services.refresh()
    with services.reading() as connection:
        row = q.consultation(connection, cid)
        figures = q.results(connection, cid, with_text=True)
        public = q.results(connection, cid)
        invitations = connection.execute(
            reminders.select().where(reminders.c.subject_id == str(cid), reminders.c.rule == "consultation_invitation")
        ).fetchall()
    assert (row["stage"], row["invited"], row["responses"]) == ("published", 2, 2)
    days = figures[0]["choices"]
    assert [(c["choice"], c["count"], c["percent"]) for c in days] == [("Saturday", 2, 100.0), ("Sunday", 1, 50.0)]
    assert [c["count"] for c in figures[1]["choices"]] == [0, 1, 0, 1, 0]
    assert figures[2]["texts"] == ["Later opening"] and public[2]["texts"] == []
    assert len(invitations) == 2

    # Closed by the scheduler's step only after the close date; then the outcome.
    assert hub.close_due(OFFICER, [cid]) == []
    panel_clock.advance(days=19)
    with pytest.raises(ConsultationError, match="closed on 20 March 2026"):
        hub.save_response(cid, alice, {"1": ["Sunday"]}, submit=False)
    assert hub.close_due(OFFICER, [cid]) == [cid]
    run("publish_outcome", OFFICER, subject_id=cid, data={"outcome": "We open on Saturdays from May."})
    services.refresh()
    with services.reading() as connection:
        row = q.consultation(connection, cid, public_only=True)
        outcome_letters = connection.execute(
            reminders.select().where(reminders.c.subject_id == str(cid), reminders.c.rule == "consultation_outcome")
        ).fetchall()
    assert row["stage"] == "outcome_published" and row["outcome"] == "We open on Saturdays from May."
    assert "invited" not in row
    assert len(outcome_letters) == 2

    # A rebuild from the events gives the same rows, answers and figures included.
    incremental = dump(services.read_models.engine)
    assert all(incremental[t.name] for t in services.read_models.projections["consultations"].view.read_tables)
    services.read_models.rebuild()
    assert dump(services.read_models.engine) == incremental


def test_a_person_who_left_is_refused_and_not_invited(services: Services) -> None:
    hub, run = services.hub, services.dispatcher.run
    alice = add_member(services, "Alice Example", "alice@example.org")
    carol = add_member(services, "Carol Example", "carol@example.org")
    cid = drafted(services)
    run("publish_consultation", OFFICER, subject_id=cid)
    hub.leave_panel(alice)
    with pytest.raises(PanelError, match="you left the panel on 2 March 2026"):
        hub.check_link(cid, alice)
    with pytest.raises(PanelError, match="left the panel"):
        run("remove_panel_member", OFFICER, subject_id=alice)
    run("remove_panel_member", OFFICER, subject_id=carol)
    later = drafted(services)
    with pytest.raises(ConsultationError, match="nobody on the panel"):
        run("publish_consultation", OFFICER, subject_id=later)
    assert hub.panel.get(alice).left_on == date(2026, 3, 2)


def test_an_audience_by_interest_and_anonymous_public_responses(services: Services) -> None:
    hub, run = services.hub, services.dispatcher.run
    add_member(services, "Alice Example", "alice@example.org", interests=["Carers"])
    add_member(services, "Bob Example", "bob@example.org", interests=["Mental health"])
    cid = drafted(services, audience="interested", topic="carers", anonymous_allowed=True)
    run("publish_consultation", OFFICER, subject_id=cid)
    with pytest.raises(ConsultationError, match="sent in one go"):
        hub.save_response(cid, None, {"1": ["Sunday"]}, submit=False)
    hub.save_response(cid, None, {"1": ["Sunday"]}, submit=True)
    hub.save_response(cid, None, {"1": ["Saturday"]}, submit=True)
    services.refresh()
    with services.reading() as connection:
        row = q.consultation(connection, cid)
    assert (row["invited"], row["responses"]) == (1, 2)


def test_one_reminder_before_closing_to_those_yet_to_answer(services: Services, panel_clock: Clock) -> None:
    hub, run = services.hub, services.dispatcher.run
    alice = add_member(services, "Alice Example", "alice@example.org")
    add_member(services, "Bob Example", "bob@example.org")
    cid = drafted(services)
    run("publish_consultation", OFFICER, subject_id=cid)
    hub.save_response(cid, alice, {"1": ["Sunday"]}, submit=True)
    assert hub.remind_closing(OFFICER, [cid]) == 0  # 20 March is more than 3 days away
    panel_clock.advance(days=15)  # 17 March
    assert hub.remind_closing(OFFICER, [cid]) == 1  # Bob only: Alice has answered
    assert hub.remind_closing(OFFICER, [cid]) == 0  # once each, however often the job runs
