"""Search across the record, as the UI (web/ui/search.py) and the API (web/api/search.py) both offer it:
what may be asked (``SearchArgs``), who sees what (``audience_for``), and where each result leads (``link``).

The read model and its query are projections/search.py and projections/queries/search.py.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import url_for
from marshmallow import RAISE, Schema, ValidationError, fields, validate, validates

from application import authority
from application.authority import Duty
from application.users import User
from domain.bounds import SEARCH_TEXT, text_problem
from projections.queries.search import Audience
from web.auth import current_user

MAX_PER_PAGE = 50
MAX_PAGE = 100
NO_WORDS = "Enter the words to search for"


class SearchArgs(Schema):
    """The search's question: its words (``q``), bounded, and which page of the answers."""

    class Meta:
        unknown = RAISE

    q = fields.String(
        required=True,
        validate=validate.Length(max=SEARCH_TEXT, error=f"Enter {SEARCH_TEXT} characters or fewer"),
        metadata={
            "description": f"the words to look for, up to {SEARCH_TEXT} characters: all must match; "
            '"a phrase" keeps words together, -word leaves out what has it, a or b needs either'
        },
        error_messages={"required": NO_WORDS},
    )
    page = fields.Integer(load_default=1, validate=validate.Range(1, MAX_PAGE), metadata={"description": "from 1"})
    per_page = fields.Integer(load_default=20, validate=validate.Range(1, MAX_PER_PAGE))

    @validates("q")
    def _words(self, value: str, **_: Any) -> None:
        if not value.strip():
            raise ValidationError(NO_WORDS)
        problem = text_problem(value)
        if problem:
            raise ValidationError(f"The search {problem}")


def audience_for(user: User | None) -> Audience:
    """The public without signing in; whoever keeps the meetings' record (the authority table's meetings
    duty, as the meeting pages ask) sees all of it, exempt items included; anyone else signed in sees what
    the public does and the bodies and projects that every signed-in person may open."""
    if user is None:
        return Audience.PUBLIC
    if authority.may(user.role, Duty.MEETINGS):
        return Audience.RECORD
    return Audience.SIGNED_IN


def _body(result: dict[str, Any], audience: Audience) -> str | None:
    if audience is not Audience.PUBLIC:
        return url_for("bodies.body_page", body_id=result["body_id"])
    return url_for("public_bodies.body_page", body_id=result["body_id"])  # web/ui/public_bodies.py


def _meeting(result: dict[str, Any], audience: Audience) -> str:
    if audience is Audience.RECORD:
        return url_for("meetings.meeting", meeting_id=result["meeting_id"])
    return url_for("public.meeting", meeting_id=result["meeting_id"])  # the result is public (the query's filter)


def _project(result: dict[str, Any], audience: Audience) -> str:
    return url_for("projects.project_page", project_id=result["project_id"])


def _consultation(result: dict[str, Any], audience: Audience) -> str | None:
    consultation_id = result["doc"].split(":", 1)[1]
    user = current_user()
    if audience is not Audience.PUBLIC and user is not None and authority.may(user.role, Duty.CONSULTATIONS):
        return url_for("consultations.consultation_page", consultation_id=consultation_id)
    if result["public"]:  # published: its public page
        return url_for("consultations.public_consultation", consultation_id=consultation_id)
    return None  # a draft, found by someone who keeps the meetings' record but not the panel's


# Where a result of each kind leads; a new kind of document adds its line.
LINKS: dict[str, Callable[[dict[str, Any], Audience], str | None]] = {
    "body": _body,
    "meeting": _meeting,
    "item": _meeting,
    "paper": _meeting,
    "decision": _meeting,
    "action": _meeting,
    "project": _project,
    "consultation": _consultation,
}


def link(result: dict[str, Any], audience: Audience) -> str | None:
    to = LINKS.get(result["kind"])
    return to(result, audience) if to is not None else None
