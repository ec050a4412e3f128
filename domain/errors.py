"""Errors raised when a rule of the framework would be broken."""

from __future__ import annotations


class DomainError(Exception):
    """A rule of the framework was broken; the message says what to fix."""

    def __init__(self, message: str, *, rule: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        # The numbered rule in docs/rules.md, where there is one.
        self.rule = rule

    def __str__(self) -> str:
        return f"{self.message} (rule {self.rule})" if self.rule else self.message


class InvalidInput(DomainError):
    """A value given to a command is missing or out of range."""

    def __init__(self, field: str, message: str, *, rule: str | None = None) -> None:
        super().__init__(f"{field}: {message}", rule=rule)
        self.field = field


class BodyClosed(DomainError):
    """The body has ended (or was replaced or merged) and accepts only corrections."""


class NotPermitted(DomainError):
    """The actor may not do this to this record: it is someone else's (their project, their reminder)."""
