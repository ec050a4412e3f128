"""Form fields and turning what a browser posts into the JSON-style values the commands' schemas load.

Each command's input schema (application/commands) is the one place input is validated (the JSON API
and the CLI use the same, through the dispatcher); this module only reshapes: GOV.UK day/month/year
boxes into an ISO date, pounds into pence, ticked boxes into booleans, one name per line into a list,
an uploaded file into the stored file's reference, and a body's name into its id. What it cannot
reshape it reports against the field, in the same words.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from werkzeug.datastructures import FileStorage, MultiDict

# A field's options: (value, text) pairs, from a fixed list or from the record the form is about.
Options = Callable[["FormContext"], list[tuple[str, str]]]


@dataclass(frozen=True)
class Field:
    key: str  # the schema's key; "brief.start_date" for a nested one
    label: str
    kind: str = "text"  # text, textarea, date, time, int, money, bool, select, radios, lines, apologies, file, body,
    # email, password
    hint: str | None = None
    options: Options | None = None
    empty_is_null: bool = False  # send null (not nothing) when left empty, e.g. "no council funding"
    blank: str = "Choose"  # a select's first, empty choice
    number: bool = False  # a select whose values are whole numbers (agenda items, paragraphs)

    @property
    def name(self) -> str:
        """The HTML name (and id): dots would need escaping in selectors."""
        return self.key.replace(".", "__")

    @property
    def anchor(self) -> str:
        return f"{self.name}-day" if self.kind == "date" else self.name


@dataclass
class FormContext:
    """What a form's options and conversions may look at: the record it is about and the services."""

    subject: dict[str, Any] | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    find_body: Callable[[str], Any] | None = None
    upload: Callable[[FileStorage], dict[str, Any]] | None = None
    # Files already stored from an earlier, failed submission of this form, by field: used when the
    # person does not choose another, so a mistake elsewhere never makes them upload it again.
    pending: dict[str, dict[str, Any]] = field(default_factory=dict)
    uploaded: dict[str, dict[str, Any]] = field(default_factory=dict)  # stored by this submission


class FieldError(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def fixed(*pairs: tuple[str, str]) -> Options:
    return lambda _ctx: list(pairs)


def enum_options(enum: Any) -> Options:
    return lambda _ctx: [(m.value, getattr(m, "label", None) or m.value.replace("_", " ").capitalize()) for m in enum]


def form_values(fields: list[Field], form: MultiDict[str, str]) -> dict[str, str]:
    """What the user typed, to show again in the form (never the file)."""
    values: dict[str, str] = {}
    for f in fields:
        if f.kind == "date":
            for part in ("day", "month", "year"):
                values[f"{f.name}-{part}"] = form.get(f"{f.name}-{part}", "")
        elif f.kind == "register":  # one mark and substitute for each member, or the two lists
            for key in form:
                if key.startswith(("attendance-", "substitute-")) or key in (f.name, "apologies"):
                    values[key] = form.get(key, "")
        elif f.kind not in ("file", "password"):  # a password is never sent back to the page
            values[f.name] = form.get(f.name, "")
    return values


def to_input(
    fields: list[Field], form: MultiDict[str, str], files: Mapping[str, FileStorage], ctx: FormContext
) -> tuple[dict[str, Any], dict[str, str]]:
    """The schema's input built from the posted form, and the errors found while reshaping it."""
    data: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for f in fields:
        try:
            present, value = _convert(f, form, files, ctx)
        except FieldError as error:
            errors[f.name] = error.message
            continue
        if not present:
            if f.empty_is_null:
                _put(data, f.key, None)
            continue
        if f.kind in ("register", "matter"):  # one control, several of the command's fields
            data.update(value)
            continue
        _put(data, f.key, value)
    return data, errors


def _put(data: dict[str, Any], key: str, value: Any) -> None:
    *parents, last = key.split(".")
    for parent in parents:
        data = data.setdefault(parent, {})
    data[last] = value


_DIGITS = re.compile(r"^\d+$")
_WHOLE = re.compile(r"^-?\d+$")
# A whole number or an amount of pounds longer than this is refused before Python converts it (int() of
# thousands of digits raises, and no count or budget of the council needs more).
MAX_DIGITS = 15


def _convert(
    f: Field, form: MultiDict[str, str], files: Mapping[str, FileStorage], ctx: FormContext
) -> tuple[bool, Any]:
    if f.kind == "date":
        parts = [form.get(f"{f.name}-{p}", "").strip() for p in ("day", "month", "year")]
        if not any(parts):
            return False, None
        day, month, year = parts
        if not all(_DIGITS.match(p) for p in parts) or len(year) != 4 or len(day) > 2 or len(month) > 2:
            raise FieldError(f"{f.label} must be a real date, with a day, month and 4-digit year, like 27 3 2026")
        return True, f"{int(year):04d}-{int(month):02d}-{int(day):02d}"
    if f.kind == "bool":
        return True, form.get(f.name) == "yes"
    if f.kind == "password":  # as typed: spaces are part of a password
        typed = form.get(f.name, "")
        return bool(typed), typed
    if f.kind == "file":
        upload = files.get(f.name)
        if upload is None or not upload.filename:
            kept = ctx.pending.get(f.name)
            if kept is not None:
                ctx.uploaded[f.name] = kept
                return True, kept
            return False, None
        assert ctx.upload is not None
        stored = ctx.upload(upload)
        ctx.uploaded[f.name] = stored
        return True, stored
    if f.kind == "register":
        return True, _register(f, form, f.options(ctx) if f.options else [])
    if f.kind == "matter":  # "<meeting id>/<action number>": the action of an earlier meeting (C8)
        meeting_id, _, number = form.get(f.name, "").strip().partition("/")
        if not meeting_id:
            return False, None
        if not _DIGITS.match(number) or len(number) > MAX_DIGITS:
            raise FieldError(f"Choose {f.label.lower()} from the list")
        return True, {"from_meeting_id": meeting_id, "number": int(number)}
    raw = form.get(f.name, "").strip()
    if f.kind == "lines":
        lines = [line.strip() for line in raw.splitlines() if line.strip()]
        return (True, lines) if lines else (False, None)
    if f.kind == "apologies":
        apologies = []
        for line in raw.splitlines():
            person, _, substitute = line.partition(";")
            if person.strip():
                apologies.append({"person": person.strip(), "substitute": substitute.strip() or None})
        return True, apologies
    if not raw:
        return False, None
    if f.kind == "int" or (f.kind == "select" and f.number):
        if not _WHOLE.match(raw):
            return True, raw
        if len(raw.lstrip("-")) > MAX_DIGITS:
            raise FieldError(f"{f.label} must be a whole number of {MAX_DIGITS} digits or fewer")
        return True, int(raw)
    if f.kind == "money":
        return True, _pence(raw, f.label)
    if f.kind == "body":
        assert ctx.find_body is not None
        found = ctx.find_body(raw)
        if found is None:
            raise FieldError(f"There is no body called ‘{raw}’: check the name in the directory")
        return True, str(found)
    return True, raw


def _register(f: Field, form: MultiDict[str, str], roster: list[Any]) -> dict[str, Any]:
    """Rule C7: the attendance register's marks as the command's present, apologies and absent lists."""
    if not roster:  # no members on record on the day: the names as typed
        lines = [line.strip() for line in form.get(f.name, "").splitlines() if line.strip()]
        apologies = []
        for line in form.get("apologies", "").splitlines():
            person, _, substitute = line.partition(";")
            if person.strip():
                apologies.append({"person": person.strip(), "substitute": substitute.strip() or None})
        return {"present": lines, "apologies": apologies}
    present: list[str] = []
    apologies_sent: list[dict[str, Any]] = []
    absent: list[str] = []
    for n, member in enumerate(roster):
        person = member["person"]
        mark = form.get(f"attendance-{n}", "")
        substitute = form.get(f"substitute-{n}", "").strip() or None
        if mark not in ("present", "apologies", "absent"):
            raise FieldError(f"Say whether {person} was present, sent apologies or was absent")
        if substitute and mark != "apologies":
            raise FieldError(f"A substitute stands in for a member who sent apologies: {person} is marked {mark}")
        if mark == "present":
            present.append(person)
        elif mark == "apologies":
            apologies_sent.append({"person": person, "substitute": substitute})
        else:
            absent.append(person)
    return {"present": present, "apologies": apologies_sent, "absent": absent}


def _pence(raw: str, label: str) -> int:
    cleaned = raw.replace(",", "").replace("£", "").strip()
    try:
        amount = Decimal(cleaned)
    except InvalidOperation:
        raise FieldError(f"{label} must be an amount in pounds, like 1250 or 1250.50") from None
    if not amount.is_finite():
        raise FieldError(f"{label} must be an amount in pounds, like 1250 or 1250.50")
    if abs(amount) >= Decimal(10) ** MAX_DIGITS:
        raise FieldError(f"{label} must be an amount of pounds of {MAX_DIGITS} digits or fewer")
    if amount != amount.quantize(Decimal("0.01")) or amount < 0:
        raise FieldError(f"{label} must be an amount in pounds and pence, like 1250.50, and not below zero")
    return int(amount * 100)


def flatten_messages(messages: Any, prefix: str = "") -> dict[str, str]:
    """marshmallow's nested {field: [message]} as {html_name: "Message"}; list entries by their field."""
    out: dict[str, str] = {}
    if isinstance(messages, list):
        if messages and all(isinstance(m, str) for m in messages):
            out[prefix.replace(".", "__") or "_schema"] = sentence(messages[0])
        else:
            for m in messages:
                out.update(flatten_messages(m, prefix))
        return out
    if isinstance(messages, dict):
        for key, value in messages.items():
            if isinstance(key, int):  # an entry of a list: report it on the list's field, whatever part of
                # the entry it is about (an apology's person), so it shows beside the one control there is
                for message in flatten_messages(value, prefix).values():
                    out.setdefault(prefix.replace(".", "__") or "_schema", message)
                continue
            name = f"{prefix}.{key}" if prefix else str(key)
            out.update(flatten_messages(value, name))
        return out
    out[prefix.replace(".", "__") or "_schema"] = sentence(str(messages))
    return out


def sentence(message: str) -> str:
    message = message.strip()
    return message[:1].upper() + message[1:] if message else message
