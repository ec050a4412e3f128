"""/api/v1/search: search across the record, ranked, with the matching words marked.

Without a token, what the public may see (never an exempt item, an unpublished agenda, paper or minutes, or
a meeting not open to the public); with one, what the caller's role may see (web/search.py). A missing,
empty or over-long ``q`` is a 400 problem naming the field.
"""

from __future__ import annotations

from typing import Any

from flask_smorest import Blueprint
from marshmallow import RAISE, fields

from projections.queries.search import search
from web.api import problems
from web.api.access import api_user
from web.api.common import page_out
from web.api.schemas import Out, PageOut
from web.search import SearchArgs, audience_for, link
from web.services import services

blp = Blueprint("api_search", __name__, url_prefix="/api/v1", description="Search across the record")
problems.register(blp)


class SearchResultOut(Out):
    doc = fields.String(required=True, metadata={"description": "the document: <kind>:<id>[:<number>]"})
    kind = fields.String(
        required=True, metadata={"description": "body, meeting, item, paper, decision, action or project"}
    )
    label = fields.String(required=True, metadata={"description": "the kind in words"})
    title = fields.String(required=True, metadata={"description": "its title (empty for a decision or action)"})
    title_html = fields.String(required=True, metadata={"description": "the title, HTML-escaped, matches in <mark>"})
    snippet_html = fields.String(
        required=True, metadata={"description": "the part of its text that matched, HTML-escaped, matches in <mark>"}
    )
    context = fields.String(required=True, metadata={"description": "the meeting it belongs to: body and date"})
    body_id = fields.UUID(allow_none=True)
    meeting_id = fields.UUID(allow_none=True)
    project_id = fields.UUID(allow_none=True)
    number = fields.Integer(allow_none=True, metadata={"description": "its number in its meeting"})
    on_date = fields.Date(allow_none=True, metadata={"description": "the meeting's date"})
    public = fields.Boolean(required=True, metadata={"description": "whether the public can see it"})
    score = fields.Float(required=True, metadata={"description": "the database's rank (compare within one answer)"})
    url = fields.String(allow_none=True, metadata={"description": "the page that shows it, if there is one"})


class SearchPageOut(PageOut):
    items = fields.List(fields.Nested(SearchResultOut), required=True)


@blp.route("/search")
@blp.arguments(SearchArgs, location="query", unknown=RAISE, error_status_code=400)
@blp.response(200, SearchPageOut)
def search_record(args: dict[str, Any]) -> dict[str, Any]:
    """Bodies, meetings, agenda items, papers, decisions, actions and projects matching ``q``, best first."""
    audience = audience_for(api_user())
    with services().reading() as connection:
        page = search(connection, args["q"], audience=audience, page=args["page"], per_page=args["per_page"])
    for result in page.items:
        result.pop("n", None)
        result["url"] = link(result, audience)
        result["title_html"], result["snippet_html"] = str(result["title_html"]), str(result["snippet_html"])
    return page_out(page)
