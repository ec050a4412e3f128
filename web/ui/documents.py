"""Sending a stored paper or set of minutes: always as a download, never rendered by the browser here.

The file's name is sent as web/downloads.py says (RFC 6266, any script), with one charset.
"""

from __future__ import annotations

from typing import Any

from flask import Response, abort

from domain.documents import FileRef
from domain.errors import DomainError
from web.downloads import content_disposition
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
    # content_type, not mimetype: the stored type already names its charset, and Flask would add another.
    response = Response(data, content_type=ref.content_type)
    response.headers["Content-Disposition"] = content_disposition(ref.filename)
    return response
