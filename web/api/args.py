"""Query-string parameters of the API's reads; unknown parameters are refused like unknown fields."""

from __future__ import annotations

from datetime import UTC

from marshmallow import RAISE, Schema, fields, validate

from domain.vocabulary import BodyKind, BodyStatus

MAX_PER_PAGE = 100


class Args(Schema):
    class Meta:
        unknown = RAISE


class PageArgs(Args):
    page = fields.Integer(load_default=1, validate=validate.Range(1, 100_000), metadata={"description": "from 1"})
    per_page = fields.Integer(load_default=25, validate=validate.Range(1, MAX_PER_PAGE))


class DirectoryArgs(PageArgs):
    kind = fields.String(validate=validate.OneOf([k.value for k in BodyKind]))
    status = fields.String(validate=validate.OneOf([s.value for s in BodyStatus]))
    q = fields.String(validate=validate.Length(max=200), metadata={"description": "part of the body's name"})


class BodyArgs(Args):
    as_at = fields.AwareDateTime(
        default_timezone=UTC,
        metadata={
            "description": "ISO 8601 moment: the body as the record stood then (by recorded time, "
            "so a change recorded later with an earlier effective date is not shown). "
            "Without an offset it is taken as UTC, e.g. 2026-03-02T09:00:00Z."
        },
    )


class MeetingArgs(PageArgs):
    start = fields.Date(metadata={"description": "meetings on or after this day"})
    end = fields.Date(metadata={"description": "meetings on or before this day"})
    body_id = fields.UUID()


class ProjectArgs(PageArgs):
    lead = fields.String(validate=validate.Length(max=100), metadata={"description": "the lead's user id"})


class AuditArgs(PageArgs):
    body = fields.UUID(metadata={"description": "changes concerning this body"})
    type = fields.String(validate=validate.Length(max=60), metadata={"description": "the change, e.g. funding_changed"})
    actor = fields.String(validate=validate.Length(max=100), metadata={"description": "the user who recorded it"})
    from_ = fields.Date(data_key="from", metadata={"description": "changes taking effect on or after this day"})
    to = fields.Date(metadata={"description": "changes taking effect on or before this day"})


class RemindersArgs(Args):
    include_done = fields.Boolean(load_default=False)
