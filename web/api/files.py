"""/api/v1/files: upload a paper or a set of minutes, then name it when attaching the paper or recording the minutes.

The file store keeps each file under its SHA-256 and checks its type by extension and content (PDF,
Word, OpenDocument text, plain text; never HTML). Storing a file records nothing on its own: the
paper or minutes that name it do.
"""

from __future__ import annotations

from typing import Any

from flask_smorest import Blueprint
from flask_smorest.fields import Upload
from marshmallow import RAISE, Schema

from web.api import problems
from web.api.access import require_user, writes_need_a_token
from web.api.schemas import FileOut
from web.services import services

blp = Blueprint("api_files", __name__, url_prefix="/api/v1/files", description="Uploads of papers and minutes")
problems.register(blp)
writes_need_a_token(blp)


class UploadInput(Schema):
    class Meta:
        unknown = RAISE

    file = Upload(required=True, metadata={"description": "PDF, .docx, .odt or UTF-8 .txt, up to 20 MiB"})


@blp.route("", methods=["POST"])
@blp.arguments(UploadInput, location="files")
@blp.response(201, FileOut)
@blp.doc(security=[{"bearerAuth": []}])
def upload(files: dict[str, Any]) -> Any:
    """Store a file; uploading the same bytes again gives the same reference."""
    user = require_user()
    upload = files["file"]
    ref = services().hub.upload_file(user.actor, upload.read(), upload.filename or "")
    return {"sha256": ref.sha256, "size": ref.size, "content_type": ref.content_type, "filename": ref.filename}, 201
