"""Errors the application raises on top of the domain's rule errors."""

from __future__ import annotations

from uuid import UUID

from domain.errors import DomainError, NotPermitted


class NotAuthorised(NotPermitted):
    """The actor's role does not allow this command."""


class NotFound(DomainError):
    def __init__(self, what: str, id: UUID | str) -> None:
        super().__init__(f"there is no {what} with id {id}")
        self.id = id


class ConflictError(DomainError):
    """Someone else changed the record since it was read; nothing was saved."""

    def __init__(self, what: str, name: str, id: UUID, current_version: int | None = None) -> None:
        super().__init__(
            f"{what} '{name}' was changed by someone else since you opened it; "
            "nothing you sent was saved: reload the latest version and make your change again"
        )
        self.id = id
        self.name = name
        self.current_version = current_version


class DuplicateError(DomainError):
    """A record with the same identity (for a body, the same name) already exists."""
