"""Sending a stored paper or set of minutes: always as a download, never rendered by the browser here."""

from __future__ import annotations

from typing import Any

from flask import Response, abort

from domain.documents import FileRef
from domain.errors import DomainError
from web.services import services


def send_document(row: dict[str, Any]) -> Response:
    ref = FileRef(
        sha256=row["file_sha256"],
        size=row["file_size"],
        content_type=row["file_content_type"],
        filename=row["file_name"],
    )
    try:
        data = services().hub.files.read(ref)
    except DomainError:
        abort(404, "The stored file is missing or does not match its record.")
    response = Response(data, mimetype=ref.content_type)
    response.headers["Content-Disposition"] = f'attachment; filename="{ref.filename.replace(chr(34), "")}"'
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
