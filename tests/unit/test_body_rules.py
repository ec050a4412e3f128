"""The rules of a partnership body, tested on domain.body.Body alone (no database, no clock).

Rules: A1-A8 (kinds, time limits, funding), B2-B5 (membership, votes, 70% share, chairs and
elections), F1-F4 (governance changes, each recording who, when and why).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any
from uuid import uuid4

import pytest

from domain.actor import Actor
from domain.body import Body, Decision, add_months
from domain.errors import BodyClosed, DomainError, InvalidInput
from domain.vocabulary import EXECUTIVE_DIRECTOR, BodyKind, BodyStatus, MemberRole, Representation

AT = datetime(2013, 7, 1, 10, 30, tzinfo=UTC)
OFFICER = Actor("dmantell", "partnership_officer", "Denise Mantell")
PORTFOLIO_HOLDER = "Portfolio Holder for Care Services"
START = date(2008, 4, 1)
SEPT_2013 = date(2013, 9, 1)
MARCH_2014 = date(2014, 3, 31)
MARCH_2015 = date(2015, 3, 31)

SU = Representation.SERVICE_USER
CARER = Representation.CARER
AGENCY = Representation.RELEVANT_PARTNER_AGENCY
VOLUNTARY = Representation.VOLUNTARY_SECTOR


def decision(reason: str = "Recommended by the Care Services PDS Committee", effective: date | None = SEPT_2013):
    return Decision(reason=reason, effective_date=effective, decided_by=PORTFOLIO_HOLDER, decision_ref="CS13/045")


def establish(kind: BodyKind | str = BodyKind.PARTNERSHIP_BOARD, name: str = "Carers Partnership Board", **kw: Any):
    kw.setdefault("decision", decision("Set up under the 2008 framework", START))
    if kind == BodyKind.TASK_AND_FINISH_GROUP:
        kw.setdefault("until", MARCH_2014)
    body = Body.establish(id=uuid4(), actor=OFFICER, at=AT, name=name, kind=kind, **kw)
    body.collect_events()
    return body


def add(body: Body, member_id: str, person: str, rep=SU, role=MemberRole.MEMBER, joined=SEPT_2013, position=""):
    return body.add_member(
        actor=OFFICER,
        at=AT,
        member_id=member_id,
        person=person,
        role=role,
        representation=rep,
        effective_date=joined,
        position=position,
    )


def only_event(body: Body) -> Any:
    events = body.collect_events()
    assert len(events) == 1, events
    return events[0]


def assert_unchanged(body: Body, version: int) -> None:
    assert body.version == version
    assert body.collect_events() == []


def carers_forum() -> Body:
    """An active consultative group with a funded contract and two user-side members."""
    body = establish(
        BodyKind.CONSULTATIVE_GROUP,
        "Carers Forum",
        annual_funding_pence=1_855_000,
        contract_end=MARCH_2014,
        break_clause_months=3,
    )
    add(body, "m1", "Ann Carer", CARER)
    add(body, "m2", "Sam User", SU)
    body.collect_events()
    return body


# Every governance change (rule F1) as a call that succeeds on carers_forum().
# ``other`` is a second, active body for replace and merge.
GOVERNANCE_CHANGES: dict[str, Callable[[Body, Body, Decision, Actor], None]] = {
    "adopt_terms_of_reference": lambda b, o, d, a: b.adopt_terms_of_reference(
        actor=a, at=AT, text="The forum advises on carers' services.", decision=d
    ),
    "change_funding": lambda b, o, d, a: b.change_funding(actor=a, at=AT, annual_funding_pence=0, decision=d),
    "extend_contract": lambda b, o, d, a: b.extend_contract(
        actor=a, at=AT, until=MARCH_2015, decision=d, break_clause_months=3
    ),
    "transform": lambda b, o, d, a: b.transform(
        actor=a,
        at=AT,
        into=BodyKind.TASK_AND_FINISH_GROUP,
        until=MARCH_2014,
        task="deliver the carers strategy",
        decision=d,
    ),
    "replace_with": lambda b, o, d, a: b.replace_with(actor=a, at=AT, successor=o, decision=d),
    "merge_into": lambda b, o, d, a: b.merge_into(actor=a, at=AT, target=o, decision=d),
    "give_self_funding_option": lambda b, o, d, a: b.give_self_funding_option(
        actor=a, at=AT, council_funding_until=MARCH_2014, decision=d
    ),
    "transfer_to_provider_forum": lambda b, o, d, a: b.transfer_to_provider_forum(
        actor=a, at=AT, under="Bromley Care Providers Forum", decision=d
    ),
    "maintain": lambda b, o, d, a: b.maintain(actor=a, at=AT, decision=d),
    "end": lambda b, o, d, a: b.end(actor=a, at=AT, decision=d),
    "correct": lambda b, o, d, a: b.correct(
        actor=a,
        at=AT,
        corrects_version=1,
        corrects_event="Established",
        field="purpose",
        value="Speaks for carers",
        decision=d,
    ),
}


def change_body(change: str, body: Body, other: Body, ruling: Decision, actor: Actor = OFFICER) -> None:
    GOVERNANCE_CHANGES[change](body, other, ruling, actor)


MEMBERSHIP_CHANGES: dict[str, Callable[[Body], Any]] = {
    "add_member": lambda b: add(b, "m3", "New Person", SU),
    "remove_member": lambda b: b.remove_member(
        actor=OFFICER, at=AT, member_id="m1", effective_date=date(2013, 10, 1), reason="Moved away"
    ),
    "record_election": lambda b: b.record_election(
        actor=OFFICER, at=AT, chair_id="m1", vice_chair_id="m2", election_date=date(2013, 10, 1)
    ),
}


# ------------------------------------------------------------------ establishing


@pytest.mark.parametrize("kind", list(BodyKind), ids=lambda k: k.value)
def test_every_kind_of_body_can_be_established(kind: BodyKind) -> None:
    until = MARCH_2014 if kind is BodyKind.TASK_AND_FINISH_GROUP else None
    body = Body.establish(
        id=uuid4(),
        actor=OFFICER,
        at=AT,
        name=f"  The {kind.label}  ",
        kind=kind.value,
        purpose=" To advise ",
        accountability=["Health and Wellbeing Board"],
        decision=decision(effective=SEPT_2013),
        until=until,
    )
    assert body.kind is kind
    assert body.name == f"The {kind.label}"
    assert body.purpose == "To advise"
    assert body.accountability == ["Health and Wellbeing Board"]
    assert body.established_on == SEPT_2013
    assert body.status is (BodyStatus.TIME_LIMITED if until else BodyStatus.ACTIVE)
    assert body.until == until
    # Rule C1: conferences and consultative groups meet twice a year; rule C3: groups meet in public.
    twice = kind in (BodyKind.STAKEHOLDER_CONFERENCE, BodyKind.CONSULTATIVE_GROUP)
    assert body.meets_per_year == (2 if twice else None)
    assert body.open_to_public is (kind is BodyKind.CONSULTATIVE_GROUP)
    event = only_event(body)
    assert isinstance(event, Body.Established)
    assert (event.actor, event.actor_role) == ("dmantell", "partnership_officer")
    assert event.reason == "Recommended by the Care Services PDS Committee"
    assert event.effective_date == SEPT_2013
    assert event.decided_by == PORTFOLIO_HOLDER
    assert event.decision_ref == "CS13/045"
    assert event.timestamp == AT


def test_an_unknown_kind_is_refused_and_the_allowed_kinds_listed() -> None:
    with pytest.raises(InvalidInput, match=r"not a kind of body; use one of .*consultative_group") as err:
        establish("working_party")
    assert err.value.field == "kind"


def test_a_blank_name_is_refused() -> None:
    with pytest.raises(InvalidInput, match="name: must not be blank"):
        establish(name="   ")


def test_a_task_and_finish_group_needs_an_end_date() -> None:
    with pytest.raises(InvalidInput, match="time-limited: give its end date") as err:
        Body.establish(
            id=uuid4(),
            actor=OFFICER,
            at=AT,
            name="Mobility Forum",
            kind=BodyKind.TASK_AND_FINISH_GROUP,
            decision=decision(),
        )
    assert err.value.field == "until"
    assert err.value.rule == "A5"


def test_a_task_and_finish_group_with_an_end_date_is_time_limited_until_then() -> None:
    body = establish(BodyKind.TASK_AND_FINISH_GROUP, "Mobility Forum", until=MARCH_2014, decision=decision())
    assert body.status is BodyStatus.TIME_LIMITED
    assert body.until == MARCH_2014


@pytest.mark.parametrize("until", [SEPT_2013, date(2013, 8, 31)], ids=["same-day", "before"])
def test_an_end_date_must_come_after_the_start(until: date) -> None:
    with pytest.raises(InvalidInput, match="end date must be after the date the body starts") as err:
        establish(BodyKind.TASK_AND_FINISH_GROUP, "Mobility Forum", until=until, decision=decision())
    assert err.value.field == "until"


def test_any_kind_given_an_end_date_is_time_limited() -> None:
    body = establish(BodyKind.PARTNERSHIP_BOARD, until=MARCH_2014)
    assert body.status is BodyStatus.TIME_LIMITED


def test_defaults_for_meetings_and_public_access_can_be_overridden() -> None:
    body = establish(BodyKind.CONSULTATIVE_GROUP, "Parent Voice", meets_per_year=4, open_to_public=False)
    assert (body.meets_per_year, body.open_to_public) == (4, False)


# ------------------------------------------------------------------- funding (F2)


@pytest.mark.parametrize("pence", [0, 3_833_900, None], ids=["nothing", "38339-pounds", "not-stated"])
def test_funding_is_recorded_in_whole_pence(pence: int | None) -> None:
    body = establish(annual_funding_pence=pence)
    assert body.annual_funding_pence == pence


BAD_PENCE = [
    pytest.param(-1, "must not be negative", id="negative"),
    pytest.param(38339.5, "whole pence", id="float"),
    pytest.param(Decimal("38339"), "whole pence", id="decimal"),
    pytest.param("3833900", "whole pence", id="string"),
    pytest.param(True, "whole pence", id="bool"),
]


@pytest.mark.parametrize(("pence", "message"), BAD_PENCE)
def test_funding_on_establishing_must_be_whole_non_negative_pence(pence: Any, message: str) -> None:
    with pytest.raises(InvalidInput, match=message) as err:
        establish(annual_funding_pence=pence)
    assert err.value.field == "annual_funding_pence"


@pytest.mark.parametrize(("pence", "message"), BAD_PENCE)
def test_changed_funding_must_be_whole_non_negative_pence(pence: Any, message: str) -> None:
    body = carers_forum()
    with pytest.raises(InvalidInput, match=message) as err:
        body.change_funding(actor=OFFICER, at=AT, annual_funding_pence=pence, decision=decision())
    assert err.value.field == "annual_funding_pence"
    assert body.annual_funding_pence == 1_855_000
    assert_unchanged(body, 3)


def test_changing_funding_records_the_amount_before_and_after() -> None:
    body = carers_forum()
    body.change_funding(
        actor=OFFICER,
        at=AT,
        annual_funding_pence=3_000_000,
        council_funding_until=MARCH_2014,
        decision=decision(),
    )
    assert body.annual_funding_pence == 3_000_000
    assert body.council_funding_until == MARCH_2014
    event = only_event(body)
    assert isinstance(event, Body.FundingChanged)
    assert (event.previous_pence, event.annual_funding_pence) == (1_855_000, 3_000_000)


def test_funding_unchanged_is_refused_as_nothing_to_change() -> None:
    body = carers_forum()
    with pytest.raises(DomainError, match="already has that funding; nothing to change"):
        body.change_funding(actor=OFFICER, at=AT, annual_funding_pence=1_855_000, decision=decision())
    assert_unchanged(body, 3)


@pytest.mark.parametrize("months", [0, 25, -3])
def test_a_break_clause_is_between_1_and_24_months(months: int) -> None:
    with pytest.raises(InvalidInput, match="between 1 and 24 months") as err:
        establish(contract_end=MARCH_2014, break_clause_months=months)
    assert err.value.field == "break_clause_months"
    body = carers_forum()
    with pytest.raises(InvalidInput, match="between 1 and 24 months"):
        body.extend_contract(actor=OFFICER, at=AT, until=MARCH_2015, break_clause_months=months, decision=decision())
    assert_unchanged(body, 3)


@pytest.mark.parametrize("months", [1, 24])
def test_break_clause_limits_are_inclusive(months: int) -> None:
    assert establish(contract_end=MARCH_2014, break_clause_months=months).break_clause_months == months


def test_break_clause_notice_date_is_the_contract_end_less_the_clause() -> None:
    # F2: "contracts extended to 31 March 2014 with a 3-month break clause".
    body = establish(contract_end=MARCH_2014, break_clause_months=3)
    assert body.break_clause_notice_date() == date(2013, 12, 31)
    assert establish(contract_end=MARCH_2014).break_clause_notice_date() is None


def test_break_clause_notice_date_clamps_to_the_last_day_of_a_shorter_month() -> None:
    # One month before 31 May is 30 April (the last day of April), not 28 April.
    body = establish(contract_end=date(2014, 5, 31), break_clause_months=1)
    assert body.break_clause_notice_date() == date(2014, 4, 30)


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2014, 1, 15), 3, date(2014, 4, 15)),
        (date(2013, 12, 31), 3, date(2014, 3, 31)),
        (date(2014, 3, 31), -3, date(2013, 12, 31)),
        (date(2014, 1, 31), 1, date(2014, 2, 28)),
        (date(2024, 2, 29), 12, date(2025, 2, 28)),
        (date(2014, 3, 31), 1, date(2014, 4, 30)),
        (date(2013, 8, 31), 3, date(2013, 11, 30)),
    ],
    ids=["mid-month", "into-long-month", "backwards", "into-february", "leap-day", "31-into-30", "quarter-to-30"],
)
def test_add_months_keeps_the_day_or_clamps_to_the_months_last_day(day: date, months: int, expected: date) -> None:
    assert add_months(day, months) == expected


# ----------------------------------------------------------- contract extension


def test_a_contract_extension_moves_the_end_and_keeps_the_break_clause() -> None:
    body = carers_forum()
    body.extend_contract(actor=OFFICER, at=AT, until=MARCH_2015, decision=decision())
    assert body.contract_end == MARCH_2015
    assert body.break_clause_months == 3
    event = only_event(body)
    assert isinstance(event, Body.ContractExtended)
    assert (event.previous_end, event.until, event.break_clause_months) == (MARCH_2014, MARCH_2015, 3)


def test_a_contract_extension_can_change_the_break_clause() -> None:
    body = carers_forum()
    body.extend_contract(actor=OFFICER, at=AT, until=MARCH_2015, break_clause_months=6, decision=decision())
    assert body.break_clause_months == 6


@pytest.mark.parametrize("until", [MARCH_2014, date(2013, 12, 31)], ids=["same-day", "earlier"])
def test_a_contract_extension_must_end_after_the_current_end(until: date) -> None:
    body = carers_forum()
    with pytest.raises(InvalidInput, match="must end after the current contract end, 31 March 2014") as err:
        body.extend_contract(actor=OFFICER, at=AT, until=until, decision=decision())
    assert err.value.field == "until"
    assert body.contract_end == MARCH_2014
    assert_unchanged(body, 3)


def test_a_body_without_a_contract_can_be_given_one_by_extension() -> None:
    body = establish()
    body.extend_contract(actor=OFFICER, at=AT, until=MARCH_2014, decision=decision())
    assert body.contract_end == MARCH_2014


# ----------------------------------------------------------- terms of reference


def test_terms_of_reference_are_versioned() -> None:
    body = carers_forum()
    body.adopt_terms_of_reference(actor=OFFICER, at=AT, text=" Draft ToR ", decision=decision())
    body.adopt_terms_of_reference(actor=OFFICER, at=AT, text="Final ToR", decision=decision())
    assert (body.terms_of_reference, body.terms_of_reference_version) == ("Final ToR", 2)
    first, second = body.collect_events()
    assert (first.text, first.version, second.version) == ("Draft ToR", 1, 2)


def test_blank_terms_of_reference_are_refused() -> None:
    body = carers_forum()
    with pytest.raises(InvalidInput, match="text: must not be blank"):
        body.adopt_terms_of_reference(actor=OFFICER, at=AT, text="  ", decision=decision())
    assert_unchanged(body, 3)


# -------------------------------------------------------------------- transform


def test_transform_into_a_time_limited_project_group_records_until_and_task() -> None:
    body = carers_forum()
    change_body("transform", body, establish(), decision())
    assert body.kind is BodyKind.TASK_AND_FINISH_GROUP
    assert body.status is BodyStatus.TIME_LIMITED
    assert body.until == MARCH_2014
    assert body.task == "deliver the carers strategy"
    assert body.status_effective == SEPT_2013
    event = only_event(body)
    assert (event.previous_kind, event.new_kind) == ("consultative_group", "task_and_finish_group")


def test_transform_into_a_time_limited_project_group_needs_until() -> None:
    body = carers_forum()
    with pytest.raises(InvalidInput, match="time-limited project group needs its end date") as err:
        body.transform(actor=OFFICER, at=AT, into=BodyKind.TASK_AND_FINISH_GROUP, decision=decision())
    assert (err.value.field, err.value.rule) == ("until", "A5")
    assert body.kind is BodyKind.CONSULTATIVE_GROUP
    assert_unchanged(body, 3)


def test_transform_into_a_consultative_group_makes_it_public_and_twice_yearly() -> None:
    body = establish(BodyKind.PARTNERSHIP_BOARD)
    body.transform(actor=OFFICER, at=AT, into="consultative_group", decision=decision())
    assert body.kind is BodyKind.CONSULTATIVE_GROUP
    assert body.status is BodyStatus.ACTIVE
    assert (body.open_to_public, body.meets_per_year) == (True, 2)


def test_transform_into_what_it_already_is_is_refused() -> None:
    body = carers_forum()
    with pytest.raises(DomainError, match="already a service user consultative group; nothing to transform"):
        body.transform(actor=OFFICER, at=AT, into=BodyKind.CONSULTATIVE_GROUP, decision=decision())
    assert_unchanged(body, 3)


def test_transform_into_an_unknown_kind_is_refused() -> None:
    body = carers_forum()
    with pytest.raises(InvalidInput, match="'club' is not allowed; use one of"):
        body.transform(actor=OFFICER, at=AT, into="club", decision=decision())
    assert_unchanged(body, 3)


# ---------------------------------------------------------- replace and merge


def test_replace_with_a_time_limited_group_records_the_successor() -> None:
    body = carers_forum()
    successor = establish(BodyKind.TASK_AND_FINISH_GROUP, "Carers Strategy Group", until=MARCH_2014)
    body.replace_with(actor=OFFICER, at=AT, successor=successor, task=" refresh the strategy ", decision=decision())
    assert body.status is BodyStatus.REPLACED
    assert body.is_closed
    assert (body.successor_id, body.successor_name) == (successor.id, "Carers Strategy Group")
    assert body.status_effective == SEPT_2013
    assert body.task == "refresh the strategy"
    event = only_event(body)
    assert isinstance(event, Body.Replaced)
    assert (event.by_kind, event.until) == ("task_and_finish_group", MARCH_2014)


def test_merge_into_another_body_records_the_target() -> None:
    body = carers_forum()
    target = establish(BodyKind.STAKEHOLDER_CONFERENCE, "Adult Services Stakeholder Conference")
    body.merge_into(actor=OFFICER, at=AT, target=target, decision=decision())
    assert body.status is BodyStatus.MERGED
    assert body.is_closed
    assert (body.successor_id, body.successor_name) == (target.id, "Adult Services Stakeholder Conference")
    assert body.status_effective == SEPT_2013


@pytest.mark.parametrize("change", ["replace_with", "merge_into"])
def test_a_body_cannot_be_replaced_by_or_merged_into_itself(change: str) -> None:
    body = carers_forum()
    with pytest.raises(InvalidInput, match="cannot be replaced by or merged into itself"):
        change_body(change, body, body, decision())
    assert body.status is BodyStatus.ACTIVE
    assert_unchanged(body, 3)


@pytest.mark.parametrize("change", ["replace_with", "merge_into"])
def test_a_body_cannot_be_replaced_by_or_merged_into_a_closed_body(change: str) -> None:
    body = carers_forum()
    gone = establish(name="Old Board")
    gone.end(actor=OFFICER, at=AT, decision=decision())
    with pytest.raises(InvalidInput, match="Old Board is ended; choose a body that is active"):
        change_body(change, body, gone, decision())
    assert_unchanged(body, 3)


# ------------------------------------- self-funding, provider forum, maintain, end


def test_self_funding_option_keeps_council_funding_until_a_date() -> None:
    body = carers_forum()
    body.give_self_funding_option(actor=OFFICER, at=AT, council_funding_until=MARCH_2014, decision=decision())
    assert body.self_funding_option_until == MARCH_2014
    assert body.council_funding_until == MARCH_2014
    assert body.status is BodyStatus.ACTIVE


def test_transfer_to_provider_forum_changes_the_kind_and_records_under_whom() -> None:
    body = establish(BodyKind.SUPPORT_GROUP, "Domiciliary Care Providers Group")
    body.transfer_to_provider_forum(actor=OFFICER, at=AT, under=" Care Providers Forum ", decision=decision())
    assert body.kind is BodyKind.PROVIDER_FORUM
    assert body.provider_forum_under == "Care Providers Forum"
    assert only_event(body).previous_kind == "support_group"


def test_a_provider_forum_cannot_be_transferred_to_provider_forum_status() -> None:
    body = establish(BodyKind.PROVIDER_FORUM, "Care Providers Forum")
    with pytest.raises(DomainError, match="already a provider forum"):
        body.transfer_to_provider_forum(actor=OFFICER, at=AT, under="Someone", decision=decision())
    assert_unchanged(body, 1)


def test_transfer_to_provider_forum_must_say_under_whom() -> None:
    body = carers_forum()
    with pytest.raises(InvalidInput, match="under: must not be blank"):
        body.transfer_to_provider_forum(actor=OFFICER, at=AT, under=" ", decision=decision())
    assert_unchanged(body, 3)


def test_maintain_records_the_decision_and_changes_nothing_else() -> None:
    body = carers_forum()
    body.maintain(actor=OFFICER, at=AT, as_="user-led group", decision=decision())
    assert (body.kind, body.status, body.annual_funding_pence) == (
        BodyKind.CONSULTATIVE_GROUP,
        BodyStatus.ACTIVE,
        1_855_000,
    )
    event = only_event(body)
    assert isinstance(event, Body.Maintained)
    assert event.kind_as == "user-led group"


def test_end_closes_the_body_from_the_effective_date() -> None:
    body = carers_forum()
    body.end(actor=OFFICER, at=AT, decision=decision(effective=SEPT_2013))
    assert body.status is BodyStatus.ENDED
    assert body.is_closed
    assert body.status_effective == SEPT_2013
    assert only_event(body).remove_council_support is True


def test_end_can_keep_council_support() -> None:
    body = carers_forum()
    body.end(actor=OFFICER, at=AT, decision=decision(), remove_council_support=False)
    assert only_event(body).remove_council_support is False


# -------------------------------------------- who, when and why on every change (F4)


@pytest.mark.parametrize("change", list(GOVERNANCE_CHANGES))
def test_every_governance_change_records_actor_role_reason_and_effective_date(change: str) -> None:
    body = carers_forum()
    other = establish(BodyKind.STAKEHOLDER_CONFERENCE, "Adult Services Stakeholder Conference")
    ruling = Decision(
        reason="  Council support no longer needed  ",
        effective_date=date(2013, 11, 30),
        decided_by=PORTFOLIO_HOLDER,
        decision_ref="CS13/046",
    )
    change_body(change, body, other, ruling, actor=Actor("admin1", "administrator"))
    event = only_event(body)
    assert isinstance(event, Body.GovernanceEvent)
    assert (event.actor, event.actor_role) == ("admin1", "administrator")
    assert event.reason == "Council support no longer needed"
    assert event.effective_date == date(2013, 11, 30)
    assert event.decided_by == PORTFOLIO_HOLDER
    assert event.decision_ref == "CS13/046"
    assert event.timestamp == AT
    assert body.version == 4


@pytest.mark.parametrize("reason", ["", "   ", "\n\t"], ids=["empty", "spaces", "whitespace"])
@pytest.mark.parametrize("change", list(GOVERNANCE_CHANGES))
def test_every_governance_change_refuses_a_blank_reason(change: str, reason: str) -> None:
    body = carers_forum()
    other = establish(BodyKind.STAKEHOLDER_CONFERENCE, "Adult Services Stakeholder Conference")
    with pytest.raises(InvalidInput, match="reason: say why this change is being made") as err:
        change_body(change, body, other, decision(reason=reason))
    assert (err.value.field, err.value.rule) == ("reason", "F4")
    assert body.status is BodyStatus.ACTIVE
    assert_unchanged(body, 3)


def test_establishing_refuses_a_blank_reason() -> None:
    with pytest.raises(InvalidInput, match="reason: say why"):
        establish(decision=decision(reason=" "))


def test_membership_events_record_the_actor_and_dates() -> None:
    body = carers_forum()
    add(body, "m3", "Pat Carer", CARER, joined=date(2013, 9, 2))
    body.remove_member(actor=OFFICER, at=AT, member_id="m3", effective_date=date(2013, 9, 30), reason=" Resigned ")
    body.record_election(actor=OFFICER, at=AT, chair_id="m1", vice_chair_id="m2", election_date=date(2013, 10, 1))
    joined, left, elected = body.collect_events()
    for event in (joined, left, elected):
        assert (event.actor, event.actor_role) == ("dmantell", "partnership_officer")
        assert event.timestamp == AT
    assert joined.effective_date == date(2013, 9, 2)
    assert (left.effective_date, left.reason) == (date(2013, 9, 30), "Resigned")
    assert elected.election_date == date(2013, 10, 1)


# ------------------------------------------------- closed bodies accept corrections only


def _close(body: Body, how: str) -> None:
    successor = establish(BodyKind.STAKEHOLDER_CONFERENCE, f"Successor by {how}")
    change_body(how, body, successor, decision())
    body.collect_events()


CLOSINGS = {"end": BodyStatus.ENDED, "replace_with": BodyStatus.REPLACED, "merge_into": BodyStatus.MERGED}
REFUSED_WHEN_CLOSED = [c for c in GOVERNANCE_CHANGES if c != "correct"] + list(MEMBERSHIP_CHANGES)


@pytest.mark.parametrize("change", REFUSED_WHEN_CLOSED)
@pytest.mark.parametrize("how", list(CLOSINGS))
def test_a_closed_body_refuses_every_change_but_a_correction(how: str, change: str) -> None:
    body = carers_forum()
    _close(body, how)
    assert body.status is CLOSINGS[how]
    version = body.version
    other = establish(BodyKind.STAKEHOLDER_CONFERENCE, "Another Conference")
    with pytest.raises(BodyClosed, match=f"Carers Forum is {CLOSINGS[how].value} .*record a correction instead") as err:
        if change in MEMBERSHIP_CHANGES:
            MEMBERSHIP_CHANGES[change](body)
        else:
            change_body(change, body, other, decision())
    assert err.value.rule == "F4"
    assert body.status is CLOSINGS[how]
    assert_unchanged(body, version)


@pytest.mark.parametrize("change", list(MEMBERSHIP_CHANGES))
def test_the_membership_changes_refused_when_closed_work_when_open(change: str) -> None:
    # Guards the test above: these calls are refused only because the body is closed.
    body = carers_forum()
    MEMBERSHIP_CHANGES[change](body)
    assert body.version == 4


@pytest.mark.parametrize("how", list(CLOSINGS))
def test_a_closed_body_accepts_a_correction_naming_the_version_and_event(how: str) -> None:
    body = carers_forum()
    _close(body, how)
    body.correct(
        actor=OFFICER,
        at=AT,
        corrects_version=1,
        corrects_event="Established",
        field="annual_funding_pence",
        value=1_855_050,
        decision=decision("Typo in the imported amount"),
    )
    assert body.annual_funding_pence == 1_855_050
    assert body.status is CLOSINGS[how]
    event = only_event(body)
    assert isinstance(event, Body.Corrected)
    assert (event.corrects_version, event.corrects_event) == (1, "Established")
    assert (event.field, event.previous_value, event.value) == ("annual_funding_pence", 1_855_000, 1_855_050)
    assert event.reason == "Typo in the imported amount"


def test_a_correction_of_a_date_accepts_an_iso_string() -> None:
    body = establish(BodyKind.TASK_AND_FINISH_GROUP, "Mobility Forum", until=MARCH_2014)
    body.correct(
        actor=OFFICER,
        at=AT,
        corrects_version=1,
        corrects_event="Established",
        field="until",
        value="2015-03-31",
        decision=decision(),
    )
    assert body.until == MARCH_2015


@pytest.mark.parametrize("version", [0, 4, -1])
def test_a_correction_must_name_an_existing_version(version: int) -> None:
    body = carers_forum()
    with pytest.raises(InvalidInput, match="name an event of this body, between 1 and 3") as err:
        body.correct(
            actor=OFFICER,
            at=AT,
            corrects_version=version,
            corrects_event="Established",
            field="purpose",
            value="x",
            decision=decision(),
        )
    assert err.value.field == "corrects_version"
    assert_unchanged(body, 3)


def test_a_correction_must_name_the_event_it_corrects() -> None:
    body = carers_forum()
    with pytest.raises(InvalidInput, match="corrects_event: must not be blank"):
        body.correct(
            actor=OFFICER,
            at=AT,
            corrects_version=1,
            corrects_event=" ",
            field="purpose",
            value="x",
            decision=decision(),
        )
    assert_unchanged(body, 3)


def test_a_correction_that_changes_nothing_is_refused() -> None:
    body = carers_forum()
    with pytest.raises(DomainError, match="annual funding pence is already 1855000; nothing to correct"):
        body.correct(
            actor=OFFICER,
            at=AT,
            corrects_version=1,
            corrects_event="Established",
            field="annual_funding_pence",
            value=1_855_000,
            decision=decision(),
        )
    assert_unchanged(body, 3)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("contract_end", "31/03/2015", "contract_end is a date: give it as YYYY-MM-DD"),
        ("annual_funding_pence", -5, "annual_funding_pence is a whole number, not negative"),
        ("annual_funding_pence", 12.5, "annual_funding_pence is a whole number, not negative"),
        ("name", "  ", "name is text"),
        ("name", None, "a body must have a name"),
        ("accountability", "Health and Wellbeing Board", "accountability is a list"),
    ],
    ids=["date", "negative-money", "fractional-money", "blank-name", "no-name", "accountability"],
)
def test_a_correction_must_give_a_value_of_the_fields_type(field: str, value: Any, message: str) -> None:
    body = carers_forum()
    with pytest.raises(InvalidInput, match=message) as err:
        body.correct(
            actor=OFFICER,
            at=AT,
            corrects_version=1,
            corrects_event="Established",
            field=field,
            value=value,
            decision=decision(),
        )
    assert err.value.field == "value"
    assert (body.name, body.annual_funding_pence, body.contract_end) == ("Carers Forum", 1_855_000, MARCH_2014)
    assert_unchanged(body, 3)


@pytest.mark.parametrize("field", ["status", "kind", "members", "id", "version"])
def test_a_correction_cannot_change_status_kind_or_membership(field: str) -> None:
    body = carers_forum()
    _close(body, "end")
    with pytest.raises(InvalidInput, match=f"'{field}' cannot be corrected; use one of .*purpose"):
        body.correct(
            actor=OFFICER,
            at=AT,
            corrects_version=1,
            corrects_event="Established",
            field=field,
            value="active",
            decision=decision(),
        )
    assert body.status is BodyStatus.ENDED
    assert_unchanged(body, 4)


# ------------------------------------------------------------ votes (rule B4)


@pytest.mark.parametrize(
    ("role", "rep"),
    [
        (MemberRole.AGENCY_REPRESENTATIVE, AGENCY),
        (MemberRole.AGENCY_REPRESENTATIVE, VOLUNTARY),
        (MemberRole.MEMBER, AGENCY),
        (MemberRole.CO_OPTED, AGENCY),
    ],
    ids=["agency-rep", "agency-rep-voluntary", "partner-agency-member", "partner-agency-co-opted"],
)
def test_agency_representatives_on_a_consultative_group_have_no_vote(role: MemberRole, rep: Representation) -> None:
    body = establish(BodyKind.CONSULTATIVE_GROUP, "Mental Health Consultative Group")
    add(body, "a1", "Agency Person", rep, role)
    assert body.members["a1"].votes is False
    assert only_event(body).votes is False


@pytest.mark.parametrize("rep", [SU, CARER, VOLUNTARY, Representation.PRIVATE_SECTOR])
def test_other_members_of_a_consultative_group_vote(rep: Representation) -> None:
    body = establish(BodyKind.CONSULTATIVE_GROUP, "Mental Health Consultative Group")
    add(body, "v1", "Voting Person", rep)
    assert body.members["v1"].votes is True


OTHER_KINDS = [k for k in BodyKind if k is not BodyKind.CONSULTATIVE_GROUP]


@pytest.mark.parametrize("kind", OTHER_KINDS, ids=lambda k: k.value)
def test_agency_representatives_vote_on_other_kinds_of_body(kind: BodyKind) -> None:
    body = establish(kind, "Some Body")
    add(body, "a1", "Agency Rep", AGENCY, MemberRole.AGENCY_REPRESENTATIVE)
    add(body, "a2", "Partner Agency Member", AGENCY, MemberRole.MEMBER)
    assert body.members["a1"].votes is True
    assert body.members["a2"].votes is True


# ------------------------------------------------------- the 70% share (rule B3)


def test_the_service_user_share_counts_user_side_members() -> None:
    body = establish(BodyKind.CONSULTATIVE_GROUP, "Older People Consultative Group")
    reps = [SU, Representation.FUTURE_SERVICE_USER, Representation.USER_GROUP_REPRESENTATIVE, CARER]
    reps += [Representation.FORMER_CARER, Representation.COMMUNITY, SU]
    for n, rep in enumerate(reps):
        add(body, f"u{n}", f"User {n}", rep)
    for n in range(3):
        share = add(body, f"a{n}", f"Agency {n}", AGENCY, MemberRole.AGENCY_REPRESENTATIVE)
    assert (share.user_side, share.counted) == (7, 10)
    assert share.percent == "70%"
    assert share.meets_target
    assert share.warning() is None  # exactly 70% meets the aim


def test_falling_below_70_percent_is_a_warning_with_the_figure_not_a_block() -> None:
    body = establish(BodyKind.CONSULTATIVE_GROUP, "Older People Consultative Group")
    for n in range(7):
        add(body, f"u{n}", f"User {n}", SU)
    for n in range(3):
        add(body, f"a{n}", f"Agency {n}", AGENCY, MemberRole.AGENCY_REPRESENTATIVE)
    share = add(body, "v1", "Voluntary Sector Rep", VOLUNTARY)
    # Not a block: the member joined.
    assert "v1" in {m.member_id for m in body.current_members()}
    assert (share.user_side, share.counted) == (7, 11)
    assert not share.meets_target
    warning = share.warning()
    assert warning is not None
    assert "64%" in warning
    assert "(7 of 11)" in warning
    assert "at least 70%" in warning


def test_officers_are_left_out_of_the_share() -> None:
    body = establish(BodyKind.CONSULTATIVE_GROUP, "Older People Consultative Group")
    for n in range(7):
        add(body, f"u{n}", f"User {n}", SU)
    for n in range(3):
        add(body, f"a{n}", f"Agency {n}", AGENCY, MemberRole.AGENCY_REPRESENTATIVE)
    share = add(body, "o1", "Lead Officer", AGENCY, MemberRole.OFFICER)
    assert (share.user_side, share.counted) == (7, 10)
    assert share.warning() is None
    # An officer has no vote on a consultative group either.
    assert body.members["o1"].votes is False


def test_the_share_is_recalculated_when_a_member_leaves() -> None:
    body = establish(BodyKind.CONSULTATIVE_GROUP, "Older People Consultative Group")
    add(body, "u1", "User 1", SU)
    add(body, "u2", "User 2", SU)
    add(body, "a1", "Agency 1", AGENCY, MemberRole.AGENCY_REPRESENTATIVE)
    share = body.remove_member(actor=OFFICER, at=AT, member_id="u1", effective_date=SEPT_2013, reason="Resigned")
    assert (share.user_side, share.counted, share.percent) == (1, 2, "50%")
    assert "50%" in (share.warning() or "")
    share = body.remove_member(actor=OFFICER, at=AT, member_id="a1", effective_date=SEPT_2013, reason="Resigned")
    assert (share.user_side, share.counted, share.percent) == (1, 1, "100%")
    assert share.warning() is None


def test_a_group_with_no_members_reports_no_share() -> None:
    share = establish(BodyKind.CONSULTATIVE_GROUP, "New Group").member_share()
    assert share.share is None
    assert share.percent == "no members"
    assert not share.meets_target


# ------------------------------------------------------- chairs (rules B2 and B5)


def test_a_stakeholder_conference_is_chaired_by_the_executive_director() -> None:
    body = establish(BodyKind.STAKEHOLDER_CONFERENCE, "Adult Services Stakeholder Conference")
    add(body, "c1", "Terry Parkin", AGENCY, MemberRole.CHAIR, position=f" {EXECUTIVE_DIRECTOR} ")
    chair = body.chair()
    assert chair is not None
    assert (chair.person, chair.position) == ("Terry Parkin", EXECUTIVE_DIRECTOR)


@pytest.mark.parametrize("position", ["", "Director of Adult Social Care", "Portfolio Holder for Care Services"])
def test_a_stakeholder_conference_chair_who_is_not_the_executive_director_is_refused(position: str) -> None:
    body = establish(BodyKind.STAKEHOLDER_CONFERENCE, "Adult Services Stakeholder Conference")
    with pytest.raises(DomainError, match="chaired by the Executive Director for Education, Care and Health") as err:
        add(body, "c1", "Someone Else", AGENCY, MemberRole.CHAIR, position=position)
    assert err.value.rule == "B2"
    assert body.chair() is None
    assert_unchanged(body, 1)


def test_a_stakeholder_conference_may_have_other_members_in_other_positions() -> None:
    body = establish(BodyKind.STAKEHOLDER_CONFERENCE, "Adult Services Stakeholder Conference")
    add(body, "m1", "CCG Rep", AGENCY, MemberRole.MEMBER, position="CCG Chief Officer")
    assert body.members["m1"].role is MemberRole.MEMBER


def test_a_body_has_one_chair_at_a_time() -> None:
    body = establish(BodyKind.PARTNERSHIP_BOARD, "Learning Disability Partnership Board")
    add(body, "c1", "First Chair", SU, MemberRole.CHAIR)
    with pytest.raises(DomainError, match=r"already has a chair \(First Chair\); they must leave the role first"):
        add(body, "c2", "Second Chair", SU, MemberRole.CHAIR)
    add(body, "v1", "Vice", SU, MemberRole.VICE_CHAIR)
    with pytest.raises(DomainError, match=r"already has a vice-chair \(Vice\)"):
        add(body, "v2", "Second Vice", SU, MemberRole.VICE_CHAIR)
    assert set(body.members) == {"c1", "v1"}


@pytest.mark.parametrize("role", [MemberRole.CHAIR, MemberRole.VICE_CHAIR])
def test_a_consultative_group_chair_or_vice_chair_cannot_be_appointed_only_elected(role: MemberRole) -> None:
    body = carers_forum()
    with pytest.raises(DomainError, match="are elected: record an election") as err:
        add(body, "c1", "Appointed Person", SU, role)
    assert err.value.rule == "B5"
    assert body.chair() is None
    assert_unchanged(body, 3)


def test_an_election_sets_chair_and_vice_chair_from_user_side_members() -> None:
    body = carers_forum()
    body.record_election(actor=OFFICER, at=AT, chair_id="m1", vice_chair_id="m2", election_date=date(2013, 10, 1))
    assert body.members["m1"].role is MemberRole.CHAIR
    assert body.members["m2"].role is MemberRole.VICE_CHAIR
    assert body.chair() is body.members["m1"]
    assert body.last_election_on == date(2013, 10, 1)


def test_a_new_election_hands_the_roles_on() -> None:
    body = carers_forum()
    add(body, "m3", "Third Member", Representation.COMMUNITY)
    body.record_election(actor=OFFICER, at=AT, chair_id="m1", vice_chair_id="m2", election_date=date(2013, 10, 1))
    body.record_election(actor=OFFICER, at=AT, chair_id="m3", vice_chair_id="m1", election_date=date(2014, 10, 1))
    roles = {m: body.members[m].role for m in ("m1", "m2", "m3")}
    assert roles == {"m1": MemberRole.VICE_CHAIR, "m2": MemberRole.MEMBER, "m3": MemberRole.CHAIR}


@pytest.mark.parametrize(
    ("role", "rep"),
    [
        (MemberRole.AGENCY_REPRESENTATIVE, AGENCY),
        (MemberRole.MEMBER, AGENCY),
        (MemberRole.MEMBER, VOLUNTARY),
        (MemberRole.MEMBER, Representation.PRIVATE_SECTOR),
        (MemberRole.AGENCY_REPRESENTATIVE, SU),
        (MemberRole.OFFICER, SU),
    ],
    ids=["agency-rep", "partner-agency", "voluntary", "private", "agency-rep-as-user", "officer"],
)
@pytest.mark.parametrize("seat", ["chair_id", "vice_chair_id"])
def test_an_election_refuses_a_chair_or_vice_chair_who_is_not_a_voting_user_side_member(
    seat: str, role: MemberRole, rep: Representation
) -> None:
    body = carers_forum()
    add(body, "x", "Not Eligible", rep, role)
    body.collect_events()
    ids = {"chair_id": "m1", "vice_chair_id": "m2", seat: "x"}
    with pytest.raises(
        InvalidInput, match="the chair and vice-chair come from service user, carer or individual"
    ) as err:
        body.record_election(actor=OFFICER, at=AT, election_date=date(2013, 10, 1), **ids)
    assert (err.value.field, err.value.rule) == (seat, "B5")
    assert body.last_election_on is None
    assert body.chair() is None
    assert_unchanged(body, 4)


def test_an_election_needs_two_different_current_members() -> None:
    body = carers_forum()
    with pytest.raises(InvalidInput, match="must be different people"):
        body.record_election(actor=OFFICER, at=AT, chair_id="m1", vice_chair_id="m1", election_date=SEPT_2013)
    with pytest.raises(InvalidInput, match="nobody is not a current member of Carers Forum"):
        body.record_election(actor=OFFICER, at=AT, chair_id="m1", vice_chair_id="nobody", election_date=SEPT_2013)
    body.remove_member(actor=OFFICER, at=AT, member_id="m2", effective_date=SEPT_2013, reason="Left")
    body.collect_events()
    with pytest.raises(InvalidInput, match="m2 is not a current member"):
        body.record_election(actor=OFFICER, at=AT, chair_id="m1", vice_chair_id="m2", election_date=SEPT_2013)
    assert_unchanged(body, 4)


def test_an_election_must_be_after_the_last_one() -> None:
    body = carers_forum()
    body.record_election(actor=OFFICER, at=AT, chair_id="m1", vice_chair_id="m2", election_date=date(2013, 10, 1))
    body.collect_events()
    with pytest.raises(InvalidInput, match="must be after the last election"):
        body.record_election(actor=OFFICER, at=AT, chair_id="m2", vice_chair_id="m1", election_date=date(2013, 10, 1))
    assert_unchanged(body, 4)


@pytest.mark.parametrize("kind", OTHER_KINDS, ids=lambda k: k.value)
def test_only_a_consultative_group_elects_its_chair(kind: BodyKind) -> None:
    body = establish(kind, "Other Body")
    add(body, "m1", "One", SU)
    add(body, "m2", "Two", SU)
    body.collect_events()
    with pytest.raises(DomainError, match="only a consultative group elects") as err:
        body.record_election(actor=OFFICER, at=AT, chair_id="m1", vice_chair_id="m2", election_date=SEPT_2013)
    assert err.value.rule == "B5"
    assert_unchanged(body, 3)
    assert body.election_due(date(2030, 1, 1)) is False


def test_a_consultative_group_never_elected_is_due_an_election() -> None:
    assert carers_forum().election_due(SEPT_2013) is True


@pytest.mark.parametrize(
    ("elected", "not_yet_due", "due"),
    [
        (date(2013, 10, 1), date(2014, 10, 1), date(2014, 10, 2)),
        (date(2013, 12, 31), date(2014, 12, 31), date(2015, 1, 1)),
        (date(2012, 2, 29), date(2013, 2, 28), date(2013, 3, 1)),
    ],
    ids=["ordinary", "year-end", "leap-day"],
)
def test_an_election_older_than_12_months_is_due(elected: date, not_yet_due: date, due: date) -> None:
    body = carers_forum()
    body.record_election(actor=OFFICER, at=AT, chair_id="m1", vice_chair_id="m2", election_date=elected)
    assert body.election_due(elected) is False
    assert body.election_due(not_yet_due) is False  # exactly 12 months: still in date
    assert body.election_due(due) is True  # one day more: due


def test_a_closed_group_is_never_due_an_election() -> None:
    body = carers_forum()
    _close(body, "end")
    assert body.election_due(date(2030, 1, 1)) is False


# ---------------------------------------------------------- joining and leaving


def test_the_same_person_cannot_be_a_current_member_twice() -> None:
    body = carers_forum()
    with pytest.raises(InvalidInput, match="ann carer is already a current member of Carers Forum") as err:
        add(body, "m9", "ann carer", CARER)
    assert err.value.field == "person"
    assert_unchanged(body, 3)


def test_a_member_id_is_never_reused() -> None:
    body = carers_forum()
    with pytest.raises(InvalidInput, match="m1 is already a member id") as err:
        add(body, "m1", "Different Person", CARER)
    assert err.value.field == "member_id"
    assert_unchanged(body, 3)


def test_a_former_member_may_rejoin() -> None:
    body = carers_forum()
    body.remove_member(actor=OFFICER, at=AT, member_id="m1", effective_date=date(2013, 10, 1), reason="Moved away")
    add(body, "m9", "Ann Carer", CARER, joined=date(2014, 1, 1))
    assert [m.member_id for m in body.current_members()] == ["m2", "m9"]
    assert body.members["m1"].left_on == date(2013, 10, 1)


def test_a_member_cannot_leave_before_joining() -> None:
    body = carers_forum()  # m1 joined on 1 September 2013
    with pytest.raises(InvalidInput, match="cannot leave before the date they joined") as err:
        body.remove_member(actor=OFFICER, at=AT, member_id="m1", effective_date=date(2013, 8, 31), reason="Left")
    assert err.value.field == "effective_date"
    assert body.members["m1"].left_on is None
    assert_unchanged(body, 3)


def test_a_member_may_leave_on_the_day_they_joined() -> None:
    body = carers_forum()
    body.remove_member(actor=OFFICER, at=AT, member_id="m1", effective_date=SEPT_2013, reason="Joined in error")
    assert body.members["m1"].left_on == SEPT_2013
    assert "m1" not in {m.member_id for m in body.current_members()}


def test_leaving_needs_a_reason_and_a_current_member() -> None:
    body = carers_forum()
    with pytest.raises(InvalidInput, match="reason: must not be blank"):
        body.remove_member(actor=OFFICER, at=AT, member_id="m1", effective_date=SEPT_2013, reason=" ")
    with pytest.raises(InvalidInput, match="zz is not a current member of Carers Forum"):
        body.remove_member(actor=OFFICER, at=AT, member_id="zz", effective_date=SEPT_2013, reason="Left")
    body.remove_member(actor=OFFICER, at=AT, member_id="m1", effective_date=SEPT_2013, reason="Left")
    body.collect_events()
    with pytest.raises(InvalidInput, match="m1 is not a current member"):
        body.remove_member(actor=OFFICER, at=AT, member_id="m1", effective_date=SEPT_2013, reason="Left again")
    assert_unchanged(body, 4)


@pytest.mark.parametrize(("field", "value"), [("role", "president"), ("representation", "the_press")])
def test_membership_role_and_representation_come_from_the_vocabulary(field: str, value: str) -> None:
    body = carers_forum()
    kwargs = {"role": MemberRole.MEMBER, "rep": SU}
    kwargs["role" if field == "role" else "rep"] = value
    with pytest.raises(InvalidInput, match=f"{value!r} is not allowed; use one of") as err:
        add(body, "m9", "Someone", **kwargs)
    assert err.value.field == field
    assert_unchanged(body, 3)


def test_a_blank_person_is_refused() -> None:
    body = carers_forum()
    with pytest.raises(InvalidInput, match="person: must not be blank"):
        add(body, "m9", "  ", SU)
    assert_unchanged(body, 3)
