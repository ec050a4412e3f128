"""Two writers, one record: the first save wins, the second is told so, and nothing is lost.

Saving is optimistic (application/hub.py): a writer that loaded an older version of a body cannot
overwrite a newer one. These tests run on the SQLite file and on PostgreSQL.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import date
from typing import Any
from uuid import UUID

import pytest

from application.errors import ConflictError, DuplicateError
from application.hub import MembershipResult, PartnershipHub
from application.settings import Settings
from domain.actor import Actor
from domain.body import Body, Decision

OFFICER_A = Actor("officer-a", "partnership_officer")
OFFICER_B = Actor("officer-b", "partnership_officer")
DECISION = Decision(reason="Recommended by the PDS Committee", effective_date=date(2026, 4, 1))
THREADS = 8


@pytest.fixture
def two_hubs(database_url: str, clock: Any) -> Iterator[tuple[PartnershipHub, PartnershipHub]]:
    first = PartnershipHub(Settings.for_url(database_url), clock=clock)
    second = PartnershipHub(Settings.for_url(database_url), clock=clock)
    yield first, second
    first.close()
    second.close()


def establish(hub: PartnershipHub, name: str = "Carers Forum") -> UUID:
    return hub.establish_body(
        OFFICER_A, name=name, kind="consultative_group", decision=DECISION, annual_funding_pence=1_855_000
    )


def add_member(hub: PartnershipHub, body_id: UUID, person: str, actor: Actor = OFFICER_A, **kw: Any):
    return hub.add_member(
        actor,
        body_id,
        person=person,
        role="member",
        representation="carer",
        effective_date=date(2026, 4, 1),
        **kw,
    )


def stored(database_url: str, clock: Any, body_id: UUID) -> tuple[Body, list[Any]]:
    """The body and its events as a third, fresh reader sees them."""
    reader = PartnershipHub(Settings.for_url(database_url), clock=clock)
    try:
        return reader.body(body_id), list(reader.events.get(body_id))
    finally:
        reader.close()


def test_two_hubs_see_the_same_body(two_hubs: tuple[PartnershipHub, PartnershipHub]) -> None:
    first, second = two_hubs
    body_id = establish(first)
    assert second.body(body_id).name == "Carers Forum"


def test_the_first_save_wins_and_the_second_is_refused_naming_the_body(
    two_hubs: tuple[PartnershipHub, PartnershipHub], database_url: str, clock: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, second = two_hubs
    body_id = establish(first)

    # The second hub loads the body; before it saves, the first hub loads and saves its own change.
    load = second._get

    def load_then_let_the_first_hub_save(cls: type, id: UUID, expected_version: int | None = None) -> Any:
        body = load(cls, id, expected_version)
        first.change_funding(OFFICER_A, body_id, annual_funding_pence=3_000_000, decision=DECISION)
        return body

    monkeypatch.setattr(second, "_get", load_then_let_the_first_hub_save)
    with pytest.raises(ConflictError) as err:
        second.adopt_terms_of_reference(OFFICER_B, body_id, text="Officer B's draft", decision=DECISION)
    monkeypatch.undo()

    conflict = err.value
    assert "body 'Carers Forum' was changed by someone else" in str(conflict)
    assert "nothing you sent was saved: reload the latest version" in str(conflict)
    assert (conflict.name, conflict.id, conflict.current_version) == ("Carers Forum", body_id, 2)

    body, events = stored(database_url, clock, body_id)
    assert body.annual_funding_pence == 3_000_000  # the first change is kept
    assert body.terms_of_reference is None  # the second is not half-written
    assert [type(e).__name__ for e in events] == ["Established", "FundingChanged"]
    assert [e.actor for e in events] == ["officer-a", "officer-a"]
    # Nothing is lost: the second writer reloads and makes the change again.
    second.adopt_terms_of_reference(OFFICER_B, body_id, text="Officer B's draft", decision=DECISION)
    body, events = stored(database_url, clock, body_id)
    assert (body.annual_funding_pence, body.terms_of_reference) == (3_000_000, "Officer B's draft")
    assert body.version == 3


def test_two_hubs_changing_with_the_same_expected_version(
    two_hubs: tuple[PartnershipHub, PartnershipHub], database_url: str, clock: Any
) -> None:
    first, second = two_hubs
    body_id = establish(first)
    seen = second.body(body_id).version
    first.change_funding(OFFICER_A, body_id, annual_funding_pence=0, decision=DECISION, expected_version=seen)
    with pytest.raises(ConflictError, match="body 'Carers Forum' was changed by someone else") as err:
        second.change_funding(OFFICER_B, body_id, annual_funding_pence=500, decision=DECISION, expected_version=seen)
    assert err.value.current_version == 2
    body, events = stored(database_url, clock, body_id)
    assert body.annual_funding_pence == 0
    assert len(events) == 2


def test_threads_adding_members_from_one_read_exactly_one_wins(hub: PartnershipHub) -> None:
    body_id = establish(hub)
    seen = hub.body(body_id).version
    start = threading.Barrier(THREADS)
    outcomes: dict[int, Any] = {}

    def join(n: int) -> None:
        start.wait()
        try:
            outcomes[n] = add_member(hub, body_id, f"Person {n}", expected_version=seen)
        except Exception as error:  # every outcome is examined below
            outcomes[n] = error

    threads = [threading.Thread(target=join, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads)

    winners = [n for n, outcome in outcomes.items() if isinstance(outcome, MembershipResult)]
    losers = {n: outcome for n, outcome in outcomes.items() if n not in winners}
    assert len(winners) == 1, outcomes
    assert all(isinstance(outcome, ConflictError) for outcome in losers.values()), losers
    for conflict in losers.values():
        assert conflict.name == "Carers Forum"
        assert conflict.id == body_id
        assert conflict.current_version == seen + 1
        assert "was changed by someone else" in str(conflict)

    body = hub.body(body_id)
    assert body.version == seen + 1
    assert [m.person for m in body.current_members()] == [f"Person {winners[0]}"]
    assert outcomes[winners[0]].version == seen + 1


def test_threads_on_separate_hubs_adding_members_exactly_one_wins(database_url: str, clock: Any) -> None:
    # As separate worker processes would: one application each, one database.
    hubs = [PartnershipHub(Settings.for_url(database_url), clock=clock) for _ in range(THREADS)]
    try:
        body_id = establish(hubs[0])
        bodies = [h.body(body_id) for h in hubs]  # every worker reads before anyone writes
        assert {b.version for b in bodies} == {1}
        start = threading.Barrier(THREADS)
        outcomes: dict[int, Any] = {}

        def join(n: int) -> None:
            start.wait()
            try:
                outcomes[n] = add_member(hubs[n], body_id, f"Person {n}", expected_version=1)
            except Exception as error:
                outcomes[n] = error

        threads = [threading.Thread(target=join, args=(n,)) for n in range(THREADS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        winners = [n for n, o in outcomes.items() if isinstance(o, MembershipResult)]
        assert len(winners) == 1, outcomes
        assert all(isinstance(o, ConflictError) for n, o in outcomes.items() if n not in winners), outcomes
        body, events = stored(database_url, clock, body_id)
        assert [m.person for m in body.current_members()] == [f"Person {winners[0]}"]
        assert len(events) == 2
    finally:
        for h in hubs:
            h.close()


def test_a_stale_expected_version_is_refused_with_the_current_version(hub: PartnershipHub) -> None:
    body_id = establish(hub)
    add_member(hub, body_id, "Ann Carer")
    add_member(hub, body_id, "Sam User")
    before = hub.recorder.max_notification_id()
    with pytest.raises(ConflictError, match="body 'Carers Forum' was changed by someone else") as err:
        add_member(hub, body_id, "Pat Late", expected_version=1)
    assert (err.value.current_version, err.value.id, err.value.name) == (3, body_id, "Carers Forum")
    assert hub.recorder.max_notification_id() == before
    assert [m.person for m in hub.body(body_id).current_members()] == ["Ann Carer", "Sam User"]
    # The version the caller now sees is accepted.
    result = add_member(hub, body_id, "Pat Late", expected_version=3)
    assert result.version == 4


def test_every_body_command_checks_the_expected_version(hub: PartnershipHub) -> None:
    body_id = establish(hub)
    add_member(hub, body_id, "Ann Carer")
    for command, extra in (("change_funding", {"annual_funding_pence": 0}), ("end_body", {}), ("maintain_body", {})):
        with pytest.raises(ConflictError) as err:
            getattr(hub, command)(OFFICER_A, body_id, decision=DECISION, expected_version=1, **extra)
        assert err.value.current_version == 2, command
    assert hub.body(body_id).version == 2


def test_a_second_body_with_the_same_name_is_a_duplicate(hub: PartnershipHub) -> None:
    body_id = establish(hub)
    before = hub.recorder.max_notification_id()
    # Names are compared without regard to case or spacing.
    for name in ("Carers Forum", "carers forum", "  Carers   FORUM "):
        with pytest.raises(DuplicateError, match="a body named 'Carers Forum' already exists"):
            hub.establish_body(OFFICER_B, name=name, kind="stakeholder_conference", decision=DECISION)
    assert hub.recorder.max_notification_id() == before
    body = hub.body(body_id)
    assert (body.kind.value, body.version) == ("consultative_group", 1)


def test_a_duplicate_from_another_hub_is_refused_too(two_hubs: tuple[PartnershipHub, PartnershipHub]) -> None:
    first, second = two_hubs
    establish(first)
    with pytest.raises(DuplicateError, match="already exists"):
        establish(second)
    assert first.find_body("Carers Forum") is not None
