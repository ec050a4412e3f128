"""The audit log of governance changes: filtered by body, kind of change, actor and dates; CSV export."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import UTC, date, datetime
from typing import Any

from flask import Blueprint, Response, render_template, request

from projections import queries
from web.downloads import csv_cell
from web.services import services
from web.ui.access import requires_sign_in
from web.ui.params import date_from_parts, page_number, uuid_or_none, with_args

bp = Blueprint("audit", __name__)

CSV_COLUMNS = (
    "recorded_at",
    "effective_date",
    "subject_type",
    "subject_name",
    "change",
    "sentence",
    "reason",
    "decided_by",
    "decision_ref",
    "actor",
    "actor_role",
    "version",
    "changes",
)
CSV_BATCH = 2000


def _filters() -> tuple[dict[str, Any], dict[str, str], dict[str, str]]:
    date_from, from_error, from_values = date_from_parts("from")
    date_to, to_error, to_values = date_from_parts("to")
    errors = {k: v for k, v in (("from", from_error), ("to", to_error)) if v}
    if date_from and date_to and date_to < date_from:
        errors["to"] = "The end date must be the same as or after the start date"
    values = {
        "body": request.args.get("body", ""),
        "change": request.args.get("change", ""),
        "actor": request.args.get("actor", ""),
        **from_values,
        **to_values,
    }
    filters = {
        "body_id": uuid_or_none(values["body"]),
        "change": values["change"] or None,
        "actor": values["actor"].strip() or None,
        "date_from": date_from,
        "date_to": date_to,
    }
    return filters, values, errors


@bp.get("/audit")
@requires_sign_in
def audit_page() -> tuple[str, int] | str:
    filters, values, errors = _filters()
    oldest_first = request.args.get("order") == "oldest"
    with services().reading() as connection:
        page = queries.audit(connection, **filters, newest_first=not oldest_first, page=page_number(), per_page=25)
        changes = queries.audit_changes(connection)
        body_options = [(str(body_id), name) for body_id, name in queries.audit_bodies(connection)]
        actor_options = [(actor, actor) for actor in queries.audit_actors(connection)]
        body_name = None
        if filters["body_id"]:
            body = queries.body(connection, filters["body_id"], today=date.today())
            body_name = body["name"] if body else None
    # How far the record's hash chain was last verified: a fact of the log, not of a read model.
    verified = services().hub.last_verified()
    html = render_template(
        "audit.html",
        page=page,
        values=values,
        errors=errors,
        changes=changes,
        body_options=body_options,
        actor_options=actor_options,
        body_name=body_name,
        oldest_first=oldest_first,
        verified=verified,
        csv_url="/audit.csv" + (request.full_path[len(request.path) :] if request.query_string else ""),
        url_for_page=lambda n: with_args(page=n),
        url_for_order=lambda: with_args(order=None if oldest_first else "oldest", page=None),
    )
    return (html, 400) if errors else html


@bp.get("/audit.csv")
@requires_sign_in
def audit_csv() -> Response:
    """Every matching row, streamed in pages so a million-row log does not sit in memory."""
    filters, _values, _errors = _filters()
    svc = services()

    def rows() -> Iterator[str]:
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(CSV_COLUMNS)
        yield buffer.getvalue()
        after = -1
        while True:  # keyset pages: each batch starts after the last row sent, no OFFSET, no COUNT
            with svc.reading() as connection:
                batch = queries.audit_after(connection, after, limit=CSV_BATCH, **filters)
            if not batch:
                break
            buffer.seek(0)
            buffer.truncate()
            for row in batch:
                writer.writerow([csv_cell(_with_offset(c, row[c])) for c in CSV_COLUMNS])
            yield buffer.getvalue()
            after = batch[-1]["notification_id"]
        # The last line: the record's head as this export ends, to keep elsewhere and check later with
        # `partnership-hub audit verify --head` (application/chain.py).
        buffer.seek(0)
        buffer.truncate()
        writer.writerow(["# record head", svc.hub.chain_head() or "empty"])
        yield buffer.getvalue()

    response = Response(rows(), mimetype="text/csv")
    response.headers["Content-Disposition"] = 'attachment; filename="audit-log.csv"'
    return response


def _with_offset(column: str, value: Any) -> Any:
    """The recorded time as ISO 8601 with its offset: the read model keeps it as naive UTC."""
    if column == "recorded_at" and isinstance(value, datetime):
        return value.replace(tzinfo=UTC).isoformat()
    return value
