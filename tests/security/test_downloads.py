"""Papers whose file names are Chinese or Welsh download for the public and for officers: the name goes in
Content-Disposition as RFC 6266 / 5987 say (filename*=UTF-8'', with an ASCII fallback), the header stays
Latin-1, the Content-Type names one charset, and a real server sends the whole file (it used to hang)."""

from __future__ import annotations

import threading
import urllib.request
from collections.abc import Iterator
from datetime import UTC, date, datetime, time
from pathlib import Path
from urllib.parse import unquote
from uuid import UUID

import pytest
from werkzeug.serving import make_server

from application.authority import Role
from application.bootstrap import Services, build
from application.commands.bodies import EstablishBody
from application.commands.meetings import AddAgendaItem, AttachPaper, PublishAgenda, ScheduleMeeting
from application.settings import Settings, sqlite_url
from domain.actor import Actor
from domain.body import Decision
from tests.conftest import Clock
from tests.security.conftest import Hub
from web import create_app
from web.downloads import ascii_fallback, content_disposition
from web.security_headers import RequestHandler

OFFICER = Actor("officer", Role.PARTNERSHIP_OFFICER.value, "Priya Officer")
NAMES = ["会议纪要.txt", "Cyfarfod ŵyr a ŷd.txt", "Café agenda.txt", "plain-agenda.txt"]


@pytest.fixture
def papers(tmp_path: Path) -> Iterator[tuple[Hub, UUID]]:
    settings = Settings.for_url(sqlite_url(tmp_path / "hub.sqlite3"), files_dir=tmp_path / "files")
    services: Services = build(settings, clock=Clock(datetime(2026, 3, 2, 9, tzinfo=UTC)))
    body = services.dispatcher.execute(
        EstablishBody, OFFICER, name="Carers Forum", kind="consultative_group", open_to_public=True,
        decision=Decision(reason="for the test"),
    ).subject_id  # fmt: skip
    meeting = services.dispatcher.execute(
        ScheduleMeeting, OFFICER, subject_id=body, meeting_date=date(2026, 5, 12), start_time=time(14), place="Hall"
    ).subject_id
    services.dispatcher.execute(AddAgendaItem, OFFICER, subject_id=meeting, title="Welcome")
    for name in NAMES:
        ref = services.hub.upload_file(OFFICER, f"Papur: {name}\n".encode(), name)
        services.dispatcher.execute(
            AttachPaper, OFFICER, subject_id=meeting, item=1, title=name, file=ref, summary="A paper"
        )
    services.dispatcher.execute(PublishAgenda, OFFICER, subject_id=meeting)
    services.refresh()
    services.users.create("officer", name="Priya Officer", email="p@council.test", role=Role.PARTNERSHIP_OFFICER,
                          password="officer-demo-pass", created_by="demo")  # fmt: skip
    app = create_app({"DEVELOPMENT": True, "SECRET_KEY": "t"}, services=services)
    yield Hub(app, services, Clock(datetime.now(tz=UTC))), meeting
    services.close()


def filename_star(header: str) -> str:
    encoded = header.split("filename*=UTF-8''", 1)[1].split(";")[0]
    return unquote(encoded, encoding="utf-8", errors="strict")


def check(response, name: str) -> None:  # a download of the paper called ``name``
    assert response.status_code == 200
    header = response.headers["Content-Disposition"]
    header.encode("latin-1")  # what a server can put on the wire
    assert header.isascii()
    assert header.startswith("attachment; ")
    if name.isascii():
        assert header == f'attachment; filename="{name}"'
    else:
        assert filename_star(header) == name
        assert f'filename="{ascii_fallback(name)}"' in header
    assert response.headers["Content-Type"] == "text/plain; charset=utf-8", "one charset"
    assert response.get_data(as_text=True) == f"Papur: {name}\n"


def test_the_public_and_officers_download_papers_with_any_name(papers: tuple[Hub, UUID]) -> None:
    hub, meeting = papers
    officer = hub.sign_in("officer")
    for number, name in enumerate(NAMES, start=1):
        check(hub.client().get(f"/public/meetings/{meeting}/papers/{number}"), name)
        check(officer.get(f"/meetings/{meeting}/papers/{number}"), name)


def test_the_ascii_fallback_keeps_what_it_can() -> None:
    assert ascii_fallback("Cyfarfod ŵyr a ŷd.txt") == "Cyfarfod wyr a yd.txt"
    assert ascii_fallback("会议纪要.pdf") == "download.pdf"
    assert ascii_fallback('a"b\\c%.txt') == "abc.txt"
    assert content_disposition("会议.ics", "inline").startswith('inline; filename="download.ics"; filename*=')


def test_a_real_server_sends_the_whole_file(papers: tuple[Hub, UUID]) -> None:
    hub, meeting = papers
    server = make_server("127.0.0.1", 0, hub.app, threaded=True, request_handler=RequestHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        for number, name in enumerate(NAMES, start=1):
            url = f"http://127.0.0.1:{server.server_port}/public/meetings/{meeting}/papers/{number}"
            with urllib.request.urlopen(url, timeout=10) as response:  # hung before the fix
                assert response.read().decode() == f"Papur: {name}\n"
                disposition = response.headers["Content-Disposition"]
                assert name.isascii() or filename_star(disposition) == name
    finally:
        server.shutdown()
        thread.join(timeout=10)
