"""A meeting of a body: scheduled, moved or cancelled (rules C1, C2).

Meetings are their own aggregate so that officers editing papers for one meeting
never conflict with officers editing the body's membership.
"""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate

from domain.actor import Actor
from domain.errors import DomainError, InvalidInput
from domain.vocabulary import MeetingStatus

ADDITIONAL_MEETING_NOTICE_DAYS = 14  # rule C2; calendar days (catalogue AMB-10)


def check_notice(meeting_date: date, notice_given_on: date) -> None:
    days = (meeting_date - notice_given_on).days
    if days < ADDITIONAL_MEETING_NOTICE_DAYS:
        raise InvalidInput(
            "meeting_date",
            f"an additional meeting needs at least {ADDITIONAL_MEETING_NOTICE_DAYS} days' notice: "
            f"{meeting_date:%-d %B %Y} is only {days} days after notice given on {notice_given_on:%-d %B %Y}",
            rule="C2",
        )


class Meeting(Aggregate):
    class Event(Aggregate.Event):
        actor: str
        actor_role: str

    class Scheduled(Event, Aggregate.Created):
        body_id: UUID
        body_name: str
        meeting_date: date
        start_time: time
        place: str
        additional: bool
        notice_given_on: date
        public: bool

    def __init__(
        self,
        actor: str,
        actor_role: str,
        body_id: UUID,
        body_name: str,
        meeting_date: date,
        start_time: time,
        place: str,
        additional: bool,
        notice_given_on: date,
        public: bool,
    ) -> None:
        self.body_id = body_id
        self.body_name = body_name
        self.date = meeting_date
        self.start_time = start_time
        self.place = place
        self.additional = additional
        self.notice_given_on = notice_given_on
        self.public = public
        self.status = MeetingStatus.SCHEDULED
        self.history_of_moves: list[tuple[date, str]] = []

    @classmethod
    def schedule(
        cls,
        *,
        id: UUID,
        actor: Actor,
        at: datetime,
        body_id: UUID,
        body_name: str,
        meeting_date: date,
        start_time: time,
        place: str,
        public: bool,
        additional: bool = False,
        notice_given_on: date | None = None,
    ) -> Meeting:
        today = at.date()
        notice_given_on = notice_given_on or today
        if notice_given_on > today:
            raise InvalidInput("notice_given_on", "notice cannot be given on a day still to come")
        if not place.strip():
            raise InvalidInput("place", "say where the meeting is held")
        if meeting_date < today:
            raise InvalidInput("meeting_date", "a meeting cannot be scheduled in the past")
        if additional:
            check_notice(meeting_date, notice_given_on)
        return cls._create(
            cls.Scheduled,
            id=id,
            timestamp=at,
            **actor.event_fields(),
            body_id=body_id,
            body_name=body_name,
            meeting_date=meeting_date,
            start_time=start_time,
            place=place.strip(),
            additional=additional,
            notice_given_on=notice_given_on,
            public=public,
        )

    def _check_scheduled(self, what: str) -> None:
        if self.status is MeetingStatus.CANCELLED:
            raise DomainError(
                f"the meeting of {self.body_name} on {self.date:%-d %B %Y} was cancelled; it cannot be {what}"
            )

    class Moved(Event):
        new_date: date
        new_start_time: time
        new_place: str
        previous_date: date
        reason: str

        def apply(self, aggregate: Any) -> None:
            meeting: Meeting = aggregate
            meeting.history_of_moves.append((self.previous_date, self.reason))
            meeting.date = self.new_date
            meeting.start_time = self.new_start_time
            meeting.place = self.new_place

    def move(
        self,
        *,
        actor: Actor,
        at: datetime,
        new_date: date,
        new_start_time: time,
        new_place: str,
        reason: str,
    ) -> None:
        self._check_scheduled("moved")
        if not reason.strip():
            raise InvalidInput("reason", "say why the meeting is being moved")
        if not new_place.strip():
            raise InvalidInput("new_place", "say where the meeting is held")
        if new_date < at.date():
            raise InvalidInput("new_date", "a meeting cannot be moved into the past")
        if self.additional:
            check_notice(new_date, at.date())
        if (new_date, new_start_time, new_place.strip()) == (self.date, self.start_time, self.place):
            raise DomainError("the meeting is already at that date, time and place")
        self.trigger_event(
            self.Moved,
            timestamp=at,
            **actor.event_fields(),
            new_date=new_date,
            new_start_time=new_start_time,
            new_place=new_place.strip(),
            previous_date=self.date,
            reason=reason.strip(),
        )

    class Cancelled(Event):
        reason: str

        def apply(self, aggregate: Any) -> None:
            meeting: Meeting = aggregate
            meeting.status = MeetingStatus.CANCELLED

    def cancel(self, *, actor: Actor, at: datetime, reason: str) -> None:
        self._check_scheduled("cancelled again")
        if not reason.strip():
            raise InvalidInput("reason", "say why the meeting is being cancelled")
        self.trigger_event(self.Cancelled, timestamp=at, **actor.event_fields(), reason=reason.strip())
