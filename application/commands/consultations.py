"""Inputs of the virtual panel's commands (rule A4): panel members, consultations, questions and outcomes."""

from __future__ import annotations

from marshmallow import RAISE, Schema, fields, validate

from application.authority import Duty
from application.commands.definition import CONSULTATION, PANEL_MEMBER, define
from application.commands.inputs import LONG, UNKNOWN_FIELD, CommandInput, Listing, choice, day, text, whole_number
from application.consultation_commands import ConsultationCommands
from domain.consultation import MAX_OPTIONS, Audience, QuestionKind

EMAIL = validate.Regexp(r"^[^@\s]+@[^@\s]+\.[^@\s]+\Z", error="enter an e-mail address, like name@example.com")


@define(
    title="Add a panel member",
    creates=PANEL_MEMBER,
    duty=Duty.CONSULTATIONS,
    handler=ConsultationCommands.add_panel_member,
)
class AddPanelMember(CommandInput):
    """Adds someone to the virtual panel who has consented to be contacted, with the date they consented (A4)."""

    name = text("their name")
    email = text("their e-mail address", max_length=320, also=[EMAIL])
    consent_on = day("the date they consented to be contacted")
    interests = Listing(text("an interest"), "the interests", max_items=50, required=False)
    member_of = fields.UUID(allow_none=True, metadata={"description": "the body they sit on, if any"})


@define(
    title="Record that they left the panel",
    about=PANEL_MEMBER,
    duty=Duty.CONSULTATIONS,
    handler=ConsultationCommands.remove_panel_member,
    versioned=False,
)
class RemovePanelMember(CommandInput):
    """Records that a panel member left; nothing more is sent to them (A4)."""


@define(
    title="Draft a consultation",
    creates=CONSULTATION,
    duty=Duty.CONSULTATIONS,
    handler=ConsultationCommands.draft_consultation,
)
class DraftConsultation(CommandInput):
    """Drafts a consultation of the panel: what it asks about, of whom, and when it is open (A4)."""

    title = text("the title")
    summary = text("a plain-English summary", max_length=LONG)
    concerns = text("the service or body it concerns")
    body_id = fields.UUID(allow_none=True, metadata={"description": "the body it concerns, if it concerns one"})
    audience = choice(Audience, "the audience")
    topic = text("the topic", required=False)
    opens_on = day("the open date")
    closes_on = day("the close date")
    anonymous_allowed = fields.Boolean(load_default=False)


@define(title="Add a question", about=CONSULTATION, duty=Duty.CONSULTATIONS, handler=ConsultationCommands.add_question)
class AddQuestion(CommandInput):
    """Adds a question to a draft consultation: free text, choose one, choose any, or a 1 to 5 scale."""

    question = text("the question", max_length=1000)
    kind = choice(QuestionKind, "the kind of question")
    options = Listing(text("an answer to choose from"), "the answers to choose from", max_items=MAX_OPTIONS,
                      required=False)  # fmt: skip
    required = fields.Boolean(load_default=False)


@define(
    title="Remove a question", about=CONSULTATION, duty=Duty.CONSULTATIONS, handler=ConsultationCommands.remove_question
)
class RemoveQuestion(CommandInput):
    """Removes a question from a draft consultation."""

    number = whole_number("the question's number", minimum=1, maximum=1000)


@define(
    title="Publish the consultation",
    about=CONSULTATION,
    duty=Duty.CONSULTATIONS,
    handler=ConsultationCommands.publish_consultation,
)
class PublishConsultation(CommandInput):
    """Publishes the consultation and e-mails each panel member in its audience their own link (A4)."""


@define(
    title="Publish the outcome",
    about=CONSULTATION,
    duty=Duty.CONSULTATIONS,
    handler=ConsultationCommands.publish_outcome,
)
class PublishOutcome(CommandInput):
    """ "You said, we did": what came of a closed consultation, sent to its respondents and published (A4)."""

    outcome = text("what came of the consultation", max_length=LONG)
    linked_body_id = fields.UUID(allow_none=True, metadata={"description": "the body whose decision it fed"})
    linked_meeting_id = fields.UUID(allow_none=True, metadata={"description": "the meeting whose decision it fed"})
    linked_project_id = fields.UUID(allow_none=True, metadata={"description": "the project it fed"})


class PanelSignUp(Schema):
    """What someone signing themselves up gives (the public form; no account, so no command of the
    dispatcher): their consent is the ticked box, recorded with today's date (A4)."""

    error_messages = UNKNOWN_FIELD

    class Meta:
        unknown = RAISE

    name = text("your name")
    email = text("your e-mail address", max_length=320, also=[EMAIL])
    interests = Listing(text("an interest"), "your interests", max_items=50, required=False)
    consent = fields.Boolean(
        required=True,
        validate=validate.Equal(True, error="tick the box to agree to be contacted about consultations"),
    )
