"""The search page: one box, at /search (what the reader may see: the public's view when signed out) and at
/public/search (the public's view, whoever asks). Results are ranked, with the words that matched marked.

The box in the header (layout.html) sends its words here. What may be asked, who sees what and where each
result leads are web/search.py's, shared with the API.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template, request
from marshmallow import ValidationError

from projections.queries.search import Audience, search
from web.auth import current_user
from web.search import MAX_PAGE, NO_WORDS, SearchArgs, audience_for, link
from web.services import services
from web.ui.params import page_number, with_args

bp = Blueprint("search", __name__)


@bp.get("/search")
def search_page() -> tuple[str, int]:
    return _page(audience_for(current_user()), public_page=False)


@bp.get("/public/search")
def public_search_page() -> tuple[str, int]:
    return _page(Audience.PUBLIC, public_page=True)


def _page(audience: Audience, *, public_page: bool) -> tuple[str, int]:
    values = {"q": request.args.get("q", "")}
    context: dict[str, Any] = {"values": values, "errors": {}, "page": None, "public_page": public_page}
    if "q" not in request.args:  # the page itself, before anything is asked
        return render_template("search/search.html", **context), 200
    try:
        args = SearchArgs().load({"q": values["q"], "page": min(page_number(), MAX_PAGE)})
    except ValidationError as error:
        context["errors"] = {"q": " ".join(error.normalized_messages().get("q", [NO_WORDS]))}
        return render_template("search/search.html", **context), 400
    with services().reading() as connection:
        page = search(connection, args["q"], audience=audience, page=args["page"], per_page=args["per_page"])
    for result in page.items:
        result["url"] = link(result, audience)
    context.update(page=page, url_for_page=lambda n: with_args(page=n))
    return render_template("search/search.html", **context), 200
