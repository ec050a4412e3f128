"""A body with a public record for the public pages' and the followers' tests: members (one who left, with
a reason that names them), an election, terms of reference, a past meeting with published minutes and an
exempt item, and a coming meeting whose agenda is still unpublished."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time, timedelta
from uuid import UUID

from application.authority import Role
from application.hub import PartnershipHub
from domain.actor import Actor
from domain.body import Decision
from domain.vocabulary import BodyKind
from tests.conftest import Clock

OFFICER = Actor("officer", Role.PARTNERSHIP_OFFICER.value, "Priya Officer")
NAMES = ("Ann Carer-Wright", "Bob Userman", "Cath Leaver")
SECRET = "Restructure of the carers' team (staffing)"
SECRET_PAPER = "Names of staff at risk"
UNPUBLISHED = "Draft carers' strategy refresh"
MINUTES_TEXT = b"Minutes of the Carers Forum"


@dataclass
class PublicBody:
    body_id: UUID
    past_meeting: UUID
    coming_meeting: UUID


def build_public_body(
    hub: PartnershipHub, clock: Clock, *, name: str = "Carers Forum", open_to_public: bool = True
) -> PublicBody:
    """Built from ``clock.now`` back: the body and its past meeting are recorded months earlier, then the
    clock returns to where it was (plus what the steps took)."""
    start = clock.now
    clock.advance(days=-120)
    body = hub.establish_body(
        OFFICER,
        name=name,
        kind=BodyKind.CONSULTATIVE_GROUP,
        purpose="To give carers a voice in the council's plans.",
        open_to_public=open_to_public,
        decision=Decision(reason="the framework sets it up", effective_date=clock.now.date()),
    )
    hub.adopt_terms_of_reference(
        OFFICER,
        body,
        text="1. Meets four times a year.\n2. Advises the Carers Partnership Board.",
        decision=Decision(reason="agreed at the first meeting"),
    )
    ids = []
    for person, role, representation in (
        (NAMES[0], "member", "carer"),
        (NAMES[1], "member", "service_user"),
        (NAMES[2], "member", "carer"),
    ):
        result = hub.add_member(
            OFFICER, body, person=person, role=role, representation=representation, effective_date=clock.now.date()
        )
        ids.append(result.member_id)
    hub.remove_member(
        OFFICER, body, member_id=ids[2], effective_date=clock.now.date(), reason=f"{NAMES[2]} moved to Leeds"
    )
    hub.record_election(OFFICER, body, chair_id=ids[0], vice_chair_id=ids[1], election_date=clock.now.date())

    past_date = clock.now.date() + timedelta(days=14)
    past = hub.schedule_meeting(OFFICER, body, meeting_date=past_date, start_time=time(14), place="Town Hall")
    hub.add_agenda_item(OFFICER, past, title="Carers' breaks budget")
    hub.add_agenda_item(OFFICER, past, title=SECRET, exemption_paragraph=1)
    hub.attach_paper(
        OFFICER,
        past,
        item=2,
        title=SECRET_PAPER,
        file=hub.upload_file(OFFICER, b"confidential", "staff.txt"),
        summary="Confidential",
    )
    hub.publish_agenda(OFFICER, past)
    clock.advance(days=15)
    hub.record_meeting_held(OFFICER, past)
    hub.record_draft_minutes(OFFICER, past, file=hub.upload_file(OFFICER, MINUTES_TEXT, "minutes.txt"))
    hub.clear_minutes(OFFICER, past, chair=NAMES[0])
    hub.publish_minutes(OFFICER, past)

    clock.now = start
    coming = hub.schedule_meeting(
        OFFICER, body, meeting_date=start.date() + timedelta(days=21), start_time=time(10), place="Library"
    )
    hub.add_agenda_item(OFFICER, coming, title=UNPUBLISHED)
    return PublicBody(body, past, coming)
