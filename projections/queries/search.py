"""Reads of the search read model: ranked documents a reader may see, with the words that matched marked.

The reader's audience is a required keyword, so every caller decides (as ``public_only`` does for the
meeting queries): ``PUBLIC`` sees only documents whose ``public`` column is set (projections/search.py
works it out: never an exempt item, an unpublished agenda, paper or minutes, or a meeting not open to the
public); ``SIGNED_IN`` adds what anyone signed in may see (bodies, projects); ``RECORD`` is everything.

What someone types is never handed to the database as query syntax. PostgreSQL's ``websearch_to_tsquery``
takes any text; for SQLite's FTS5 ``fts5_query`` rebuilds it from its words alone, each quoted, keeping
``"phrases"``, ``-word`` (not), ``or`` and a trailing ``*`` (a prefix), so ``NEAR``, ``AND``, stray quotes,
brackets and colons are only words or nothing.

Matches come back marked with two control characters, which recorded text cannot hold
(domain/bounds.py); ``marked`` escapes the text and only then turns the marks into ``<mark>``.
"""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Any

from markupsafe import Markup, escape
from sqlalchemy import Connection, text

from projections.queries.common import Page
from projections.search import RECORD, SIGNED_IN, search_documents

START, END = "\x02", "\x03"
# Counting stops here: past it the page says "more than".
COUNT_LIMIT = 1000
KIND_LABELS = {
    "body": "Body",
    "meeting": "Meeting",
    "item": "Agenda item",
    "paper": "Paper",
    "decision": "Decision",
    "action": "Action",
    "project": "Project",
}


class Audience(StrEnum):
    PUBLIC = "public"
    SIGNED_IN = SIGNED_IN
    RECORD = RECORD


_VISIBLE = {
    Audience.PUBLIC: "d.public",
    Audience.SIGNED_IN: f"(d.public OR d.reader = '{SIGNED_IN}')",
    Audience.RECORD: "TRUE",
}
# Columns read back as their types (ids, dates and booleans are not plain text on SQLite).
_TYPED = ("body_id", "meeting_id", "project_id", "on_date", "public")
_COLUMNS = (
    "d.doc, d.n, d.kind, d.title, d.context, d.body_id, d.meeting_id, d.project_id, d.number, d.on_date, d.public"
)

# --------------------------------------------------------------------------- SQLite: FTS5


def _sqlite_found(visible: str) -> str:
    return (
        "FROM rm_search_fts JOIN rm_search_documents d ON d.n = rm_search_fts.rowid "
        f"WHERE rm_search_fts MATCH :expression AND {visible}"
    )


def _sqlite_page(visible: str) -> str:
    return (
        f"SELECT {_COLUMNS}, rm_search_fts.rank AS score, "
        "highlight(rm_search_fts, 0, :start, :end) AS title_marked, "
        "snippet(rm_search_fts, 1, :start, :end, '…', 32) AS text_marked, "
        "snippet(rm_search_fts, 2, :start, :end, '…', 32) AS more_marked "
        f"{_sqlite_found(visible)} ORDER BY rm_search_fts.rank, d.n DESC LIMIT :limit OFFSET :offset"
    )


_WORD = re.compile(r"[^\W_]+")
# A quoted phrase (its closing quote optional), or a run of anything else up to a space or quote; each may
# start with "-" (not).
_TERM = re.compile(r'(-?)"([^"]*)"?|(-?)([^\s"]+)')


def fts5_query(q: str) -> str:
    """An FTS5 query built only from the words of ``q`` (empty when it has none): every word quoted, so
    nothing typed is taken as FTS5 syntax. Terms are all required, except that ``a or b`` needs either,
    ``-word`` excludes, a ``"phrase"`` keeps its words together, and ``word*`` matches a prefix."""
    groups: list[list[str]] = []
    excluded: list[str] = []
    join_next = False
    for match in _TERM.finditer(q):
        negated, phrase, negated_word, word = match.groups()
        raw = phrase if phrase is not None else word
        if phrase is None and raw.lower() == "or" and groups:
            join_next = True
            continue
        words = _WORD.findall(raw)
        if not words:
            continue
        term = '"' + " ".join(words) + '"'
        if phrase is None and raw.endswith("*") and len(words) == 1:
            term += "*"
        if negated or negated_word:
            excluded.append(term)
        elif join_next:
            groups[-1].append(term)
        else:
            groups.append([term])
        join_next = False
    if not groups:
        return ""  # nothing to look for (FTS5 cannot start with NOT, nor can PostgreSQL's search find it)
    wanted = " AND ".join("(" + " OR ".join(g) + ")" for g in groups)
    return f"({wanted}) NOT ({' OR '.join(excluded)})" if excluded else wanted


# --------------------------------------------------------------------------- PostgreSQL: tsvector + GIN


def _postgres_found(visible: str) -> str:
    return f"FROM rm_search_documents d WHERE d.terms @@ websearch_to_tsquery('english', :q) AND {visible}"


def _postgres_page(visible: str) -> str:
    # The headlines are worked out for the page's rows only: the inner query ranks and cuts the page.
    return (
        "WITH found AS ("
        f"SELECT {_COLUMNS}, d.text, d.more, ts_rank(d.terms, websearch_to_tsquery('english', :q)) AS score "
        f"{_postgres_found(visible)} ORDER BY score DESC, d.n DESC LIMIT :limit OFFSET :offset) "
        "SELECT found.*, "
        "ts_headline('english', found.title, websearch_to_tsquery('english', :q), :whole) AS title_marked, "
        "ts_headline('english', found.text, websearch_to_tsquery('english', :q), :part) AS text_marked, "
        "ts_headline('english', found.more, websearch_to_tsquery('english', :q), :part) AS more_marked "
        "FROM found ORDER BY found.score DESC, found.n DESC"
    )


_HEADLINE = f'StartSel="{START}", StopSel="{END}"'
_WHOLE = f"{_HEADLINE}, HighlightAll=true"
_PART = f'{_HEADLINE}, MaxWords=35, MinWords=15, ShortWord=2, MaxFragments=2, FragmentDelimiter=" … "'


# --------------------------------------------------------------------------- the search


def search(connection: Connection, q: str, *, audience: Audience, page: int = 1, per_page: int = 20) -> Page:
    """The documents matching ``q`` that ``audience`` may see, best first (then newest first), one page of
    them, each with ``title_html`` and ``snippet_html`` (escaped, matches in ``<mark>``) and ``label``."""
    visible = _VISIBLE[audience]
    limits = {"limit": per_page, "offset": (page - 1) * per_page}
    expression = fts5_query(q)
    if not expression:  # no word to look for (only "-word"s, or no words at all): nothing, on either database
        return Page([], 0, page, per_page)
    if connection.dialect.name == "postgresql":
        params: dict[str, Any] = {"q": q}
        found, listed = _postgres_found(visible), _postgres_page(visible)
        extra = {"whole": _WHOLE, "part": _PART}
    else:
        params = {"expression": expression}
        found, listed = _sqlite_found(visible), _sqlite_page(visible)
        extra = {"start": START, "end": END}
    counted = connection.scalar(text(f"SELECT count(*) FROM (SELECT 1 {found} LIMIT {COUNT_LIMIT + 1}) AS c"), params)
    total, exact = (COUNT_LIMIT, False) if counted > COUNT_LIMIT else (counted, True)
    typed = text(listed).columns(**{name: search_documents.c[name].type for name in _TYPED})
    rows = connection.execute(typed, {**params, **limits, **extra}).mappings().all()
    return Page([_result(dict(r)) for r in rows], total, page, per_page, exact=exact)


def _result(row: dict[str, Any]) -> dict[str, Any]:
    title_marked = row.pop("title_marked") or ""
    text_marked, more_marked = row.pop("text_marked") or "", row.pop("more_marked") or ""
    row.pop("text", None)
    row.pop("more", None)
    # The text that matched, or failing that the one that did (a match in the title alone: the text's start).
    snippet = next((s for s in (text_marked, more_marked) if START in s), text_marked or more_marked)
    row["label"] = KIND_LABELS.get(row["kind"], row["kind"].capitalize())
    row["title_html"] = marked(title_marked)
    row["snippet_html"] = marked(snippet)
    row["score"] = float(row["score"])
    return row


def marked(found: str) -> Markup:
    """The text escaped for HTML, then its marked matches wrapped in ``<mark>`` (marks always balanced)."""
    out: list[str] = []
    inside = False
    for piece in re.split(f"([{START}{END}])", found):
        if piece == START:
            if not inside:
                out.append("<mark>")
            inside = True
        elif piece == END:
            if inside:
                out.append("</mark>")
            inside = False
        else:
            out.append(str(escape(piece)))
    if inside:
        out.append("</mark>")
    return Markup("".join(out))
