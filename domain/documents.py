"""A reference to an uploaded document (a paper, a set of minutes) kept outside the event log.

The event log records what a document is (its SHA-256, size, type and name), never its bytes: the
bytes live in the application's content-addressed file store, which checks them against the hash.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from domain.bounds import check_text
from domain.errors import InvalidInput

_SHA256 = re.compile(r"[0-9a-f]{64}")


@dataclass(frozen=True)
class FileRef:
    sha256: str
    size: int
    content_type: str
    filename: str

    def checked(self, field: str = "file") -> FileRef:
        if not isinstance(self.sha256, str) or not _SHA256.fullmatch(self.sha256):
            raise InvalidInput(field, "the file's SHA-256 must be 64 lower-case hexadecimal characters")
        if isinstance(self.size, bool) or not isinstance(self.size, int) or self.size <= 0:
            raise InvalidInput(field, "the file is empty")
        if not self.content_type or not self.filename or not self.filename.strip():
            raise InvalidInput(field, "the file needs a type and a name")
        check_text(field, self.content_type)
        check_text(field, self.filename)
        return self

    def event_fields(self) -> dict[str, Any]:
        """Flat fields for an event, so the stored JSON stays plain."""
        return {
            "file_sha256": self.sha256,
            "file_size": self.size,
            "file_content_type": self.content_type,
            "file_name": self.filename,
        }

    @classmethod
    def from_event(cls, event: Any) -> FileRef:
        return cls(event.file_sha256, event.file_size, event.file_content_type, event.file_name)
