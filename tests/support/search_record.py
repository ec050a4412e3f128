"""A small record to search (issue 17, part 7): a consultative group meeting in public, with a Part 1 and
an exempt (Part 2) item, a paper, decision and action on them, and a board meeting in private. Shared by the
search tests of the read model, the API, the pages and the browser."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from uuid import UUID

from application.hub import PartnershipHub
from domain.actor import Actor
from domain.body import Decision
from tests.conftest import Clock

OFFICER = Actor("officer-1", "partnership_officer")
MEETING_DAY = date(2026, 4, 8)


@dataclass
class Record:
    forum: UUID
    board: UUID
    meeting: UUID
    private_meeting: UUID


def on(clock: Clock, day: date, hour: int = 10) -> None:
    clock.now = datetime.combine(day, time(hour), tzinfo=UTC)


def build(hub: PartnershipHub, clock: Clock, *, minutes: bool = True) -> Record:
    """A consultative group meeting in public with a Part 1 and an exempt item, a paper on each, a decision and
    an action on each; and a board meeting in private with a decision."""
    on(clock, date(2026, 1, 5))
    forum = hub.establish_body(
        OFFICER,
        name="Carers Forum",
        kind="consultative_group",
        purpose="Carers of adults shape respite and short breaks",
        decision=Decision("New framework", date(2025, 9, 1)),
    )
    board = hub.establish_body(
        OFFICER,
        name="Commissioning Board",
        kind="partnership_board",
        purpose="Agrees the commissioning plan",
        open_to_public=False,
        decision=Decision("New framework", date(2025, 9, 1)),
    )
    meeting = hub.schedule_meeting(OFFICER, forum, meeting_date=MEETING_DAY, start_time=time(14), place="Civic Centre")
    private = hub.schedule_meeting(OFFICER, board, meeting_date=MEETING_DAY, start_time=time(10), place="Room 4")
    on(clock, date(2026, 3, 20))
    strategy = hub.add_agenda_item(OFFICER, meeting, title="Carers' strategy refresh").number
    contract = hub.add_agenda_item(OFFICER, meeting, title="Respite contract award", exemption_paragraph=3).number
    hub.attach_paper(
        OFFICER,
        meeting,
        item=strategy,
        title="What carers told us",
        file=hub.upload_file(OFFICER, b"views", "views.txt"),
        summary="Carers asked for more weekend respite",
    )
    hub.attach_paper(
        OFFICER,
        meeting,
        item=contract,
        title="Tender scores",
        file=hub.upload_file(OFFICER, b"scores", "scores.txt"),
        summary="Scores of the three respite bidders",
    )
    board_item = hub.add_agenda_item(OFFICER, private, title="Commissioning plan").number
    on(clock, date(2026, 3, 27))
    hub.publish_agenda(OFFICER, meeting)
    hub.publish_agenda(OFFICER, private)
    on(clock, MEETING_DAY, 18)
    hub.record_decision(OFFICER, meeting, item=strategy, text="The strategy refresh was agreed with weekend respite")
    hub.record_decision(OFFICER, meeting, item=contract, text="The respite contract was awarded to the second bidder")
    hub.record_action(
        OFFICER,
        meeting,
        item=contract,
        description="Notify the respite bidders",
        owner="Procurement",
        due=date(2026, 5, 1),
    )
    hub.record_decision(OFFICER, private, item=board_item, text="The respite commissioning plan was agreed")
    if minutes:
        publish_minutes(hub, clock, meeting)
        publish_minutes(hub, clock, private)
    return Record(forum, board, meeting, private)


def publish_minutes(hub: PartnershipHub, clock: Clock, meeting: UUID) -> None:
    on(clock, date(2026, 4, 9))
    hub.record_draft_minutes(OFFICER, meeting, file=hub.upload_file(OFFICER, b"minutes", "minutes.txt"))
    hub.clear_minutes(OFFICER, meeting, chair="the chair on record")
    on(clock, date(2026, 4, 14))
    hub.publish_minutes(OFFICER, meeting)
