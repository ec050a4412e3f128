"""The public's reads of a body (projections/queries/public_bodies.py) on SQLite and PostgreSQL: no name of
a member anywhere in what they return, membership counted by role and representation, the history's
membership entries without names or reasons, and the directory's name search taking % and _ literally."""

from __future__ import annotations

import json
from datetime import date

from application.hub import PartnershipHub
from domain.history import public_sentence
from projections.queries.public_bodies import public_body, public_directory, public_history, public_membership
from tests.conftest import Clock, read_models_of
from tests.support.public_body import NAMES, build_public_body


def test_the_public_reads_of_a_body_hold_no_names(hub: PartnershipHub, clock: Clock) -> None:
    story = build_public_body(hub, clock)
    read_models = read_models_of(hub)
    read_models.catch_up()
    today = clock.now.date()
    with read_models.engine.connect() as connection:
        body = public_body(connection, story.body_id, today=today)
        membership = public_membership(connection, story.body_id)
        history = public_history(connection, story.body_id, newest_first=False)
        directory = public_directory(connection, today=today, q="carers")
        literal = public_directory(connection, today=today, q="%")
    read_models.close()
    assert body is not None and body["name"] == "Carers Forum"
    assert body["kind_label"] == "service user consultative group"
    assert "chair" not in body and "annual_funding_pence" not in body
    # The election made the carer chair and the service user vice-chair: the roles show, the names do not.
    assert [(m["role_label"], m["representation_label"], m["members"], m["voting"]) for m in membership] == [
        ("Chair", "Carer", 1, 1),
        ("Vice-chair", "Service user", 1, 1),
    ]
    sentences = [row["sentence"] for row in history.items]
    assert sentences[:2] == [
        "Established Carers Forum as a service user consultative group",
        "Adopted terms of reference (version 1)",
    ]
    assert "A member left as member representing carer" in sentences
    whole = json.dumps(history.items, default=str) + json.dumps(body, default=str)
    for name in NAMES:
        assert name not in whole
    assert "Leeds" not in whole
    assert [b["id"] for b in directory.items] == [story.body_id]
    assert literal.items == []


def test_public_sentences() -> None:
    changes = {"member_id": "m1", "role": "chair", "representation": "service_user"}
    assert public_sentence("member_joined", "Ann joined as chair representing service user", changes) == (
        "A member joined as chair representing service user"
    )
    assert public_sentence("member_joined", "Ann joined as chair representing service user (no vote)", changes) == (
        "A member joined as chair representing service user (no vote)"
    )
    assert public_sentence("member_left", "Ann left as chair representing service user: moved", changes) == (
        "A member left as chair representing service user"
    )
    assert public_sentence("member_left", "Member m1 left: moved", {"member_id": "m1"}) == "A member left"
    assert public_sentence(
        "officers_elected",
        f"Chair and vice-chair elected on {date(2026, 3, 3):%-d %B %Y}: Ann as chair and Bob as vice-chair",
        {},
    ) == ("Chair and vice-chair elected on 3 March 2026")
    # Amounts and contract terms stay on the officers' pages, as on the public body page.
    assert public_sentence("funding_changed", "Funding changed from no funding to £100 a year", {}) == (
        "Funding changed"
    )
    extended = "Contract extended to 31 March 2027 with a 3-month break clause"
    assert public_sentence("contract_extended", extended, {}) == "Contract extended"
    corrected = "The annual funding was corrected from £100 a year to £1,000 a year; the earlier …"
    assert public_sentence("corrected", corrected, {"annual_funding_pence": {"before": 1, "after": 2}}) == (
        "The annual funding was corrected"
    )
    purpose = "The purpose was corrected from A to B; the earlier wording had been recorded on 3 March 2026"
    assert public_sentence("corrected", purpose, {"purpose": {"before": "A", "after": "B"}}) == purpose
