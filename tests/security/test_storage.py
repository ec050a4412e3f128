"""A full or read-only disk: every write is answered 503 saying so (UI and API), logged with its request id,
nothing is saved, /readyz says not ready, and the service reads on. The store lives on a real, small tmpfs
that the test fills (where mounting is not permitted, SQLite's max_page_count gives the same error); a
read-only store is SQLite's own refusal to write (query_only on every connection of the store)."""

from __future__ import annotations

import errno
import io
import logging
import os
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event

from application.settings import sqlite_url
from tests.security.conftest import Hub, csrf_token, make_hub

BODY = {"name": "Full Disk Forum", "kind": "consultative_group", "reason": "set up for a test"}


class Disk:
    """A small filesystem holding the store, that can be filled up or made read-only."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.mounted = False
        self.hub: Hub | None = None

    def mount(self) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=24m", "tmpfs", str(self.root)],
                              capture_output=True, text=True, check=False)  # fmt: skip
        self.mounted = done.returncode == 0

    def fill(self) -> None:
        if self.mounted:
            with open(self.root / "filler", "wb") as filler:
                try:
                    while True:
                        filler.write(b"\0" * (1 << 20))
                        filler.flush()
                except OSError as error:
                    assert error.errno == errno.ENOSPC
            return
        self._pragma("PRAGMA max_page_count = 1")  # SQLite: "database or disk is full"

    def make_read_only(self) -> None:
        # SQLite's own read-only refusal (SQLITE_READONLY, as for a database file the service may not write):
        # a remounted read-only filesystem would refuse reads too, since SQLite in WAL mode must write its
        # shared-memory file even to read, and then no page could say anything.
        self._pragma("PRAGMA query_only = ON")  # SQLite: "attempt to write a readonly database"

    def _engines(self) -> set[Any]:
        assert self.hub is not None
        engines = {self.hub.services.users.engine, self.hub.services.read_models.engine}
        engines.add(self.hub.services.hub.recorder.datastore.engine)
        return engines

    def _pragma(self, statement: str) -> None:
        for engine in self._engines():
            engine.dispose()
            event.listen(engine, "connect", lambda connection, _record: connection.execute(statement))

    def unmount(self) -> None:
        if self.mounted:
            subprocess.run(["umount", "-l", str(self.root)], check=False)


@pytest.fixture
def disk(tmp_path: Path) -> Iterator[tuple[Disk, Hub]]:
    made = Disk(tmp_path / f"disk-{uuid.uuid4().hex[:8]}")
    made.mount()
    hub = make_hub(sqlite_url(made.root / "hub.sqlite3"), made.root / "files", seed=False)
    hub.app.config["READY_MIN_FREE_BYTES"] = 1 << 20  # the small disk is ready while a MiB is free
    made.hub = hub
    try:
        yield made, hub
    finally:
        hub.services.close()
        made.unmount()


class Callers:
    """An API token and a signed-in browser, made while the disk still takes writes."""

    def __init__(self, hub: Hub) -> None:
        self.api, self.token = hub.client(), hub.token("officer")
        self.browser = hub.sign_in("officer")
        self.form_token = csrf_token(self.browser, "/bodies/new")


def refused_everywhere(hub: Hub, callers: Callers, caplog: pytest.LogCaptureFixture, says: str) -> None:
    api, token, browser, form_token = callers.api, callers.token, callers.browser, callers.form_token
    before = hub.events()
    caplog.clear()
    with caplog.at_level(logging.ERROR, logger="web.errors"):
        answer = api.post("/api/v1/bodies", json=BODY, headers=token)
        assert answer.status_code == 503, answer.get_data(as_text=True)
        problem = answer.get_json()
        assert answer.mimetype == "application/problem+json" and problem["storage"] == says
        assert f"its disk is {says}" in problem["detail"] and "Nothing you sent was saved" in problem["detail"]
        assert answer.headers["Retry-After"] == "60"

        page = browser.post(
            "/bodies/new",
            data={"csrf_token": form_token, "name": "Full Disk Forum", "kind": "consultative_group", "reason": "r"},
        )
        assert page.status_code == 503
        html = page.get_data(as_text=True)
        assert f"its disk is {says}" in html and "Nothing you sent was saved" in html
    logged = [r for r in caplog.records if getattr(r, "event", None) == "storage_unavailable"]
    assert len(logged) >= 2 and all(r.request_id and r.exc_info for r in logged)
    assert {r.request_id for r in logged} >= {answer.headers["X-Request-Id"], page.headers["X-Request-Id"]}
    assert hub.events() == before, "something was saved"

    ready = hub.client().get("/readyz")
    assert ready.status_code == 503 and ready.get_json()["checks"]["database"]["ok"] is False
    assert hub.client().get("/healthz").status_code == 200
    assert hub.client().get("/api/v1/bodies").status_code == 200, "reading goes on"


def test_a_full_disk_is_answered_503_saying_so(disk: tuple[Disk, Hub], caplog: pytest.LogCaptureFixture) -> None:
    made, hub = disk
    assert hub.client().get("/readyz").status_code == 200
    callers = Callers(hub)
    made.fill()
    refused_everywhere(hub, callers, caplog, "full")
    signing_in = hub.client().post("/sign-in", data={"user_id": "auditor", "password": "auditor-demo-pass",
                                                     "csrf_token": callers.form_token})  # fmt: skip
    assert signing_in.status_code in (400, 503)  # a new session cannot be written either


def test_a_read_only_disk_is_answered_503_saying_so(disk: tuple[Disk, Hub], caplog: pytest.LogCaptureFixture) -> None:
    made, hub = disk
    callers = Callers(hub)
    made.make_read_only()
    refused_everywhere(hub, callers, caplog, "read-only")


def test_a_full_disk_for_uploads_is_a_503_too(hub: Hub, monkeypatch: pytest.MonkeyPatch) -> None:
    """The file store's own write failing with ENOSPC (injected at the store's write)."""

    def no_space(*_args: object, **_kwargs: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "replace", no_space)
    answer = hub.client().post(
        "/api/v1/files",
        data={"file": (io.BytesIO(f"Agenda {uuid.uuid4()}\n".encode()), "agenda.txt")},
        content_type="multipart/form-data",
        headers=hub.token("officer"),
    )
    assert answer.status_code == 503 and answer.get_json()["storage"] == "full"


def test_a_logged_database_error_keeps_no_statement_parameters() -> None:
    """A statement's parameters can hold a person's name or address: the error log leaves them out,
    however deep the statement error lies in the chain (web/errors.py)."""
    from sqlalchemy.exc import IntegrityError

    from web.errors import _without_parameters

    inner = IntegrityError("INSERT INTO hub_followers VALUES (?)", ("jo@example.com",), Exception("UNIQUE"))
    try:
        try:
            raise inner
        except IntegrityError as error:
            raise RuntimeError("could not follow") from error
    except RuntimeError as outer:
        assert _without_parameters(outer) is outer
    assert "jo@example.com" not in str(inner) and "parameters hidden" in str(inner)
