"""Commands on meetings: scheduling, the annual calendar, agenda and papers, proceedings, minutes."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, time
from uuid import UUID, uuid4

from application import authority
from application.authority import Duty, Role
from application.errors import NotAuthorised
from application.hub_base import (
    BodyPlan,
    CalendarPlan,
    HubBase,
    Numbered,
    Publication,
    R,
    calendar_meeting_id,
)
from domain.actor import Actor
from domain.body import Body
from domain.documents import FileRef
from domain.errors import BodyClosed, DomainError, InvalidInput
from domain.meeting import Apology, Meeting, calendar_dates, check_calendar_dates
from domain.vocabulary import EXECUTIVE_DIRECTOR, TWICE_YEARLY_KINDS, AgendaPurpose, BodyKind, MeetingStatus


class MeetingCommands(HubBase):
    """A meeting's whole life, from the annual calendar to the approval of its minutes at the next meeting."""

    # ------------------------------------------------------------- meetings

    def schedule_meeting(
        self,
        actor: Actor,
        body_id: UUID,
        *,
        meeting_date: date,
        start_time: time,
        place: str,
        additional: bool = False,
        lead_officer: str | None = None,
        additional_reason: str | None = None,
        meeting_id: UUID | None = None,
    ) -> UUID:
        """Schedules a meeting; an additional one of a consultative group names the lead officer who agreed (C2)."""
        body = self._get(Body, body_id)
        if body.is_closed:
            raise BodyClosed(f"{body.name} is {body.status.value}; it holds no more meetings")
        now = self._now()
        meeting = Meeting.schedule(
            id=meeting_id or uuid4(),
            actor=actor,
            at=now,
            body_id=body.id,
            body_name=body.name,
            meeting_date=meeting_date,
            start_time=start_time,
            place=place,
            public=body.open_to_public,
            additional=additional,
            notice_given_on=now.date(),
            body_kind=body.kind,
            lead_officer=lead_officer,
            additional_reason=additional_reason,
            others=self._cadence_of(body.id),
        )
        self._save(meeting)
        return meeting.id

    def record_past_meeting(
        self,
        actor: Actor,
        body_id: UUID,
        *,
        meeting_date: date,
        start_time: time,
        place: str,
        additional: bool = False,
        meeting_id: UUID | None = None,
    ) -> UUID:
        """Records a meeting that already took place; its business is then recorded after the fact."""
        body = self._get(Body, body_id)
        meeting = Meeting.record_past(
            id=meeting_id or uuid4(),
            actor=actor,
            at=self._now(),
            body_id=body.id,
            body_name=body.name,
            meeting_date=meeting_date,
            start_time=start_time,
            place=place,
            public=body.open_to_public,
            additional=additional,
            body_kind=body.kind,
        )
        self._save(meeting)
        return meeting.id

    def _cadence_of(self, body_id: UUID, *, leaving_out: UUID | None = None) -> list[tuple[date, bool]]:
        """Rule C1: the date of each of the body's meetings going ahead, and whether it is additional."""
        return [(m.date, m.additional) for m in self._meetings_of(body_id) if m.id != leaving_out]

    def plan_annual_calendar(
        self,
        actor: Actor,
        *,
        year: int,
        place: str,
        start_time: time = time(14),
        body_id: UUID | None = None,
        dates: tuple[date, date] | None = None,
        preview: bool = False,
    ) -> CalendarPlan:
        """Rule C1: schedules the year's two ordinary meetings of one body, or of every conference and group.

        It reads what each body already has: a meeting that would break the cadence (a third ordinary
        meeting in the year, or one within three months of another) is left out, and a body whose own
        meetings already fill the year is left alone. With ``preview`` it saves nothing and reports what
        it would do. A body's new meetings are saved together or not at all; their ids are derived from
        the body and the year, so planning again finds them planned and changes nothing. Without
        ``dates`` a body takes its place in the calendar (domain.meeting.calendar_dates) by its name's
        order among the bodies that meet twice a year. Planning every body reports a body that cannot be
        planned and goes on; planning one raises the reason.
        """
        if dates is not None and body_id is None:
            raise InvalidInput("dates", "dates are given for one body at a time: name the body")
        bodies = self._twice_yearly_bodies()
        slots = {body.id: n for n, body in enumerate(bodies)}
        if body_id is not None:
            body = self._get(Body, body_id)
            if body.kind not in TWICE_YEARLY_KINDS:
                raise InvalidInput(
                    "body_id",
                    f"{body.name} is a {body.kind.label}; only the conferences and consultative groups meet "
                    "twice a year in the annual calendar",
                    rule="C1",
                )
            if body.is_closed:
                raise BodyClosed(f"{body.name} is {body.status.value}; it holds no more meetings")
            chosen = [body]
        else:
            chosen = bodies
        plan = CalendarPlan(year, preview=preview)
        for body in chosen:
            ids = (calendar_meeting_id(body.id, year, 1), calendar_meeting_id(body.id, year, 2))
            others = self._cadence_of(body.id)
            in_year = tuple(sorted(day for day, _ in others if day.year == year))
            if any(i in self.repository for i in ids):
                plan.already_planned[body.id] = ids
                plan.bodies.append(BodyPlan(body.id, body.name, (), in_year, f"already planned for {year}"))
                continue
            try:
                now = self._now()
                days = (
                    check_calendar_dates(year, dates, today=now.date())
                    if dates
                    else calendar_dates(year, slots[body.id])
                )
                meetings: list[Meeting] = []
                left_out: list[str] = []
                for meeting_id, day in zip(ids, days, strict=True):
                    try:
                        meetings.append(
                            Meeting.schedule(
                                id=meeting_id,
                                actor=actor,
                                at=now,
                                body_id=body.id,
                                body_name=body.name,
                                meeting_date=day,
                                start_time=start_time,
                                place=place,
                                public=body.open_to_public,
                                body_kind=body.kind,
                                others=[*others, *((m.date, False) for m in meetings)],
                            )
                        )
                    except InvalidInput as error:
                        if error.rule != "C1" or error.field != "meeting_date":
                            raise
                        reason = error.message.removeprefix("meeting_date: ").split("; if it is needed")[0]
                        left_out.append(f"not planned on {day:%-d %B %Y}: {reason} (rule C1)")
                if not preview and meetings:
                    self._save(*meetings)  # the body's new meetings, or none of them
            except DomainError as error:
                if body_id is not None:
                    raise
                plan.refused[body.id] = str(error)
                plan.bodies.append(BodyPlan(body.id, body.name, (), in_year, str(error)))
                continue
            note = "; ".join(left_out)
            plan.bodies.append(BodyPlan(body.id, body.name, tuple(m.date for m in meetings), in_year, note))
            if meetings:
                plan.planned[body.id] = tuple(m.id for m in meetings)
            else:
                plan.left_alone[body.id] = note
        return plan

    def _twice_yearly_bodies(self) -> list[Body]:
        """The open conferences and consultative groups (C1), in name order: their places in the calendar."""
        self._refresh_index()
        bodies = (self._get(Body, body_id) for body_id in list(self._body_ids))
        chosen = [b for b in bodies if b.kind in TWICE_YEARLY_KINDS and not b.is_closed]
        return sorted(chosen, key=lambda b: (b.name.casefold(), str(b.id)))

    def _meetings_of(self, body_id: UUID) -> list[Meeting]:
        """The meetings of a body that are not cancelled, in date order."""
        self._refresh_index()
        ids = list(self._meetings_by_body.get(body_id, []))
        meetings = [m for m in (self._get(Meeting, i) for i in ids) if m.status is MeetingStatus.SCHEDULED]
        return sorted(meetings, key=meeting_order)

    def move_meeting(
        self,
        actor: Actor,
        meeting_id: UUID,
        *,
        new_date: date,
        new_start_time: time,
        new_place: str,
        reason: str,
        expected_version: int | None = None,
    ) -> int:
        meeting = self._get(Meeting, meeting_id, expected_version)
        meeting.move(
            actor=actor,
            at=self._now(),
            new_date=new_date,
            new_start_time=new_start_time,
            new_place=new_place,
            reason=reason,
            others=self._cadence_of(meeting.body_id, leaving_out=meeting.id),
        )
        self._save(meeting)
        return meeting.version

    def cancel_meeting(
        self, actor: Actor, meeting_id: UUID, *, reason: str, expected_version: int | None = None
    ) -> int:
        meeting = self._get(Meeting, meeting_id, expected_version)
        meeting.cancel(actor=actor, at=self._now(), reason=reason)
        self._save(meeting)
        return meeting.version

    def _change_meeting(self, meeting_id: UUID, expected_version: int | None, change: Callable[[Meeting], R]) -> R:
        meeting = self._get(Meeting, meeting_id, expected_version)
        result = change(meeting)
        self._save(meeting)
        return result

    def _numbered(self, meeting_id: UUID, expected_version: int | None, add: Callable[[Meeting], int]) -> Numbered:
        def change(meeting: Meeting) -> Numbered:
            number = add(meeting)
            return Numbered(meeting.version, number)

        return self._change_meeting(meeting_id, expected_version, change)

    # ------------------------------------------------------ agenda and papers

    def upload_file(self, actor: Actor, data: bytes, filename: str) -> FileRef:
        """Stores a paper or a set of minutes in the file store and returns what an event records of it.

        Not a command: storing bytes records no event (the paper or minutes that name the file do), so
        it is allowed to whoever may attach papers.
        """
        authority.check(actor, Duty.MEETINGS, "upload papers or minutes")
        return self.files.put(data, filename)

    def add_agenda_item(
        self,
        actor: Actor,
        meeting_id: UUID,
        *,
        title: str,
        exemption_paragraph: int | None = None,
        purpose: AgendaPurpose | str = AgendaPurpose.DISCUSSION,
        presenter: str | None = None,
        starts_at: time | None = None,
        expected_version: int | None = None,
    ) -> Numbered:
        """Adds an agenda item: public, or exempt under the named paragraph of Schedule 12A (G1)."""
        return self._numbered(
            meeting_id,
            expected_version,
            lambda m: m.add_agenda_item(
                actor=actor,
                at=self._now(),
                title=title,
                exemption_paragraph=exemption_paragraph,
                purpose=purpose,
                presenter=presenter,
                starts_at=starts_at,
            ),
        )

    def attach_paper(
        self,
        actor: Actor,
        meeting_id: UUID,
        *,
        item: int,
        title: str,
        file: FileRef,
        summary: str,
        accessible: bool = False,
        expected_version: int | None = None,
    ) -> Numbered:
        """Attaches an uploaded paper to an agenda item; the file must be stored exactly as ``file`` says."""
        self.files.verify(file)
        return self._numbered(
            meeting_id,
            expected_version,
            lambda m: m.attach_paper(
                actor=actor,
                at=self._now(),
                item=item,
                title=title,
                file=file,
                accessible=accessible,
                summary=summary,
            ),
        )

    def publish_agenda(self, actor: Actor, meeting_id: UUID, *, expected_version: int | None = None) -> Publication:
        def publish(meeting: Meeting) -> Publication:
            late = meeting.publish_agenda(actor=actor, at=self._now())
            return Publication(meeting.version, late, meeting.papers_due)

        return self._change_meeting(meeting_id, expected_version, publish)

    # ------------------------------------------------------------ the meeting

    def record_meeting_held(self, actor: Actor, meeting_id: UUID, *, expected_version: int | None = None) -> int:
        def record(meeting: Meeting) -> int:
            meeting.record_held(actor=actor, at=self._now())
            return meeting.version

        return self._change_meeting(meeting_id, expected_version, record)

    def record_attendance(
        self,
        actor: Actor,
        meeting_id: UUID,
        *,
        present: Sequence[str],
        apologies: Sequence[Apology | str] = (),
        absent: Sequence[str] = (),
        guests: Sequence[str] = (),
        officers: Sequence[str] = (),
        quorum: int | None = None,
        expected_version: int | None = None,
    ) -> int:
        """Rule C7: the attendance, ticked against the body's members as they stood on the meeting day."""
        sent = [a if isinstance(a, Apology) else Apology(a) for a in apologies]

        def record(meeting: Meeting) -> int:
            body = self._get(Body, meeting.body_id)
            meeting.record_attendance(
                actor=actor,
                at=self._now(),
                present=present,
                apologies=sent,
                absent=absent,
                guests=guests,
                officers=officers,
                members=list(body.members.values()),
                quorum=quorum,
                body_quorum=body.quorum,
            )
            return meeting.version

        return self._change_meeting(meeting_id, expected_version, record)

    def declare_interest(
        self,
        actor: Actor,
        meeting_id: UUID,
        *,
        person: str,
        interest: str,
        item: int | None = None,
        expected_version: int | None = None,
    ) -> Numbered:
        return self._numbered(
            meeting_id,
            expected_version,
            lambda m: m.declare_interest(actor=actor, at=self._now(), person=person, interest=interest, item=item),
        )

    def record_decision(
        self, actor: Actor, meeting_id: UUID, *, item: int, text: str, expected_version: int | None = None
    ) -> Numbered:
        return self._numbered(
            meeting_id, expected_version, lambda m: m.record_decision(actor=actor, at=self._now(), item=item, text=text)
        )

    def record_action(
        self,
        actor: Actor,
        meeting_id: UUID,
        *,
        description: str,
        owner: str,
        due: date,
        item: int | None = None,
        expected_version: int | None = None,
    ) -> Numbered:
        return self._numbered(
            meeting_id,
            expected_version,
            lambda m: m.record_action(
                actor=actor, at=self._now(), description=description, owner=owner, due=due, item=item
            ),
        )

    def close_action(
        self,
        actor: Actor,
        meeting_id: UUID,
        *,
        number: int,
        note: str,
        closed_on: date | None = None,
        at_meeting_id: UUID | None = None,
        expected_version: int | None = None,
    ) -> int:
        """Closes action ``number`` of the meeting that set it, optionally at a later meeting of the same body (C8)."""
        at_meeting: tuple[UUID, date] | None = None
        if at_meeting_id is not None:
            later = self._get(Meeting, at_meeting_id)
            setting = self._get(Meeting, meeting_id)
            if later.body_id != setting.body_id or later.status is MeetingStatus.CANCELLED:
                raise InvalidInput(
                    "at_meeting_id",
                    f"an action of {setting.body_name} is reported done at a later meeting of {setting.body_name}",
                    rule="C8",
                )
            at_meeting = (later.id, later.date)

        def close(meeting: Meeting) -> int:
            meeting.close_action(
                actor=actor, at=self._now(), number=number, note=note, closed_on=closed_on, at_meeting=at_meeting
            )
            return meeting.version

        return self._change_meeting(meeting_id, expected_version, close)

    def close_matter_arising(
        self,
        actor: Actor,
        meeting_id: UUID,
        *,
        from_meeting_id: UUID,
        number: int,
        note: str,
        expected_version: int | None = None,
    ) -> int:
        """Rule C8: at this meeting, closes action ``number`` of an earlier meeting of the body; both record it."""
        meeting = self._get(Meeting, meeting_id, expected_version)
        setting = self._get(Meeting, from_meeting_id)
        meeting.close_matter_arising(actor=actor, at=self._now(), setting=setting, number=number, note=note)
        self._save(meeting, setting)
        return meeting.version

    # ---------------------------------------------------------------- minutes

    def record_draft_minutes(
        self,
        actor: Actor,
        meeting_id: UUID,
        *,
        file: FileRef,
        drafted_on: date | None = None,
        expected_version: int | None = None,
    ) -> int:
        self.files.verify(file)

        def record(meeting: Meeting) -> int:
            meeting.record_draft_minutes(actor=actor, at=self._now(), file=file, drafted_on=drafted_on)
            return meeting.version

        return self._change_meeting(meeting_id, expected_version, record)

    def clear_minutes(
        self,
        actor: Actor,
        meeting_id: UUID,
        *,
        chair: str | None = None,
        cleared_on: date | None = None,
        expected_version: int | None = None,
    ) -> int:
        """Records that the chair cleared the draft minutes (C5).

        The chair is the body's chair on record; an officer recording the clearance may name the chair
        only when none is on record. The Executive Director clears as chair of a conference (B2) only.
        """
        meeting = self._get(Meeting, meeting_id, expected_version)
        body = self._get(Body, meeting.body_id)
        on_record = body.chair()
        recorded = on_record.person if on_record else None
        if actor.role == Role.EXECUTIVE_DIRECTOR:
            if body.kind is not BodyKind.STAKEHOLDER_CONFERENCE:
                raise NotAuthorised(
                    f"the Executive Director chairs the stakeholder conferences (rule B2); the minutes of "
                    f"{body.name} are cleared by its own chair"
                )
            recorded = recorded or EXECUTIVE_DIRECTOR
        name = (chair or "").strip() or recorded
        if not name:
            raise InvalidInput(
                "chair", f"{body.name} has no chair on record: name the chair who cleared the minutes", rule="C5"
            )
        if recorded and name.casefold() != recorded.casefold():
            raise InvalidInput("chair", f"the minutes of {body.name} are cleared by its chair, {recorded}", rule="C5")
        meeting.clear_minutes(actor=actor, at=self._now(), cleared_by=name, cleared_on=cleared_on)
        self._save(meeting)
        return meeting.version

    def publish_minutes(self, actor: Actor, meeting_id: UUID, *, expected_version: int | None = None) -> Publication:
        def publish(meeting: Meeting) -> Publication:
            late = meeting.publish_minutes(actor=actor, at=self._now())
            return Publication(meeting.version, late, meeting.minutes_due)

        return self._change_meeting(meeting_id, expected_version, publish)

    def approve_previous_minutes(
        self,
        actor: Actor,
        meeting_id: UUID,
        *,
        previous_meeting_id: UUID,
        amendments: str = "",
        expected_version: int | None = None,
    ) -> int:
        """Records, on this meeting, that it approved the minutes of the body's previous meeting (C5).

        The previous meeting must really be the last one of the same body before this one (cancelled
        meetings aside) and its minutes published; both meetings record the approval, saved together.
        """
        meeting = self._get(Meeting, meeting_id, expected_version)
        previous = self._get(Meeting, previous_meeting_id)
        if previous.body_id == meeting.body_id:
            earlier = [m for m in self._meetings_of(meeting.body_id) if meeting_order(m) < meeting_order(meeting)]
            if earlier and earlier[-1].id != previous.id:
                raise InvalidInput(
                    "previous_meeting_id",
                    f"the meeting of {meeting.body_name} before {meeting.date:%-d %B %Y} was on "
                    f"{earlier[-1].date:%-d %B %Y}: its minutes are the ones to approve",
                    rule="C5",
                )
        meeting.approve_previous_minutes(actor=actor, at=self._now(), previous=previous, amendments=amendments)
        self._save(meeting, previous)
        return meeting.version


def meeting_order(meeting: Meeting) -> tuple[date, time, str]:
    return (meeting.date, meeting.start_time, str(meeting.id))
