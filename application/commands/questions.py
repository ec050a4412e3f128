"""Inputs of the questions from the public (rule C7): asked without an account, answered by the officer."""

from __future__ import annotations

from marshmallow import fields

from application.authority import Duty
from application.commands.definition import MEETING, QUESTION, define
from application.commands.inputs import LONG, CommandInput, text
from application.question_commands import QuestionCommands
from domain.public_question import EMAIL_LENGTH


@define(
    title="Ask a question",
    about=MEETING,
    creates=QUESTION,
    duty=Duty.PUBLIC,
    handler=QuestionCommands.ask_public_question,
)
class AskPublicQuestion(CommandInput):
    """A member of the public puts a written question to a public meeting of a conference or consultative group,
    no account needed; received until 5pm on the fourth working day before the meeting (C7). The name is
    published with the answer only with consent; the e-mail address never."""

    name = text("your name")
    email = text("your e-mail address", max_length=EMAIL_LENGTH)
    question = text("your question", max_length=LONG)
    publish_name = fields.Boolean(
        load_default=False,
        metadata={"description": "whether the asker's name may be published with the question and answer"},
        error_messages={"invalid": "say yes or no: may your name be published with your question"},
    )


@define(
    title="Record the answer to a question",
    about=MEETING,
    duty=Duty.MEETINGS,
    handler=QuestionCommands.answer_public_question,
    # The answer changes the question, not the meeting: no meeting version to name.
    versioned=False,
)
class AnswerPublicQuestion(CommandInput):
    """Records the answer given at the meeting to a question from the public (C7); it is published with the minutes."""

    question_id = fields.UUID(required=True, error_messages={"required": "choose the question answered"})
    answer = text("the answer given at the meeting", max_length=LONG)
