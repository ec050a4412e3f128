"""What every command's input schema shares: unknown fields refused, and messages that say what to fix.

A schema loads JSON-style values (ISO 8601 dates, numbers, strings, lists) into the keyword arguments
of one command's handler: the dispatcher loads with it whatever came in, from the JSON API's request
body, a UI form (after its fields are reshaped: GOV.UK date inputs into ISO dates) or the CLI. The
actor, the record's id and ``expected_version`` are not part of the input. Rules that need the record
(shares, dates in order, who may clear minutes) stay with the domain, which names the field it
refuses (domain.errors.InvalidInput), so every channel shows that message next to the field.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, ClassVar

from marshmallow import RAISE, Schema, ValidationError, fields, post_load, utils, validate

from domain import bounds
from domain.body import Decision

if TYPE_CHECKING:
    from application.commands.definition import Command

# Long enough for any real paragraph; short enough that a runaway client can't store megabytes of text.
# The domain keeps to the same bounds (domain/bounds.py) for callers that bypass these schemas.
SHORT = bounds.SHORT_TEXT
LONG = bounds.LONG_TEXT
# Whole numbers longer than this are refused before anything computes with them.
MAX_DIGITS = 15


class Text(fields.String):
    """Text as the record keeps it: normalised to NFC, with no NUL or other control characters (tabs and
    line breaks only in long text) and no lone surrogates, which no database or page can carry."""

    def __init__(self, what: str, *, long: bool, **kwargs: Any) -> None:
        self.what = what
        self.long = long
        messages = {"invalid": f"{what} must be text", "invalid_utf8": f"{what} must be text in UTF-8"}
        super().__init__(**kwargs)
        self.error_messages = {**self.error_messages, **messages, **kwargs.get("error_messages", {})}

    def _deserialize(self, value: Any, attr: str | None, data: Mapping[str, Any] | None, **kwargs: Any) -> str:
        text = super()._deserialize(value, attr, data, **kwargs)
        problem = bounds.text_problem(text, long=self.long)
        if problem:
            raise ValidationError(f"{self.what} {problem}")
        return unicodedata.normalize("NFC", text)


def text(
    what: str, *, max_length: int = SHORT, required: bool = True, also: Sequence[validate.Validator] = (), **kwargs: Any
) -> Text:
    """A text field (long text, with line breaks, when ``max_length`` is beyond SHORT); when required,
    it must hold something other than spaces. ``also``: further checks (a pattern, a least length)."""
    long = max_length > SHORT
    length = validate.Length(max=max_length, error=f"{what} must be {max_length} characters or fewer")
    if not required:
        return Text(what, long=long, allow_none=True, validate=[length, *also], **kwargs)
    return Text(
        what,
        long=long,
        required=True,
        # A pattern given in ``also`` says what the text must be (and is the one the API's document shows).
        validate=[length, *also]
        if any(isinstance(v, validate.Regexp) for v in also)
        else [length, validate.Regexp(r"\S", error=f"enter {what}"), *also],
        error_messages={"required": f"enter {what}", "null": f"enter {what}"},
        **kwargs,
    )


def within_window(what: str) -> validate.Range:
    return validate.Range(bounds.EARLIEST, bounds.LATEST, error=f"{what} must be {bounds.WINDOW}")


def day(what: str, *, required: bool = True) -> fields.Date:
    """A date, ISO 8601, within the window the hub computes with (1900 to 2199)."""
    messages = {"invalid": f"{what} must be a real date, like 2027-03-31", "required": f"enter {what}"}
    if required:
        messages["null"] = f"enter {what}"
    return fields.Date(
        required=required, allow_none=not required, error_messages=messages, validate=within_window(what)
    )


class WholeNumber(fields.Integer):
    """A whole number sent as a number: not true or false, not text, not a decimal, NaN or infinity (a
    JSON 1e400 arrives as infinity), and not so long that computing with it is a risk."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(strict=True, **kwargs)

    def _validated(self, value: Any) -> int:
        if isinstance(value, float):
            raise self.make_error("decimal")
        if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 10**MAX_DIGITS:
            raise self.make_error("too_large")
        return super()._validated(value)


def whole_number(
    what: str,
    *,
    minimum: int,
    maximum: int,
    required: bool = True,
    allow_none: bool | None = None,
    messages: Mapping[str, str] | None = None,
) -> WholeNumber:
    return WholeNumber(
        required=required,
        allow_none=not required if allow_none is None else allow_none,
        validate=validate.Range(minimum, maximum, error=f"{what} must be from {minimum} to {maximum}"),
        error_messages={
            "invalid": f"{what} must be a whole number",
            "decimal": f"{what} must be a whole number, without a decimal point or exponent",
            "too_large": f"{what} must be from {minimum} to {maximum}",
            "required": f"enter {what}",
            **(messages or {}),
        },
    )


def choice(enum: type, what: str, *, required: bool = True) -> fields.Enum:
    return fields.Enum(
        enum,
        by_value=True,
        required=required,
        allow_none=not required,
        error_messages={"unknown": f"choose {what} from: {{choices}}", "required": f"choose {what}"},
    )


class Listing(fields.List):
    """A list of at most ``max_items`` entries (at least ``min_items``), counted before any entry is loaded."""

    def __init__(
        self, inner: fields.Field | type[fields.Field], what: str, *, max_items: int, min_items: int = 0, **kwargs: Any
    ) -> None:
        self.what = what
        self.min_items = min_items
        self.max_items = max_items
        # Never fails (the count is checked first, below); it puts minItems and maxItems in the API's document.
        given = kwargs.pop("validate", None)
        validators = [given] if callable(given) else list(given or [])
        kwargs["validate"] = [*validators, validate.Length(min=min_items or None, max=max_items)]
        super().__init__(inner, **kwargs)
        self.error_messages = {"invalid": f"{what} must be a list", **self.error_messages}
        self.error_messages.update(kwargs.get("error_messages", {}))

    def _deserialize(self, value: Any, attr: str | None, data: Mapping[str, Any] | None, **kwargs: Any) -> list[Any]:
        if utils.is_collection(value):
            if len(value) > self.max_items:
                raise ValidationError(
                    self.error_messages.get("too_many", f"{self.what} must list {self.max_items} or fewer")
                )
            if len(value) < self.min_items:
                raise ValidationError(
                    self.error_messages.get("too_few", f"{self.what} must list at least {self.min_items}")
                )
        return super()._deserialize(value, attr, data, **kwargs)


UNKNOWN_FIELD = {
    "unknown": "is not a field of this request: remove it or check its spelling",
    "type": "send a JSON object of this request's fields",
}


class CommandInput(Schema):
    """Base of every command's input; ``command`` is the definition that ``define`` registered for it."""

    command: ClassVar[Command]
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
    decision_ref = text("the decision reference", max_length=bounds.DECISION_REF_LENGTH, required=False)

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
        required=True, validate=validate.Regexp(r"^[0-9a-f]{64}\Z", error="a SHA-256 is 64 lower-case hex characters")
    )
    size = whole_number("the file's size in bytes", minimum=1, maximum=1 << 40)
    content_type = text("the file's content type")
    filename = text("the file's name")
