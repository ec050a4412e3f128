"""What every command input schema shares: unknown fields refused, and messages that say what to fix.

A schema loads JSON-style values (ISO 8601 dates, numbers, strings, lists) into the keyword arguments
of one PartnershipHub command: the JSON API loads request bodies with it, the UI loads its forms
with it (after turning GOV.UK date inputs into ISO dates). The actor, the record's id (from the path)
and ``expected_version`` (from If-Match or a hidden field) are not part of the input. Rules that need
the record (shares, dates in order, who may clear minutes) stay with the domain, which names the
field it refuses (domain.errors.InvalidInput), so both channels show that message next to the field.
"""

from __future__ import annotations

from typing import Any, ClassVar

from marshmallow import RAISE, Schema, fields, post_load, validate

from domain.body import Decision

# Long enough for any real paragraph; short enough that a runaway client can't store megabytes of text.
SHORT = 200
LONG = 20_000


def text(what: str, *, max_length: int = SHORT, required: bool = True, **kwargs: Any) -> fields.String:
    """A text field; when required, it must hold something other than spaces."""
    if not required:
        return fields.String(allow_none=True, validate=validate.Length(max=max_length), **kwargs)
    return fields.String(
        required=True,
        validate=[
            validate.Length(max=max_length, error=f"{what} must be {max_length} characters or fewer"),
            validate.Regexp(r"\S", error=f"enter {what}"),
        ],
        error_messages={"required": f"enter {what}", "null": f"enter {what}"},
        **kwargs,
    )


def day(what: str, *, required: bool = True) -> fields.Date:
    messages = {"invalid": f"{what} must be a real date, like 2027-03-31", "required": f"enter {what}"}
    if required:
        messages["null"] = f"enter {what}"
    return fields.Date(required=required, allow_none=not required, error_messages=messages)


def whole_number(what: str, *, minimum: int, maximum: int, required: bool = True) -> fields.Integer:
    return fields.Integer(
        required=required,
        allow_none=not required,
        strict=True,
        validate=validate.Range(minimum, maximum, error=f"{what} must be from {minimum} to {maximum}"),
        error_messages={"invalid": f"{what} must be a whole number", "required": f"enter {what}"},
    )


def choice(enum: type, what: str, *, required: bool = True) -> fields.Enum:
    return fields.Enum(
        enum,
        by_value=True,
        required=required,
        allow_none=not required,
        error_messages={"unknown": f"choose {what} from: {{choices}}", "required": f"choose {what}"},
    )


UNKNOWN_FIELD = {
    "unknown": "is not a field of this request: remove it or check its spelling",
    "type": "send a JSON object of this request's fields",
}


class CommandInput(Schema):
    """Base of every command's input; ``command`` names the PartnershipHub method it feeds."""

    command: ClassVar[str]
    error_messages = UNKNOWN_FIELD

    class Meta:
        unknown = RAISE

    @post_load
    def _kwargs(self, data: dict[str, Any], **_: Any) -> dict[str, Any]:
        return self.to_kwargs(data)

    def to_kwargs(self, data: dict[str, Any]) -> dict[str, Any]:
        """Turns loaded fields into the command's keyword arguments (subclasses build value objects here)."""
        return data


class DecisionInput(CommandInput):
    """A governance change: why, from when, and who decided (rule F4), as flat fields."""

    reason = text("the reason for the change", max_length=LONG)
    effective_date = day("the date the change takes effect", required=False)
    decided_by = text("who decided", required=False)
    decision_ref = text("the decision reference", required=False)

    def to_kwargs(self, data: dict[str, Any]) -> dict[str, Any]:
        decision = Decision(
            reason=data.pop("reason"),
            effective_date=data.pop("effective_date", None),
            decided_by=data.pop("decided_by", None) or "",
            decision_ref=data.pop("decision_ref", None) or "",
        )
        return {**data, "decision": decision}


class FileRefInput(Schema):
    """A stored file as the file store described it (application/files.py); the hub checks it exists."""

    error_messages = UNKNOWN_FIELD

    class Meta:
        unknown = RAISE

    sha256 = fields.String(
        required=True, validate=validate.Regexp(r"^[0-9a-f]{64}$", error="a SHA-256 is 64 lower-case hex characters")
    )
    size = whole_number("the file's size in bytes", minimum=1, maximum=1 << 40)
    content_type = text("the file's content type")
    filename = text("the file's name")
