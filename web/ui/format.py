"""Jinja filters: dates, money and labels the way a council officer reads them."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from jinja2 import Environment

from application.authority import Role
from domain.vocabulary import BodyKind

# GOV.UK tag colours for a project's RAG status.
RAG_TAG = {"red": "govuk-tag--red", "amber": "govuk-tag--orange", "green": "govuk-tag--green"}


def day(value: date | datetime | None, empty: str = "Not stated") -> str:
    if value is None:
        return empty
    return f"{value:%-d %B %Y}"


def short_day(value: date | datetime | None, empty: str = "—") -> str:
    if value is None:
        return empty
    return f"{value:%-d %b %Y}"


def moment(value: datetime | None) -> str:
    if value is None:
        return "—"
    return f"{value:%-d %b %Y %H:%M}"


def clock(value: time | None) -> str:
    if value is None:
        return ""
    return f"{value:%H:%M}"


def pounds(pence: int | None, empty: str = "None recorded") -> str:
    if pence is None:
        return empty
    whole, part = divmod(pence, 100)
    return f"£{whole:,}" if part == 0 else f"£{whole:,}.{part:02d}"


def words(value: Any) -> str:
    """A code such as ``time_limited`` or ``consultative_group`` as words."""
    if value is None:
        return ""
    label = getattr(value, "label", None)
    if isinstance(label, str):
        return label
    try:
        return BodyKind(str(value)).label
    except ValueError:
        return str(value).replace("_", " ")


def role_label(value: str) -> str:
    try:
        return Role(value).value.replace("_", " ").capitalize()
    except ValueError:
        return words(value)


def percent(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.0f}%"


def total_in_words(page: Any) -> str:
    """A page's total in words: "1,234", or "more than 10,000" when counting stopped there."""
    return f"{page.total:,}" if page.exact else f"more than {page.total:,}"


def error_list(errors: dict[str, str], anchors: dict[str, str] | None = None) -> list[dict[str, str]]:
    """The error summary's links, each to its field (a date input's first box is ``<name>-day``)."""
    anchors = anchors or {}
    return [{"text": message, "href": "#" + anchors.get(name, name)} for name, message in errors.items()]


def words_pair(value: str) -> tuple[str, str]:
    """An option for a select: the code and its words."""
    return value, words(value).capitalize()


def first_upper(value: str | None) -> str:
    """A sentence's first letter in capitals, the rest as written (Jinja's ``capitalize`` lowers "March")."""
    text = value or ""
    return text[:1].upper() + text[1:]


def register(env: Environment) -> None:
    env.filters.update(
        first_upper=first_upper,
        day=day,
        short_day=short_day,
        moment=moment,
        clock=clock,
        pounds=pounds,
        words=words,
        role_label=role_label,
        percent=percent,
        words_pair=words_pair,
        total_in_words=total_in_words,
    )
    env.globals.update(RAG_TAG=RAG_TAG, error_list=error_list)
