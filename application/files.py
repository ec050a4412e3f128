"""Uploaded papers and minutes, kept on disk outside the event log, named by their SHA-256.

The event log records a document's hash, size, type and name (domain.documents.FileRef); the bytes
live here. Naming a file by its hash means the same document uploaded twice is stored once, and a
file can always be checked against the hash an event recorded. Files are written to a temporary
file in the same directory, flushed to disk, then renamed into place: a rename within one file
system is atomic, so a reader never sees half a file and a crash leaves at most a stray temp file.

Only document types the council publishes are accepted, each checked by its extension and by
sniffing the content, since a name alone proves nothing:

- PDF (``.pdf``): starts with ``%PDF-``;
- Word (``.docx``) and OpenDocument text (``.odt``): ZIP packages whose parts say what they are;
- plain text (``.txt``): UTF-8 without NUL bytes.

HTML is refused: a page uploaded here would be served from the hub's own address, where any
script in it would run with the hub's cookies. Accessible versions (C6) come as tagged PDF, Word,
OpenDocument or plain text.
"""

from __future__ import annotations

import hashlib
import io
import os
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path, PurePosixPath, PureWindowsPath

from domain.documents import FileRef
from domain.errors import InvalidInput

MAX_UPLOAD_BYTES = 20 * 1024 * 1024  # 20 MiB: a long paper with images, not a video

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ODT = "application/vnd.oasis.opendocument.text"


def _is_pdf(data: bytes) -> bool:
    return data.startswith(b"%PDF-")


def _zip(data: bytes) -> zipfile.ZipFile | None:
    if not data.startswith(b"PK\x03\x04"):
        return None
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        return None


def _is_docx(data: bytes) -> bool:
    package = _zip(data)
    return package is not None and "word/document.xml" in package.namelist()


def _is_odt(data: bytes) -> bool:
    package = _zip(data)
    if package is None or "mimetype" not in package.namelist():
        return False
    return package.read("mimetype").strip() == ODT.encode()


def _is_text(data: bytes) -> bool:
    if b"\x00" in data:
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


# extension -> (content type recorded in the event, content check)
ALLOWED_TYPES: dict[str, tuple[str, Callable[[bytes], bool]]] = {
    ".pdf": ("application/pdf", _is_pdf),
    ".docx": (DOCX, _is_docx),
    ".odt": (ODT, _is_odt),
    ".txt": ("text/plain; charset=utf-8", _is_text),
}


def content_type_of(filename: str, data: bytes) -> str:
    """The content type for an accepted document, checked by its extension and its content."""
    extension = Path(filename).suffix.lower()
    if extension not in ALLOWED_TYPES:
        allowed = ", ".join(sorted(ALLOWED_TYPES))
        raise InvalidInput("file", f"{filename}: only {allowed} documents are accepted")
    content_type, looks_right = ALLOWED_TYPES[extension]
    if not looks_right(data):
        raise InvalidInput("file", f"{filename} is not a {extension} document: its content does not match its name")
    return content_type


def safe_filename(filename: str) -> str:
    """The name without any folder part (from either kind of path) or control characters."""
    name = PureWindowsPath(PurePosixPath(filename or "").name).name
    name = "".join(c for c in name if c.isprintable()).strip()
    if not name or name in (".", ".."):
        raise InvalidInput("file", "the file needs a name")
    return name[-200:]


class FileStore:
    """A content-addressed store of documents under ``root``: ``root/ab/abcdef…`` for hash ``abcdef…``."""

    def __init__(self, root: Path | str, *, max_bytes: int = MAX_UPLOAD_BYTES) -> None:
        self.root = Path(root)
        self.max_bytes = max_bytes

    def path(self, sha256: str) -> Path:
        return self.root / sha256[:2] / sha256

    def put(self, data: bytes, filename: str) -> FileRef:
        """Checks and stores a document; returns the reference an event records. Storing it twice is a no-op."""
        name = safe_filename(filename)
        if not data:
            raise InvalidInput("file", f"{name} is empty")
        if len(data) > self.max_bytes:
            raise InvalidInput(
                "file", f"{name} is {len(data) / 2**20:.1f} MiB; the limit is {self.max_bytes / 2**20:.0f} MiB"
            )
        content_type = content_type_of(name, data)
        sha256 = hashlib.sha256(data).hexdigest()
        target = self.path(sha256)
        if not (target.is_file() and self._hash_of(target) == sha256):
            self._write_atomically(target, data)
        return FileRef(sha256=sha256, size=len(data), content_type=content_type, filename=name)

    def _write_atomically(self, target: Path, data: bytes) -> None:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(dir=target.parent, prefix=".upload-", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temp, target)
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise

    @staticmethod
    def _hash_of(path: Path) -> str:
        digest = hashlib.sha256()
        with path.open("rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                digest.update(chunk)
        return digest.hexdigest()

    def verify(self, ref: FileRef, field: str = "file") -> FileRef:
        """Refuses a reference whose document is not stored here exactly as it claims.

        The stored bytes must hash to the claimed SHA-256 and have the claimed size, and the claimed
        name and type must be ones this store accepts for that content.
        """
        ref.checked(field)
        path = self.path(ref.sha256)
        if not path.is_file():
            raise InvalidInput(field, f"{ref.filename} has not been uploaded: no stored file has its SHA-256")
        if path.stat().st_size != ref.size or self._hash_of(path) != ref.sha256:
            raise InvalidInput(
                field, f"the stored content of {ref.filename} does not match its SHA-256 and size; upload it again"
            )
        if safe_filename(ref.filename) != ref.filename or content_type_of(ref.filename, path.read_bytes()) != (
            ref.content_type
        ):
            raise InvalidInput(field, f"{ref.filename} is not stored as {ref.content_type}; upload it again")
        return ref

    def read(self, ref: FileRef) -> bytes:
        self.verify(ref)
        return self.path(ref.sha256).read_bytes()
