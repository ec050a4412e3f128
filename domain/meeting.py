"""A meeting of a body and its whole life (rules C1-C8, G1).

Scheduled (C1, C2), moved or cancelled; its agenda and papers published at least 5 working days
before (C4); held, with attendance, apologies and substitutes, declarations of interest, decisions
and actions (C7, C8); its draft minutes cleared by the chair and published within 15 working days
after (C5), then approved at the body's next meeting. Exempt (Part 2) items name their
access-to-information reason (G1).

Meetings are their own aggregate so that officers editing papers for one meeting
never conflict with officers editing the body's membership.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate

from domain.actor import Actor
from domain.bounds import check_date, check_meeting_date, check_names, check_text
from domain.documents import FileRef
from domain.errors import DomainError, InvalidInput
from domain.membership import Membership
from domain.vocabulary import (
    EXEMPT_INFORMATION,
    SERVICE_USER_SIDE,
    TWICE_YEARLY_KINDS,
    AgendaPurpose,
    BodyKind,
    MeetingStage,
    MeetingStatus,
    MemberRole,
    MinutesStatus,
)
from domain.working_days import add_working_days, minutes_due, papers_due

ADDITIONAL_MEETING_NOTICE_DAYS = 14  # rule C2; calendar days (catalogue AMB-10)

# Rule C1: the annual calendar puts a body's two ordinary meetings six months apart, in March and
# September (the source names no months, catalogue AMB-13), clear of Christmas and August.
CALENDAR_MONTHS = (3, 9)
# Bodies take successive working days from the 1st of each month, so the framework's meetings are
# spread over about two months instead of clashing; beyond that, days are shared.
CALENDAR_SPREAD_WORKING_DAYS = 40


# Rule C1: a conference or consultative group holds two ordinary meetings in each calendar year, about
# six months apart. Two ordinary meetings closer than this are not "about six months apart" (our
# reading, docs/rules.md AMB-13): a third, or one this close to another, is recorded as additional (C2).
ORDINARY_MEETINGS_A_YEAR = 2
MIN_ORDINARY_GAP_DAYS = 90

_MINUTES_STAGES = {
    MinutesStatus.DRAFT: MeetingStage.DRAFT_MINUTES,
    MinutesStatus.CLEARED: MeetingStage.MINUTES_CLEARED,
    MinutesStatus.PUBLISHED: MeetingStage.MINUTES_PUBLISHED,
    MinutesStatus.APPROVED: MeetingStage.MINUTES_APPROVED,
}


def meeting_stage(
    *, status: str, held: bool, agenda_published: bool, minutes_status: str, moved: bool = False
) -> MeetingStage:
    """Where a meeting is in its life, from what is recorded of it (the aggregate and the read model alike)."""
    if MeetingStatus(status) is MeetingStatus.CANCELLED:
        return MeetingStage.CANCELLED
    minutes = _MINUTES_STAGES.get(MinutesStatus(minutes_status))
    if minutes is not None:
        return minutes
    if held:
        return MeetingStage.HELD
    if agenda_published:
        return MeetingStage.AGENDA_PUBLISHED
    return MeetingStage.MOVED if moved else MeetingStage.SCHEDULED


def check_cadence(
    *,
    body_name: str,
    body_kind: BodyKind | str | None,
    meeting_date: date,
    others: Sequence[tuple[date, bool]],
    field: str = "meeting_date",
) -> None:
    """Rule C1: an ordinary meeting of a conference or consultative group is one of the two in its
    calendar year, and not within three months of another; beyond that it is an additional meeting (C2).

    ``others``: the date of each of the body's other meetings still going ahead, and whether additional.
    """
    if body_kind is None or BodyKind(body_kind) not in TWICE_YEARLY_KINDS:
        return
    ordinary = sorted(day for day, additional in others if not additional)
    same_year = [day for day in ordinary if day.year == meeting_date.year]
    advice = "; if it is needed, schedule it as an additional meeting (rule C2), saying why, with 14 days' notice"
    if len(same_year) >= ORDINARY_MEETINGS_A_YEAR:
        listed = " and ".join(_d(day) for day in same_year)
        raise InvalidInput(
            field,
            f"{body_name} already has its {ORDINARY_MEETINGS_A_YEAR} ordinary meetings in {meeting_date.year} "
            f"({listed}){advice}",
            rule="C1",
        )
    close = [day for day in ordinary if abs((day - meeting_date).days) < MIN_ORDINARY_GAP_DAYS]
    if close:
        raise InvalidInput(
            field,
            f"{body_name}'s ordinary meetings are about six months apart, and it has one on {_d(close[0])}, "
            f"less than three months from {_d(meeting_date)}{advice}",
            rule="C1",
        )


def check_notice(meeting_date: date, notice_given_on: date) -> None:
    days = (meeting_date - notice_given_on).days
    if days < ADDITIONAL_MEETING_NOTICE_DAYS:
        raise InvalidInput(
            "meeting_date",
            f"an additional meeting needs at least {ADDITIONAL_MEETING_NOTICE_DAYS} days' notice: "
            f"{meeting_date:%-d %B %Y} is only {days} days after notice given on {notice_given_on:%-d %B %Y}",
            rule="C2",
        )


def calendar_dates(year: int, slot: int) -> tuple[date, date]:
    """Rule C1: the two ordinary meetings of the body in calendar position ``slot`` in ``year``.

    Each is the (slot + 1)-th working day of its month (counted with domain.working_days, so never a
    weekend or bank holiday), so a body keeps the same place in the spring and the autumn.
    """
    if slot < 0:
        raise ValueError(f"slot must not be negative, got {slot}")
    offset = slot % CALENDAR_SPREAD_WORKING_DAYS + 1
    spring, autumn = (add_working_days(date(year, month, 1) - timedelta(days=1), offset) for month in CALENDAR_MONTHS)
    return spring, autumn


def check_calendar_dates(year: int, dates: tuple[date, date], *, today: date | None = None) -> tuple[date, date]:
    """Rule C1: a body's two programmed meetings fall in the year being planned, in order (and, given
    ``today``, no more than five years after it)."""
    first, second = dates
    for field, day in (("dates", first), ("dates", second)):
        if today is None:
            check_date(field, day)
        else:
            check_meeting_date(day, today, field)
        if day.year != year:
            raise InvalidInput(field, f"{day:%-d %B %Y} is not in {year}, the year being planned", rule="C1")
    if not first < second:
        raise InvalidInput("dates", "give the two meetings of the year in date order, on different days", rule="C1")
    return first, second


def _check_local(field: str, start_time: time) -> None:
    if isinstance(start_time, time) and start_time.tzinfo is not None:
        raise InvalidInput(field, "a meeting's time is London time, like 14:00, without a UTC offset")


def _required(field: str, value: str | None, message: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise InvalidInput(field, message)
    return value.strip()


def _d(day: date | None) -> str:
    return f"{day:%-d %B %Y}" if day else "a date not recorded"


@dataclass
class AgendaItem:
    number: int
    title: str
    exemption_paragraph: int | None  # None: a public (Part 1) item
    published: bool
    purpose: AgendaPurpose = AgendaPurpose.DISCUSSION
    presenter: str | None = None
    starts_at: time | None = None
    # Added after the agenda went out: a supplementary item, sent out on its own day (C4).
    supplementary: bool = False

    @property
    def public(self) -> bool:
        return self.exemption_paragraph is None


@dataclass
class Paper:
    number: int
    item: int
    title: str
    file: FileRef
    accessible: bool
    summary: str


@dataclass(frozen=True)
class Apology:
    """Rule C7: a member who sent apologies, and who came in their place, if anyone."""

    person: str
    substitute: str | None = None


# Our reading of "usual committee practice" (rule C7; the source sets no number): unless the officer
# records the body's own quorum, a meeting is quorate with a third of the voting members present,
# rounded up, and at least three (or all of them, when fewer than three vote). docs/rules.md AMB-Q.
MIN_QUORUM = 3


def default_quorum(voting_members: int) -> int:
    return min(voting_members, max(MIN_QUORUM, -(-voting_members // 3)))


@dataclass(frozen=True)
class Turnout:
    """Rule C7 (with B3, B4): who of the members counted at the meeting. Guests and officers in
    attendance never count; a substitute takes the place (vote and side) of the member they stand for."""

    voting_present: int
    voting_members: int
    quorum: int
    user_side_present: int
    counted_present: int  # members present (and substitutes) other than council officers

    @property
    def quorate(self) -> bool:
        return self.voting_present >= self.quorum

    @property
    def user_side_share(self) -> float | None:
        return self.user_side_present / self.counted_present if self.counted_present else None


def members_on(members: Sequence[Membership], day: date) -> list[Membership]:
    """The members of a body as they stood on ``day``: joined by then and not yet left."""
    return [m for m in members if m.joined_on <= day and (m.left_on is None or m.left_on > day)]


@dataclass
class ActionItem:
    """Rule C8: an action from the meeting, carried as a matter arising until it is closed."""

    number: int
    description: str
    owner: str
    due: date
    item: int | None
    closed_on: date | None = None
    note: str | None = None

    @property
    def is_open(self) -> bool:
        return self.closed_on is None


class Meeting(Aggregate):
    # What a meeting restored from a snapshot taken before these were kept reads (application/snapshots.py):
    # immutable defaults, replaced (never changed in place) by the events that set them.
    additional_reason = None
    recorded_afterwards = False
    absent = ()
    guests = ()
    officers = ()
    turnout = None
    matters_closed = ()

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
        body_kind: str | None
        lead_officer: str | None
        # Not in events recorded before the cadence rule: why an additional meeting is called (C2).
        additional_reason: str | None
        # Not in events recorded before past meetings could be: a meeting that had already taken place.
        recorded_afterwards: bool

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
        # Not in events recorded before the meetings workflow.
        body_kind: str | None = None,
        lead_officer: str | None = None,
        additional_reason: str | None = None,
        recorded_afterwards: bool = False,
    ) -> None:
        self.body_id = body_id
        self.body_name = body_name
        self.body_kind = body_kind
        self.date = meeting_date
        self.start_time = start_time
        self.place = place
        self.additional = additional
        self.notice_given_on = notice_given_on
        self.public = public
        self.lead_officer = lead_officer
        self.additional_reason = additional_reason
        # Recorded after it took place (a council's back catalogue, or catching up): everything recorded
        # of it is dated when recorded, takes effect on the meeting day, and is never counted late.
        self.recorded_afterwards = recorded_afterwards
        self.status = MeetingStatus.SCHEDULED
        self.history_of_moves: list[tuple[date, str]] = []
        # The agenda and papers (C4, G1).
        self.agenda: dict[int, AgendaItem] = {}
        self.papers: dict[int, Paper] = {}
        self.agenda_published_on: date | None = None
        # What happened at the meeting (C7, C8); once any of it is recorded the meeting was held.
        self.held = False
        self.present: list[str] = []
        self.apologies: list[Apology] = []
        self.absent: list[str] = []
        self.guests: list[str] = []
        self.officers: list[str] = []
        self.turnout: Turnout | None = None
        self.interests: list[tuple[str, int | None, str]] = []
        self.decisions: list[tuple[int, str]] = []
        self.actions: dict[int, ActionItem] = {}
        self.matters_closed: list[tuple[UUID, int, str]] = []  # (meeting that set it, action, note) (C8)
        # The minutes (C5).
        self.minutes_status = MinutesStatus.NONE
        self.minutes: FileRef | None = None
        self.minutes_drafted_on: date | None = None
        self.minutes_cleared_by: str | None = None
        self.minutes_cleared_on: date | None = None
        self.minutes_published_on: date | None = None
        self.minutes_approved_at: UUID | None = None
        self.approved_minutes_of: UUID | None = None

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
        body_kind: BodyKind | str | None = None,
        lead_officer: str | None = None,
        additional_reason: str | None = None,
        others: Sequence[tuple[date, bool]] = (),
    ) -> Meeting:
        """Rule C1: an ordinary meeting keeps to the body's cadence, given ``others`` (the date of each of
        the body's other meetings going ahead, and whether additional); rule C2: an additional meeting
        says why it is called and gives 14 days' notice."""
        today = at.date()
        notice_given_on = notice_given_on or today
        check_meeting_date(meeting_date, today)
        check_date("notice_given_on", notice_given_on)
        if notice_given_on > today:
            raise InvalidInput("notice_given_on", "notice cannot be given on a day still to come")
        if not place.strip():
            raise InvalidInput("place", "say where the meeting is held")
        check_text("place", place)
        check_text("lead_officer", lead_officer)
        _check_local("start_time", start_time)
        if meeting_date < today:
            raise InvalidInput("meeting_date", "a meeting cannot be scheduled in the past")
        lead_officer = (lead_officer or "").strip() or None
        additional_reason = check_text("additional_reason", (additional_reason or "").strip(), long=True) or None
        if not additional:
            check_cadence(body_name=body_name, body_kind=body_kind, meeting_date=meeting_date, others=others)
        if additional:
            check_notice(meeting_date, notice_given_on)
            # Rule C2: a consultative group's chair arranges an additional meeting with the lead officer.
            if body_kind == BodyKind.CONSULTATIVE_GROUP and lead_officer is None:
                raise InvalidInput(
                    "lead_officer",
                    "an additional meeting of a consultative group needs the agreement of the council's "
                    "lead officer: name the lead officer who agreed",
                    rule="C2",
                )
            if additional_reason is None and body_kind is not None and BodyKind(body_kind) in TWICE_YEARLY_KINDS:
                raise InvalidInput(
                    "additional_reason",
                    "say why the additional meeting is called, beyond the two ordinary meetings of the year",
                    rule="C2",
                )
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
            body_kind=BodyKind(body_kind).value if body_kind else None,
            lead_officer=lead_officer if additional else None,
            additional_reason=additional_reason if additional else None,
            recorded_afterwards=False,
        )

    @classmethod
    def record_past(
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
        body_kind: BodyKind | str | None = None,
    ) -> Meeting:
        """Records a meeting that already took place, so its agenda, papers, attendance, decisions and
        minutes can be recorded after the fact. The cadence and notice rules (C1, C2) governed the
        scheduling at the time and are not applied again; no deadline (C4, C5) is counted against it."""
        today = at.date()
        check_date("meeting_date", meeting_date)
        if meeting_date > today:
            raise InvalidInput(
                "meeting_date", f"{_d(meeting_date)} is still to come: schedule the meeting instead of recording it"
            )
        if not place.strip():
            raise InvalidInput("place", "say where the meeting was held")
        check_text("place", place)
        _check_local("start_time", start_time)
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
            notice_given_on=meeting_date,
            public=public,
            body_kind=BodyKind(body_kind).value if body_kind else None,
            lead_officer=None,
            additional_reason=None,
            recorded_afterwards=True,
        )

    # ------------------------------------------------------------ state queries

    @property
    def papers_due(self) -> date:
        """Rule C4: the last day to publish the agenda and papers."""
        return papers_due(self.date)

    @property
    def minutes_due(self) -> date:
        """Rule C5: the last day to publish the draft minutes."""
        return minutes_due(self.date)

    @property
    def agenda_published(self) -> bool:
        return self.agenda_published_on is not None

    @property
    def label(self) -> str:
        return f"the meeting of {self.body_name} on {_d(self.date)}"

    @property
    def stage(self) -> MeetingStage:
        return meeting_stage(
            status=self.status,
            held=self.held,
            agenda_published=self.agenda_published,
            minutes_status=self.minutes_status,
            moved=bool(self.history_of_moves),
        )

    def open_actions(self) -> list[ActionItem]:
        return [a for a in self.actions.values() if a.is_open]

    # ------------------------------------------------------------------ checks

    def _check_scheduled(self, what: str) -> None:
        if self.status is MeetingStatus.CANCELLED:
            raise DomainError(
                f"the meeting of {self.body_name} on {self.date:%-d %B %Y} was cancelled; it cannot be {what}"
            )

    def _check_not_held(self, what: str) -> None:
        if self.held:
            raise DomainError(f"{self.label} has been held and its proceedings recorded; it cannot be {what}")

    def _check_before_meeting(self, at: datetime, what: str, rule: str) -> None:
        """The agenda is set before the meeting (or on the day, for an item tabled at it)."""
        self._check_scheduled("given an agenda or papers")
        if at.date() > self.date and not self.recorded_afterwards:
            raise DomainError(f"{self.label} has taken place; its agenda can no longer be {what}", rule=rule)

    def _check_held(self, at: datetime, what: str, rule: str) -> None:
        """What happened at a meeting is recorded from the meeting day on."""
        self._check_scheduled("held")
        if at.date() < self.date:
            raise DomainError(
                f"{self.label} has not taken place yet; {what} can be recorded from the day of the meeting",
                rule=rule,
            )

    def _item(self, field: str, number: int | None, *, required: bool) -> AgendaItem | None:
        if number is None:
            if required:
                raise InvalidInput(field, "name the agenda item", rule="C7")
            return None
        item = self.agenda.get(number)
        if item is None:
            raise InvalidInput(field, f"{self.label} has no agenda item {number}")
        return item

    # ---------------------------------------------------------------- scheduling

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
        others: Sequence[tuple[date, bool]] = (),
    ) -> None:
        """Moves the meeting; an ordinary one keeps to the cadence against ``others`` (see ``schedule``)."""
        self._check_scheduled("moved")
        self._check_not_held("moved")
        if not reason.strip():
            raise InvalidInput("reason", "say why the meeting is being moved")
        if not new_place.strip():
            raise InvalidInput("new_place", "say where the meeting is held")
        check_text("reason", reason, long=True)
        check_text("new_place", new_place)
        check_meeting_date(new_date, at.date(), "new_date")
        _check_local("new_start_time", new_start_time)
        if new_date < at.date():
            raise InvalidInput("new_date", "a meeting cannot be moved into the past")
        if self.additional:
            check_notice(new_date, at.date())
        else:
            check_cadence(
                body_name=self.body_name,
                body_kind=self.body_kind,
                meeting_date=new_date,
                others=others,
                field="new_date",
            )
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
        self._check_not_held("cancelled")
        if not reason.strip():
            raise InvalidInput("reason", "say why the meeting is being cancelled")
        check_text("reason", reason, long=True)
        self.trigger_event(self.Cancelled, timestamp=at, **actor.event_fields(), reason=reason.strip())

    # ------------------------------------------------------- agenda and papers

    def _publication(self, at: datetime) -> dict[str, Any]:
        """Rule C4: for something added to an agenda already published, when it went out and whether late."""
        published = self.agenda_published
        return {
            "published_on": (self.agenda_published_on if self.recorded_afterwards else at.date())
            if published
            else None,
            "late": published and at.date() > self.papers_due and not self.recorded_afterwards,
            "papers_due": self.papers_due,
        }

    class AgendaItemAdded(Event):
        number: int
        title: str
        exemption_paragraph: int | None
        exemption_reason: str | None
        # Added to an agenda already published: it goes out at once, and may be late (C4).
        published_on: date | None
        late: bool
        papers_due: date
        # Not in events recorded before items had them (the defaults stand then).
        purpose: str
        presenter: str | None
        starts_at: time | None

        def apply(self, aggregate: Any) -> None:
            meeting: Meeting = aggregate
            meeting.agenda[self.number] = AgendaItem(
                self.number,
                self.title,
                self.exemption_paragraph,
                published=self.published_on is not None,
                purpose=AgendaPurpose(getattr(self, "purpose", None) or AgendaPurpose.DISCUSSION),
                presenter=getattr(self, "presenter", None),
                starts_at=getattr(self, "starts_at", None),
                supplementary=self.published_on is not None,
            )

    def add_agenda_item(
        self,
        *,
        actor: Actor,
        at: datetime,
        title: str,
        exemption_paragraph: int | None = None,
        purpose: AgendaPurpose | str = AgendaPurpose.DISCUSSION,
        presenter: str | None = None,
        starts_at: time | None = None,
    ) -> int:
        """Adds an item, public (Part 1) unless it names its Schedule 12A paragraph (G1), for decision,
        discussion or information, with who presents it and (optionally) when; returns its number. Once
        the agenda is out, the item goes out at once as a supplementary item (C4)."""
        self._check_before_meeting(at, "added to", rule="C4")
        title = check_text("title", _required("title", title, "give the agenda item a title"))
        try:
            purpose = AgendaPurpose(purpose)
        except ValueError:
            raise InvalidInput(
                "purpose", "say whether the item is for decision, discussion or information", rule="C7"
            ) from None
        presenter = check_text("presenter", (presenter or "").strip()) or None
        if starts_at is not None:
            _check_local("starts_at", starts_at)
        if exemption_paragraph is not None and (
            isinstance(exemption_paragraph, bool)
            or not isinstance(exemption_paragraph, int)
            or exemption_paragraph not in EXEMPT_INFORMATION
        ):
            raise InvalidInput(
                "exemption_paragraph",
                "an exempt item gives its access-to-information reason: a paragraph of Schedule 12A "
                f"to the Local Government Act 1972, from 1 to {max(EXEMPT_INFORMATION)}",
                rule="G1",
            )
        number = len(self.agenda) + 1
        self.trigger_event(
            self.AgendaItemAdded,
            timestamp=at,
            **actor.event_fields(),
            number=number,
            title=title,
            exemption_paragraph=exemption_paragraph,
            exemption_reason=EXEMPT_INFORMATION[exemption_paragraph] if exemption_paragraph else None,
            **self._publication(at),
            purpose=purpose.value,
            presenter=presenter,
            starts_at=starts_at,
        )
        return number

    class PaperAttached(Event):
        number: int
        item: int
        title: str
        file_sha256: str
        file_size: int
        file_content_type: str
        file_name: str
        accessible: bool
        summary: str
        # Attached to an agenda already published: it goes out at once, and may be late (C4).
        published_on: date | None
        late: bool
        papers_due: date

        def apply(self, aggregate: Any) -> None:
            meeting: Meeting = aggregate
            meeting.papers[self.number] = Paper(
                self.number, self.item, self.title, FileRef.from_event(self), self.accessible, self.summary
            )

    def attach_paper(
        self,
        *,
        actor: Actor,
        at: datetime,
        item: int,
        title: str,
        file: FileRef,
        accessible: bool,
        summary: str,
    ) -> int:
        """Attaches a paper to an agenda item (C4, C6); returns its number. It shares the item's marking."""
        self._check_before_meeting(at, "given new papers", rule="C4")
        self._item("item", item, required=True)
        title = check_text("title", _required("title", title, "give the paper a title"))
        summary = _required(
            "summary", summary, "give a plain-English summary of the paper, without jargon or acronyms (rule C6)"
        )
        check_text("summary", summary, long=True)
        number = len(self.papers) + 1
        self.trigger_event(
            self.PaperAttached,
            timestamp=at,
            **actor.event_fields(),
            number=number,
            item=item,
            title=title,
            **file.checked().event_fields(),
            accessible=bool(accessible),
            summary=summary,
            **self._publication(at),
        )
        return number

    class AgendaPublished(Event):
        published_on: date
        papers_due: date
        late: bool

        def apply(self, aggregate: Any) -> None:
            meeting: Meeting = aggregate
            meeting.agenda_published_on = self.published_on
            for item in meeting.agenda.values():
                item.published = True

    def publish_agenda(self, *, actor: Actor, at: datetime) -> bool:
        """Rule C4: publishes the agenda and its papers; publishing late is allowed but recorded. Returns late."""
        self._check_before_meeting(at, "published", rule="C4")
        if self.agenda_published:
            raise DomainError(f"the agenda of {self.label} was published on {_d(self.agenda_published_on)}")
        if not self.agenda:
            raise DomainError(f"the agenda of {self.label} has no items yet; add them before publishing", rule="C4")
        # A meeting recorded afterwards: its agenda takes effect on the meeting day, never late (C4 not counted).
        late = at.date() > self.papers_due and not self.recorded_afterwards
        self.trigger_event(
            self.AgendaPublished,
            timestamp=at,
            **actor.event_fields(),
            published_on=self.date if self.recorded_afterwards else at.date(),
            papers_due=self.papers_due,
            late=late,
        )
        return late

    # --------------------------------------------------------------- the meeting

    class Held(Event):
        """The meeting took place (recorded on its own, or implied by the first of its proceedings)."""

        def apply(self, aggregate: Any) -> None:
            meeting: Meeting = aggregate
            meeting.held = True

    def record_held(self, *, actor: Actor, at: datetime) -> None:
        """Rule C7: records that the meeting took place, before anything of its proceedings is recorded."""
        self._check_held(at, "that it was held", rule="C7")
        if self.held:
            raise DomainError(f"{self.label} is already recorded as held")
        self.trigger_event(self.Held, timestamp=at, **actor.event_fields())

    class AttendanceRecorded(Event):
        present: list[str]
        apologies: list[dict[str, str | None]]  # {"person": ..., "substitute": ... or None}
        # Not in events recorded before attendance was taken from the membership (all None or empty then).
        absent: list[str]
        guests: list[str]
        officers: list[str]
        voting_present: int | None
        voting_members: int | None
        quorum: int | None
        user_side_present: int | None
        counted_present: int | None

        def apply(self, aggregate: Any) -> None:
            meeting: Meeting = aggregate
            meeting.held = True
            meeting.present = list(self.present)
            meeting.apologies = [Apology(str(a["person"]), a["substitute"]) for a in self.apologies]
            meeting.absent = list(getattr(self, "absent", None) or [])
            meeting.guests = list(getattr(self, "guests", None) or [])
            meeting.officers = list(getattr(self, "officers", None) or [])
            counts = [getattr(self, name, None) for name in Meeting.TURNOUT_FIELDS]
            meeting.turnout = Turnout(*counts) if all(c is not None for c in counts) else None

    TURNOUT_FIELDS = ("voting_present", "voting_members", "quorum", "user_side_present", "counted_present")

    def record_attendance(
        self,
        *,
        actor: Actor,
        at: datetime,
        present: Sequence[str],
        apologies: Sequence[Apology] = (),
        absent: Sequence[str] = (),
        guests: Sequence[str] = (),
        officers: Sequence[str] = (),
        members: Sequence[Membership] = (),
        quorum: int | None = None,
        body_quorum: int | None = None,
    ) -> Turnout | None:
        """Rule C7: who was present, who sent apologies (and who substituted for them) and who was absent,
        ticked against ``members`` (the body's members as they stood on the meeting day); guests and
        officers in attendance are listed apart and never count. Replaces any earlier record.

        With the membership on record, a name that is not a member's is refused, members not ticked are
        absent, and the turnout is worked out: voting members present (B4), the quorum (``quorum`` when the
        attendance names one, else ``body_quorum``, the body's own, else ``default_quorum``: AMB-Q) and
        the service-user share of those present (B3). A body with no members on
        record on the day takes the names as given, with no turnout. Returns the turnout.
        """
        self._check_held(at, "attendance", rule="C7")
        for field, names in (("present", present), ("absent", absent), ("guests", guests), ("officers", officers)):
            check_names(field, names)
        check_names("apologies", [a.person for a in apologies])
        check_names("apologies", [a.substitute for a in apologies if a.substitute])
        names = [_required("present", p, "a name in the attendance list is blank") for p in present]
        sent = [
            Apology(
                _required("apologies", a.person, "a name in the apologies is blank"),
                (a.substitute or "").strip() or None,
            )
            for a in apologies
        ]
        away = [_required("absent", p, "a name in the absent list is blank") for p in absent]
        visitors = [_required("guests", p, "a guest's name is blank") for p in guests]
        staff = [_required("officers", p, "an officer's name is blank") for p in officers]
        substitutes = [a.substitute for a in sent if a.substitute]
        if not names and not substitutes:
            raise InvalidInput("present", "record who attended the meeting", rule="C7")
        everyone = [*names, *(a.person for a in sent), *substitutes, *away, *visitors, *staff]
        seen: set[str] = set()
        for person in everyone:
            key = person.casefold()
            if key in seen:
                raise InvalidInput(
                    "present",
                    f"{person} is listed twice: each person attends, sends apologies, substitutes, is absent, "
                    "or is a guest or officer in attendance, once",
                    rule="C7",
                )
            seen.add(key)
        on_the_day = members_on(members, self.date)
        turnout = self._turnout(on_the_day, names, sent, away, quorum, body_quorum) if on_the_day else None
        if turnout is not None:
            ticked = {p.casefold() for p in [*names, *(a.person for a in sent), *away]}
            away = away + [m.person for m in on_the_day if m.person.casefold() not in ticked]
        elif quorum is not None:
            raise InvalidInput("quorum", f"{self.body_name} has no members on record on {_d(self.date)}", rule="C7")
        self.trigger_event(
            self.AttendanceRecorded,
            timestamp=at,
            **actor.event_fields(),
            present=names,
            apologies=[{"person": a.person, "substitute": a.substitute} for a in sent],
            absent=away,
            guests=visitors,
            officers=staff,
            **{name: getattr(turnout, name) if turnout else None for name in self.TURNOUT_FIELDS},
        )
        return turnout

    def _turnout(
        self,
        members: list[Membership],
        present: list[str],
        apologies: list[Apology],
        absent: list[str],
        quorum: int | None,
        body_quorum: int | None = None,
    ) -> Turnout:
        roster = {m.person.casefold(): m for m in members}
        for field, person in [
            *(("present", p) for p in present),
            *(("apologies", a.person) for a in apologies),
            *(("absent", p) for p in absent),
        ]:
            if person.casefold() not in roster:
                raise InvalidInput(
                    field,
                    f"{person} was not a member of {self.body_name} on {_d(self.date)}: tick the members from the "
                    "list, and record anyone else as a guest or an officer in attendance",
                    rule="C7",
                )
        # Each seat filled at the meeting: a member present, or a substitute in the place of one.
        seats = [roster[p.casefold()] for p in present] + [
            roster[a.person.casefold()] for a in apologies if a.substitute
        ]
        voting = [m for m in members if m.votes and m.role is not MemberRole.OFFICER]
        voting_present = sum(1 for m in seats if m.votes and m.role is not MemberRole.OFFICER)
        counted = [m for m in seats if m.role is not MemberRole.OFFICER]
        if quorum is None and body_quorum is not None:
            # The body's own quorum (AMB-Q); never more than the voting members it had on the day.
            quorum = max(1, min(body_quorum, len(voting)))
        elif quorum is None:
            quorum = default_quorum(len(voting))
        elif isinstance(quorum, bool) or not isinstance(quorum, int) or not 1 <= quorum <= max(1, len(voting)):
            raise InvalidInput(
                "quorum",
                f"the quorum is a number of voting members, from 1 to the {len(voting)} who vote on {_d(self.date)}",
                rule="C7",
            )
        return Turnout(
            voting_present=voting_present,
            voting_members=len(voting),
            quorum=quorum,
            user_side_present=sum(1 for m in counted if m.representation in SERVICE_USER_SIDE),
            counted_present=len(counted),
        )

    class InterestDeclared(Event):
        number: int
        person: str
        item: int | None
        interest: str

        def apply(self, aggregate: Any) -> None:
            meeting: Meeting = aggregate
            meeting.held = True
            meeting.interests.append((self.person, self.item, self.interest))

    def declare_interest(
        self, *, actor: Actor, at: datetime, person: str, interest: str, item: int | None = None
    ) -> int:
        """Rule C7: a declaration of interest, in an agenda item or in the meeting's business generally."""
        self._check_held(at, "declarations of interest", rule="C7")
        person = check_text("person", _required("person", person, "say who declared the interest"))
        interest = _required("interest", interest, "describe the interest declared")
        check_text("interest", interest, long=True)
        self._item("item", item, required=False)
        number = len(self.interests) + 1
        self.trigger_event(
            self.InterestDeclared,
            timestamp=at,
            **actor.event_fields(),
            number=number,
            person=person,
            item=item,
            interest=interest,
        )
        return number

    class DecisionRecorded(Event):
        number: int
        item: int
        text: str

        def apply(self, aggregate: Any) -> None:
            meeting: Meeting = aggregate
            meeting.held = True
            meeting.decisions.append((self.item, self.text))

    def record_decision(self, *, actor: Actor, at: datetime, item: int, text: str) -> int:
        """Rule C7: a decision taken on an agenda item."""
        self._check_held(at, "decisions", rule="C7")
        self._item("item", item, required=True)
        text = check_text("text", _required("text", text, "say what was decided"), long=True)
        number = len(self.decisions) + 1
        self.trigger_event(
            self.DecisionRecorded, timestamp=at, **actor.event_fields(), number=number, item=item, text=text
        )
        return number

    class ActionRecorded(Event):
        number: int
        description: str
        owner: str
        due: date
        item: int | None

        def apply(self, aggregate: Any) -> None:
            meeting: Meeting = aggregate
            meeting.held = True
            meeting.actions[self.number] = ActionItem(self.number, self.description, self.owner, self.due, self.item)

    def record_action(
        self, *, actor: Actor, at: datetime, description: str, owner: str, due: date, item: int | None = None
    ) -> int:
        """Rule C8: an action with an owner and a due date, carried as a matter arising until closed."""
        self._check_held(at, "actions", rule="C8")
        description = _required("description", description, "say what is to be done")
        check_text("description", description, long=True)
        owner = check_text("owner", _required("owner", owner, "say who will do it"))
        check_date("due", due)
        if due < self.date:
            raise InvalidInput("due", f"an action from {self.label} cannot be due before it", rule="C8")
        self._item("item", item, required=False)
        number = len(self.actions) + 1
        self.trigger_event(
            self.ActionRecorded,
            timestamp=at,
            **actor.event_fields(),
            number=number,
            description=description,
            owner=owner,
            due=due,
            item=item,
        )
        return number

    class ActionClosed(Event):
        number: int
        note: str
        closed_on: date
        # The later meeting of the same body at which it was reported done, if any.
        at_meeting_id: UUID | None
        at_meeting_date: date | None

        def apply(self, aggregate: Any) -> None:
            meeting: Meeting = aggregate
            action = meeting.actions[self.number]
            action.closed_on = self.closed_on
            action.note = self.note

    def close_action(
        self,
        *,
        actor: Actor,
        at: datetime,
        number: int,
        note: str,
        closed_on: date | None = None,
        at_meeting: tuple[UUID, date] | None = None,
    ) -> None:
        """Rule C8: closes a matter arising with a note saying what was done."""
        action = self.actions.get(number)
        if action is None:
            raise InvalidInput("number", f"{self.label} has no action {number}")
        if not action.is_open:
            raise DomainError(f"action {number} of {self.label} was closed on {_d(action.closed_on)}", rule="C8")
        note = check_text("note", _required("note", note, "say what was done, or why the action is closed"), long=True)
        closed_on = check_date("closed_on", closed_on) or at.date()
        if not self.date <= closed_on <= at.date():
            raise InvalidInput(
                "closed_on", f"an action is closed between {_d(self.date)} and today, {_d(at.date())}", rule="C8"
            )
        if at_meeting is not None and not at_meeting[1] > self.date:
            raise InvalidInput(
                "at_meeting_id", "an action is reported done at a later meeting than the one that set it", rule="C8"
            )
        if at_meeting is not None and closed_on < at_meeting[1]:
            raise InvalidInput(
                "closed_on",
                f"an action reported done at the meeting of {_d(at_meeting[1])} is closed on that day or later",
                rule="C8",
            )
        self.trigger_event(
            self.ActionClosed,
            timestamp=at,
            **actor.event_fields(),
            number=number,
            note=note,
            closed_on=closed_on,
            at_meeting_id=at_meeting[0] if at_meeting else None,
            at_meeting_date=at_meeting[1] if at_meeting else None,
        )

    class MatterArisingClosed(Event):
        """Recorded on the meeting that discussed it; the meeting that set the action records ActionClosed."""

        from_meeting_id: UUID
        from_meeting_date: date
        number: int
        description: str
        note: str

        def apply(self, aggregate: Any) -> None:
            meeting: Meeting = aggregate
            meeting.held = True
            meeting.matters_closed = [*meeting.matters_closed, (self.from_meeting_id, self.number, self.note)]

    def close_matter_arising(self, *, actor: Actor, at: datetime, setting: Meeting, number: int, note: str) -> None:
        """Rule C8: this meeting discusses a matter arising from an earlier meeting of the body and closes
        it, with a note; both meetings record it (the application saves them together)."""
        self._check_held(at, "a matter arising closed at it", rule="C8")
        if setting.id == self.id or setting.body_id != self.body_id or not setting.date < self.date:
            raise InvalidInput(
                "from_meeting_id",
                f"a matter arising comes from an earlier meeting of the same body, {self.body_name}",
                rule="C8",
            )
        action = setting.actions.get(number)
        if action is None:
            raise InvalidInput("number", f"{setting.label} has no action {number}")
        setting.close_action(
            actor=actor, at=at, number=number, note=note, closed_on=self.date, at_meeting=(self.id, self.date)
        )
        closed = setting.actions[number]
        self.trigger_event(
            self.MatterArisingClosed,
            timestamp=at,
            **actor.event_fields(),
            from_meeting_id=setting.id,
            from_meeting_date=setting.date,
            number=number,
            description=closed.description,
            note=closed.note or "",
        )

    # ------------------------------------------------------------------- minutes

    class DraftMinutesRecorded(Event):
        file_sha256: str
        file_size: int
        file_content_type: str
        file_name: str
        drafted_on: date
        # A new draft replacing one not yet published: it needs clearing again.
        replaces_draft: bool

        def apply(self, aggregate: Any) -> None:
            meeting: Meeting = aggregate
            meeting.held = True
            meeting.minutes = FileRef.from_event(self)
            meeting.minutes_drafted_on = self.drafted_on
            meeting.minutes_status = MinutesStatus.DRAFT
            meeting.minutes_cleared_by = None
            meeting.minutes_cleared_on = None

    def record_draft_minutes(
        self, *, actor: Actor, at: datetime, file: FileRef, drafted_on: date | None = None
    ) -> None:
        """Rule C5: the draft minutes, drafted on ``drafted_on`` (today if not given), from the day of the
        meeting on; a new draft needs clearing again."""
        self._check_held(at, "minutes", rule="C5")
        drafted_on = check_date("drafted_on", drafted_on) or at.date()
        if not self.date <= drafted_on <= at.date():
            raise InvalidInput(
                "drafted_on",
                f"draft minutes are drafted between the meeting, {_d(self.date)}, and today, {_d(at.date())}",
                rule="C5",
            )
        if self.minutes_status in (MinutesStatus.PUBLISHED, MinutesStatus.APPROVED):
            raise DomainError(
                f"the minutes of {self.label} are published; amendments are made when the next meeting approves them",
                rule="C5",
            )
        self.trigger_event(
            self.DraftMinutesRecorded,
            timestamp=at,
            **actor.event_fields(),
            **file.checked().event_fields(),
            drafted_on=drafted_on,
            replaces_draft=self.minutes_status is not MinutesStatus.NONE,
        )

    class MinutesCleared(Event):
        cleared_by: str
        cleared_on: date

        def apply(self, aggregate: Any) -> None:
            meeting: Meeting = aggregate
            meeting.minutes_status = MinutesStatus.CLEARED
            meeting.minutes_cleared_by = self.cleared_by
            meeting.minutes_cleared_on = self.cleared_on

    def clear_minutes(self, *, actor: Actor, at: datetime, cleared_by: str, cleared_on: date | None = None) -> None:
        """Rule C5: the chair clears the draft minutes before they are published."""
        if self.minutes_status is MinutesStatus.NONE:
            raise DomainError(f"there are no draft minutes of {self.label} to clear", rule="C5")
        if self.minutes_status is not MinutesStatus.DRAFT:
            raise DomainError(f"the minutes of {self.label} are already {self.minutes_status.value}", rule="C5")
        cleared_by = check_text(
            "cleared_by", _required("cleared_by", cleared_by, "name the chair who cleared the minutes")
        )
        cleared_on = check_date("cleared_on", cleared_on) or at.date()
        assert self.minutes_drafted_on is not None
        if not self.minutes_drafted_on <= cleared_on <= at.date():
            raise InvalidInput(
                "cleared_on",
                f"the minutes were drafted on {_d(self.minutes_drafted_on)}; they are cleared between then and today",
                rule="C5",
            )
        self.trigger_event(
            self.MinutesCleared, timestamp=at, **actor.event_fields(), cleared_by=cleared_by, cleared_on=cleared_on
        )

    class MinutesPublished(Event):
        published_on: date
        minutes_due: date
        late: bool

        def apply(self, aggregate: Any) -> None:
            meeting: Meeting = aggregate
            meeting.minutes_status = MinutesStatus.PUBLISHED
            meeting.minutes_published_on = self.published_on

    def publish_minutes(self, *, actor: Actor, at: datetime) -> bool:
        """Rule C5: publishes the cleared draft minutes; publishing late is allowed but recorded. Returns late."""
        if self.minutes_status in (MinutesStatus.NONE, MinutesStatus.DRAFT):
            raise DomainError(
                f"the minutes of {self.label} must be cleared by the chair before they are published", rule="C5"
            )
        if self.minutes_status is not MinutesStatus.CLEARED:
            raise DomainError(f"the minutes of {self.label} were published on {_d(self.minutes_published_on)}")
        late = at.date() > self.minutes_due and not self.recorded_afterwards
        self.trigger_event(
            self.MinutesPublished,
            timestamp=at,
            **actor.event_fields(),
            published_on=at.date(),
            minutes_due=self.minutes_due,
            late=late,
        )
        return late

    class PreviousMinutesApproved(Event):
        """Recorded on the following meeting: it approved the minutes of the body's previous meeting."""

        previous_meeting_id: UUID
        previous_meeting_date: date
        amendments: str

        def apply(self, aggregate: Any) -> None:
            meeting: Meeting = aggregate
            meeting.held = True
            meeting.approved_minutes_of = self.previous_meeting_id

    class MinutesApproved(Event):
        """Recorded on the previous meeting, in the same transaction: its minutes were approved."""

        at_meeting_id: UUID
        at_meeting_date: date
        amendments: str

        def apply(self, aggregate: Any) -> None:
            meeting: Meeting = aggregate
            meeting.minutes_status = MinutesStatus.APPROVED
            meeting.minutes_approved_at = self.at_meeting_id

    def approve_previous_minutes(self, *, actor: Actor, at: datetime, previous: Meeting, amendments: str = "") -> None:
        """Rule C5: this meeting approves the published minutes of the same body's previous meeting.

        Records the approval on both meetings; the application saves them together, and checks that
        no other meeting of the body came between them.
        """
        self._check_held(at, "the approval of the previous minutes", rule="C5")
        if self.approved_minutes_of is not None:
            raise DomainError(f"{self.label} has already approved the minutes of its previous meeting", rule="C5")
        if previous.id == self.id or previous.body_id != self.body_id or not previous.date < self.date:
            raise InvalidInput(
                "previous_meeting_id",
                f"a meeting approves the minutes of an earlier meeting of the same body, {self.body_name}",
                rule="C5",
            )
        if previous.minutes_status is MinutesStatus.APPROVED:
            raise DomainError(f"the minutes of {previous.label} have already been approved", rule="C5")
        if previous.minutes_status is not MinutesStatus.PUBLISHED:
            raise DomainError(
                f"the minutes of {previous.label} have not been published, so they cannot be approved yet",
                rule="C5",
            )
        amendments = check_text("amendments", (amendments or "").strip(), long=True)
        fields = {**actor.event_fields(), "amendments": amendments}
        self.trigger_event(
            self.PreviousMinutesApproved,
            timestamp=at,
            previous_meeting_id=previous.id,
            previous_meeting_date=previous.date,
            **fields,
        )
        previous.trigger_event(
            previous.MinutesApproved, timestamp=at, at_meeting_id=self.id, at_meeting_date=self.date, **fields
        )
