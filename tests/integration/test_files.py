"""The content-addressed file store (application/files.py), and the hub refusing files it cannot vouch for."""

from __future__ import annotations

import hashlib
import io
import os
import zipfile
from datetime import date, time
from pathlib import Path

import pytest

from application.errors import NotAuthorised
from application.files import DOCX, MAX_UPLOAD_BYTES, ODT, FileStore
from application.hub import PartnershipHub
from domain.actor import Actor
from domain.body import Decision
from domain.documents import FileRef
from domain.errors import InvalidInput

OFFICER = Actor("officer-1", "partnership_officer")
PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\n%%EOF\n"


def package(parts: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
    return buffer.getvalue()


DOCX_BYTES = package({"[Content_Types].xml": "<Types/>", "word/document.xml": "<w:document/>"})
ODT_BYTES = package({"mimetype": ODT, "content.xml": "<office:document-content/>"})


@pytest.fixture
def store(tmp_path: Path) -> FileStore:
    return FileStore(tmp_path / "files")


def stored_files(store: FileStore) -> list[Path]:
    return sorted(p for p in store.root.rglob("*") if p.is_file())


# ------------------------------------------------------------------- accepted types


@pytest.mark.parametrize(
    ("name", "data", "content_type"),
    [
        ("report.pdf", PDF, "application/pdf"),
        ("Report.PDF", PDF, "application/pdf"),
        ("minutes.docx", DOCX_BYTES, DOCX),
        ("minutes.odt", ODT_BYTES, ODT),
        ("summary.txt", "Plain English, with a £ sign".encode(), "text/plain; charset=utf-8"),
    ],
)
def test_accepted_documents_are_stored_under_their_hash(
    store: FileStore, name: str, data: bytes, content_type: str
) -> None:
    ref = store.put(data, name)
    sha256 = hashlib.sha256(data).hexdigest()
    assert ref == FileRef(sha256=sha256, size=len(data), content_type=content_type, filename=name)
    assert store.path(sha256) == store.root / sha256[:2] / sha256
    assert store.path(sha256).read_bytes() == data
    assert store.read(ref) == data


# -------------------------------------------------------------------- size and type


def test_the_default_limit_is_20_mib() -> None:
    assert MAX_UPLOAD_BYTES == 20 * 1024 * 1024


def test_a_file_at_the_limit_is_accepted_and_one_byte_more_refused(tmp_path: Path) -> None:
    store = FileStore(tmp_path, max_bytes=1024)
    at_limit = b"a" * 1024
    assert store.put(at_limit, "big.txt").size == 1024
    with pytest.raises(InvalidInput, match="the limit is"):
        store.put(at_limit + b"a", "bigger.txt")


def test_a_20_mib_upload_limit_refuses_a_larger_file(store: FileStore) -> None:
    with pytest.raises(InvalidInput, match=r"20\.0 MiB; the limit is 20 MiB"):
        store.put(b"%PDF-" + b"0" * (MAX_UPLOAD_BYTES - 4), "huge.pdf")
    assert stored_files(store) == []


def test_an_empty_file_is_refused(store: FileStore) -> None:
    with pytest.raises(InvalidInput, match=r"empty\.txt is empty"):
        store.put(b"", "empty.txt")


@pytest.mark.parametrize("name", ["page.html", "page.htm", "script.js", "tool.exe", "sheet.xlsx", "README", "x.doc"])
def test_other_types_are_refused_by_extension(store: FileStore, name: str) -> None:
    with pytest.raises(InvalidInput, match=r"only \.docx, \.odt, \.pdf, \.txt documents are accepted"):
        store.put(b"<html><script>alert(1)</script></html>", name)
    assert stored_files(store) == []


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("report.pdf", b"<html>not a pdf</html>"),
        ("report.docx", PDF),
        ("report.docx", package({"content.xml": "x"})),  # a zip, but not a Word document
        ("report.docx", b"PK\x03\x04 not really a zip"),
        ("report.odt", DOCX_BYTES),
        ("report.odt", package({"mimetype": "application/vnd.oasis.opendocument.spreadsheet"})),
        ("notes.txt", b"binary\x00data"),
        ("notes.txt", b"\xff\xfe not utf-8"),
    ],
    ids=[
        "pdf-html",
        "docx-pdf",
        "docx-other-zip",
        "docx-bad-zip",
        "odt-docx",
        "odt-spreadsheet",
        "txt-nul",
        "txt-bytes",
    ],
)
def test_content_that_does_not_match_its_extension_is_refused(store: FileStore, name: str, data: bytes) -> None:
    with pytest.raises(InvalidInput, match="its content does not match its name"):
        store.put(data, name)
    assert stored_files(store) == []


@pytest.mark.parametrize(
    ("given", "kept"),
    [("../../etc/notes.txt", "notes.txt"), (r"C:\Users\ann\notes.txt", "notes.txt"), (" notes.txt ", "notes.txt")],
)
def test_only_the_name_of_a_path_is_kept(store: FileStore, given: str, kept: str) -> None:
    assert store.put(b"hello", given).filename == kept


# ------------------------------------------------------------ content addressing


def test_the_same_content_is_stored_once(store: FileStore) -> None:
    first = store.put(PDF, "agenda.pdf")
    second = store.put(PDF, "agenda-copy.pdf")
    assert first.sha256 == second.sha256
    assert (first.filename, second.filename) == ("agenda.pdf", "agenda-copy.pdf")
    assert stored_files(store) == [store.path(first.sha256)]


def test_a_damaged_stored_copy_is_replaced_on_the_next_upload(store: FileStore) -> None:
    ref = store.put(PDF, "agenda.pdf")
    store.path(ref.sha256).write_bytes(b"damaged")
    store.put(PDF, "agenda.pdf")
    assert store.path(ref.sha256).read_bytes() == PDF


# ------------------------------------------------------------------- atomic write


def test_a_failed_write_leaves_neither_the_file_nor_a_temporary(store: FileStore, monkeypatch) -> None:
    def power_cut(src: str, dst: str) -> None:
        raise OSError("disk unplugged")

    monkeypatch.setattr(os, "replace", power_cut)
    with pytest.raises(OSError, match="disk unplugged"):
        store.put(PDF, "agenda.pdf")
    assert stored_files(store) == []


def test_the_file_appears_whole_by_a_rename_within_its_directory(store: FileStore, monkeypatch) -> None:
    seen: list[tuple[Path, Path, bytes, bool]] = []
    real_replace = os.replace

    def watch(src: str, dst: str) -> None:
        # At the moment of the rename the temporary holds every byte and the target does not exist yet.
        seen.append((Path(src), Path(dst), Path(src).read_bytes(), Path(dst).exists()))
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", watch)
    ref = store.put(PDF, "agenda.pdf")
    ((src, dst, content, existed),) = seen
    assert (dst, content, existed) == (store.path(ref.sha256), PDF, False)
    assert src.parent == dst.parent and src.name.startswith(".upload-")
    assert stored_files(store) == [dst]
    # Uploading the same content again writes nothing.
    store.put(PDF, "again.pdf")
    assert len(seen) == 1


# ------------------------------------------------------------------- verification


def test_verify_refuses_what_is_not_stored_exactly_as_claimed(store: FileStore) -> None:
    ref = store.put(PDF, "agenda.pdf")
    assert store.verify(ref) == ref
    unknown = FileRef(hashlib.sha256(b"other").hexdigest(), 5, "application/pdf", "other.pdf")
    with pytest.raises(InvalidInput, match=r"other\.pdf has not been uploaded"):
        store.verify(unknown)
    with pytest.raises(InvalidInput, match="does not match its SHA-256 and size"):
        store.verify(FileRef(ref.sha256, ref.size + 1, ref.content_type, ref.filename))
    with pytest.raises(InvalidInput, match=r"agenda\.html: only \.docx"):
        store.verify(FileRef(ref.sha256, ref.size, "text/html", "agenda.html"))
    with pytest.raises(InvalidInput, match="is not stored as application/msword"):
        store.verify(FileRef(ref.sha256, ref.size, "application/msword", ref.filename))
    with pytest.raises(InvalidInput, match="its content does not match its name"):
        store.verify(FileRef(ref.sha256, ref.size, DOCX, "agenda.docx"))
    store.path(ref.sha256).write_bytes(PDF.replace(b"1.7", b"1.6"))  # same size, other content
    with pytest.raises(InvalidInput, match="does not match its SHA-256"):
        store.verify(ref)


# ------------------------------------------------------------------ through the hub


def _meeting(hub: PartnershipHub) -> object:
    forum = hub.establish_body(OFFICER, name="Carers Forum", kind="consultative_group", decision=Decision("New"))
    meeting = hub.schedule_meeting(OFFICER, forum, meeting_date=date(2026, 3, 2), start_time=time(18), place="Hall")
    hub.add_agenda_item(OFFICER, meeting, title="Budget")
    return meeting


def test_the_hub_refuses_a_paper_or_minutes_whose_hash_does_not_match(hub: PartnershipHub) -> None:
    meeting = _meeting(hub)
    ref = hub.upload_file(OFFICER, PDF, "budget.pdf")
    before = hub.recorder.max_notification_id()
    claimed = FileRef(hashlib.sha256(b"not what was uploaded").hexdigest(), ref.size, ref.content_type, "budget.pdf")
    with pytest.raises(InvalidInput, match="has not been uploaded"):
        hub.attach_paper(OFFICER, meeting, item=1, title="Budget", file=claimed, summary="Money")
    hub.files.path(ref.sha256).write_bytes(b"%PDF-1.7 tampered with after upload")
    with pytest.raises(InvalidInput, match="does not match its SHA-256"):
        hub.attach_paper(OFFICER, meeting, item=1, title="Budget", file=ref, summary="Money")
    with pytest.raises(InvalidInput, match="does not match its SHA-256"):
        hub.record_draft_minutes(OFFICER, meeting, file=ref)
    assert hub.recorder.max_notification_id() == before
    good = hub.upload_file(OFFICER, PDF, "budget.pdf")  # the damaged copy is replaced
    hub.attach_paper(OFFICER, meeting, item=1, title="Budget", file=good, summary="Money")
    assert hub.meeting(meeting).papers[1].file == good


def test_the_files_live_under_the_configured_directory(hub: PartnershipHub, tmp_path: Path) -> None:
    ref = hub.upload_file(OFFICER, b"hello", "hello.txt")
    assert hub.files.path(ref.sha256).is_relative_to(tmp_path / "files")


def test_only_those_who_may_attach_papers_may_upload(hub: PartnershipHub) -> None:
    with pytest.raises(NotAuthorised, match="auditor may not upload papers or minutes"):
        hub.upload_file(Actor("aud", "auditor"), PDF, "x.pdf")
    assert not (hub.files.root.exists() and any(hub.files.root.rglob("*")))
