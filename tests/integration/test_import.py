"""Importing the real framework: idempotent, and the histories the review describes."""

from __future__ import annotations

from datetime import date

from application.commands import Dispatcher
from application.hub import PartnershipHub
from application.importer import NEW_FRAMEWORK_STARTS, default_data_file, import_framework
from demo.seed import seed_demo
from domain.vocabulary import EXECUTIVE_DIRECTOR, BodyKind, BodyStatus, MemberRole


def _events(hub: PartnershipHub) -> int:
    return hub.recorder.max_notification_id() or 0


def test_importing_twice_gives_the_same_event_count_as_once(hub: PartnershipHub) -> None:
    assert default_data_file().exists()
    first = import_framework(Dispatcher(hub))
    once = _events(hub)
    second = import_framework(Dispatcher(hub))
    assert once > 0
    assert _events(hub) == once
    assert first.bodies_created == 36
    assert second.bodies_created == second.changes_recorded == second.members_added == 0


def test_carers_partnership_group_is_replaced_by_a_time_limited_project_group(hub: PartnershipHub) -> None:
    import_framework(Dispatcher(hub))
    body = hub.find_body("Carers Partnership Group")
    assert body is not None and body.status is BodyStatus.REPLACED
    replaced = [h for h in hub.history(body.id) if h.change == "replaced"]
    assert len(replaced) == 1
    entry = replaced[0]
    assert "time-limited task-and-finish project group until 31 March 2014" in entry.sentence
    assert "Carers Strategy" in entry.sentence
    assert entry.reason == "Use the group's skills to revise the Carers Strategy."
    assert entry.effective_date == NEW_FRAMEWORK_STARTS
    successor = hub.find_body("Carers Strategy")
    assert successor is not None and successor.kind is BodyKind.TASK_AND_FINISH_GROUP
    assert successor.until == date(2014, 3, 31)
    assert body.successor_id == successor.id


def test_health_social_care_and_housing_board_is_replaced_by_the_adult_conference(hub: PartnershipHub) -> None:
    import_framework(Dispatcher(hub))
    body = hub.find_body("Health, Social Care and Housing Partnership Board")
    assert body is not None
    sentences = [h.sentence for h in hub.history(body.id)]
    assert any(s.startswith("Replaced by Adult Services Stakeholder Conference") for s in sentences)
    assert body.successor_name == "Adult Services Stakeholder Conference"


def test_every_recommendation_becomes_its_governance_event(hub: PartnershipHub) -> None:
    import_framework(Dispatcher(hub))
    # The report recommends and the Portfolio Holder decides (F4): each recommendation is a proposal,
    # its approval, and the change it makes.
    decided = ["change_proposed", "proposal_decided"]

    def changes(name: str) -> list[str]:
        body = hub.find_body(name)
        assert body is not None, name
        return [h.change for h in hub.history(body.id)]

    assert changes("Active Involvement Strategy Group") == ["established", *decided, "ended"]
    assert changes("Bromley Mental Health Forum") == [
        "established",
        "contract_extended",
        *decided,
        "self_funding_option_given",
    ]
    assert changes("Bromley Mobility Forum") == ["established", "contract_extended", *decided, "transformed"]
    assert changes("Early Years Development and Childcare Partnership") == [
        "established",
        *decided,
        "transferred_to_provider_forum",
    ]
    assert changes("Learning Disability Carers Forum") == ["established", *decided, "merged_into"]
    assert changes("Bromley Parent Voice") == ["established", *decided, "maintained", "transformed"]
    active = hub.find_body("Active Involvement Strategy Group")
    assert active is not None
    proposal = active.proposals[1]
    assert (proposal.status, proposal.decided_by, proposal.decision_ref, proposal.decided_on) == (
        "approved",
        "Portfolio Holder for Care Services",
        "CS13010",
        None,
    )
    decision = hub.history(active.id)[2]
    assert "(date of decision not stated)" in decision.sentence

    ended = hub.find_body("Active Involvement Strategy Group")
    assert ended is not None and ended.status_effective == date(2013, 9, 1)
    mobility = hub.find_body("Bromley Mobility Forum")
    assert mobility is not None
    assert (mobility.kind, mobility.until, mobility.contract_end) == (
        BodyKind.TASK_AND_FINISH_GROUP,
        date(2014, 3, 31),
        date(2014, 3, 31),
    )
    assert mobility.break_clause_notice_date() == date(2013, 12, 31)
    ld_board = hub.find_body("Learning Disability Partnership Board")
    assert ld_board is not None
    assert ld_board.annual_funding_pence == 3_833_900
    assert ld_board.council_funding_until == date(2013, 11, 30)
    parent_voice = hub.find_body("Bromley Parent Voice")
    assert parent_voice is not None and parent_voice.kind is BodyKind.CONSULTATIVE_GROUP
    assert parent_voice.open_to_public


def test_conferences_are_chaired_by_the_executive_director(hub: PartnershipHub) -> None:
    import_framework(Dispatcher(hub))
    for name in ("Adult Services Stakeholder Conference", "Children's Services Stakeholder Conference"):
        body = hub.find_body(name)
        assert body is not None
        chair = body.chair()
        assert chair is not None and chair.position == EXECUTIVE_DIRECTOR and chair.role is MemberRole.CHAIR
        assert body.meets_per_year == 2
    adult = hub.find_body("Adult Services Stakeholder Conference")
    assert adult is not None and len(adult.current_members()) == 7  # the chair and six relevant partners


def test_subgroups_point_at_their_board(hub: PartnershipHub) -> None:
    import_framework(Dispatcher(hub))
    board = hub.find_body("Health, Social Care and Housing Partnership Board")
    subgroup = hub.find_body("Staying Healthy Partnership Group")
    assert board is not None and subgroup is not None
    assert subgroup.parent_id == board.id


def test_demo_seed_records_two_years_through_the_commands(hub: PartnershipHub) -> None:
    report = seed_demo(Dispatcher(hub), bodies=12, seed=7, today=date(2026, 11, 1))
    assert report.bodies == 12 and report.projects > 0 and report.progress_reports > 0
    # One event per command, but an approval of minutes is recorded on both meetings.
    assert report.minutes_approved > 0
    assert _events(hub) == report.steps + report.minutes_approved
    # The history is spread over two years of recorded time.
    first = hub.recorder.select_notifications(start=1, limit=1)[0]
    body = hub.body(first.originator_id)
    assert body.created_on.date() < date(2025, 3, 1)
