"""Every command the UI offers has a form, and every form field is a field of its command's one schema.

Forms add only presentation to a command's definition (application/commands): what a field is called
on the page and which control shows it. A field the schema does not know would be refused on every
submission; a command with no form (and no other page) could not be used from the UI at all.
"""

from __future__ import annotations

from marshmallow import Schema

from application.commands import COMMANDS
from application.commands.questions import AskPublicQuestion
from application.commands.reminders import MarkReminderDone
from web.ui.forms import ALL_FORMS, FORMS

# Commands the UI offers on a page of their own rather than a form: the "Mark done" button on /reminders, and
# the question form on a public meeting's page (no sign-in, C7).
OFFERED_ELSEWHERE = {MarkReminderDone.command, AskPublicQuestion.command}


def _schema_keys(schema: type[Schema], prefix: str = "") -> set[str]:
    """Every loadable key of a schema, nested ones dotted ("brief.start_date"); a nested object's own key
    counts too, as one form control may fill it whole (an uploaded file's reference)."""
    keys: set[str] = set()
    for name, field in schema().fields.items():
        key = f"{prefix}{field.data_key or name}"
        nested = getattr(field, "nested", None)
        keys.add(key)
        if isinstance(nested, type) and issubclass(nested, Schema):
            keys |= _schema_keys(nested, f"{key}.")
    return keys


def test_every_command_has_one_form_or_a_page_of_its_own() -> None:
    assert len(FORMS) == len(ALL_FORMS), "two forms for one command"
    missing = sorted(c.name for c in COMMANDS.values() if c not in FORMS and c not in OFFERED_ELSEWHERE)
    assert missing == [], f"commands with no form: {missing}"


def test_every_form_field_is_a_field_of_its_command() -> None:
    for spec in ALL_FORMS:
        unknown = {f.key for f in spec.fields} - _schema_keys(spec.schema)
        assert unknown == set(), f"{spec.command.name}'s form has fields its schema does not: {sorted(unknown)}"


def test_every_form_lives_where_its_command_acts() -> None:
    for spec in ALL_FORMS:
        if spec.command.about is None:
            assert spec.path, f"{spec.command.name} starts something new and needs a path of its own"
        else:
            assert spec.url_rule().startswith(f"/{spec.command.about.plural}/"), spec.command.name
            assert spec.url_rule().endswith(f"/{spec.command.slug}")
