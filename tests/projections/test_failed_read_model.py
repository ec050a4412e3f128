"""A read model that fails on an event stops only itself: the others keep up, it holds its position and
says why (`projections status`, /readyz, a banner on the pages, a header on the API), the server starts
again with it failed, and `projections retry` resumes it after the fix.

The failure is injected into a real read model: the calendar's handler, patched to raise on one event
type (an agenda item), as a handler with a bug would.
"""

from __future__ import annotations

import time
from typing import Any

import pytest
from click.testing import CliRunner

from application.settings import DATABASE_URL_VAR, FILES_DIR_VAR
from domain.meeting import Meeting
from projections.runner import ReadModels
from tests.projections.conftest import MEMBER, Served, serve
from tests.support.tables import dump
from web.cli import cli

WAIT = 30.0


def _poison_calendar(read_models: ReadModels, monkeypatch: pytest.MonkeyPatch) -> None:
    calendar = read_models.projections["calendar"]
    original = calendar.handle

    def poisoned(rows: Any, event: Any, position: int) -> None:
        if isinstance(event, Meeting.AgendaItemAdded):
            raise ValueError("cannot store this agenda item")
        original(rows, event, position)

    monkeypatch.setattr(calendar, "handle", poisoned)


def _post(served: Served, path: str, body: dict[str, Any], version: int | None = None) -> Any:
    headers = served.headers(**({"If-Match": str(version)} if version is not None else {}))
    response = served.client().post(path, json=body, headers=headers)
    assert response.status_code in (200, 201), response.get_json()
    return response


def _history(served: Served) -> tuple[dict[str, Any], dict[str, Any], int]:
    """A body and a meeting, then the agenda item the poisoned calendar cannot store; its log position."""
    body = _post(served, "/api/v1/bodies", {"name": "Carers Forum", "kind": "subgroup", "reason": "r"}).get_json()
    meeting = _post(
        served,
        f"/api/v1/bodies/{body['id']}/meetings",
        {"meeting_date": "2030-06-03", "start_time": "14:00", "place": "Civic Centre"},
    ).get_json()
    item = _post(served, f"/api/v1/meetings/{meeting['id']}/agenda-items", {"title": "Budget"}, version=1)
    # The calendar, which holds the meeting, stopped on this write: the answer says it was saved, shows no
    # stale meeting, and says the lists are behind.
    assert item.headers["Hub-Read-Models"] == "behind" and item.get_json()["record"] is None
    return body, meeting, item.get_json()["position"]


def _cli(served: Served, *args: str) -> str:
    result = CliRunner().invoke(
        cli, list(args), env={DATABASE_URL_VAR: served.url, FILES_DIR_VAR: str(served.files)}, catch_exceptions=False
    )
    assert result.exit_code == 0, result.output
    return result.output


def _assert_calendar_failed_at(served: Served, poison: int) -> None:
    models = served.services.read_models
    # Everything after the poison reaches every other read model; the calendar holds just before it.
    head = served.head()
    assert models.wait_for(head, WAIT) == []  # a failed read model is not waited for (nor listed as late)
    assert models.positions()["calendar"] == poison - 1
    failure = models.failures()["calendar"]
    assert failure.position == poison and "cannot store this agenda item" in failure.error

    ready = served.client().get("/readyz").get_json()
    assert ready["status"] == "degraded" and ready["log_position"] == head
    calendar = ready["read_models"]["calendar"]
    assert calendar["state"] == "failed" and calendar["position"] == poison - 1
    assert calendar["failure"]["position"] == poison and "ValueError" in calendar["failure"]["error"]
    assert all(ready["read_models"][n]["state"] == "current" for n in ("directory", "progress", "audit", "reminders"))

    page = served.client().get("/public/meetings").get_data(as_text=True)
    assert "Some lists are behind" in page and "the meeting calendar" in page
    assert served.client().get("/api/v1/bodies").headers["Hub-Read-Models"] == "behind"

    status = _cli(served, "projections", "status")
    assert f"failed on event {poison}" in status and "projections retry calendar" in status


def test_a_poisoned_read_model_stops_alone_and_resumes_after_retry(
    served: Served, monkeypatch: pytest.MonkeyPatch
) -> None:
    _poison_calendar(served.services.read_models, monkeypatch)
    body, meeting, poison = _history(served)

    # Later writes: the other read models take them in. A body's answer shows the body (the directory is
    # current) and says some lists are behind; a meeting's answer has no record (the calendar has stopped).
    added = _post(served, f"/api/v1/bodies/{body['id']}/members", MEMBER, version=body["version"])
    assert added.headers["Hub-Read-Models"] == "behind" and added.get_json()["record"]["member_count"] == 1
    moved = {"new_date": "2030-06-10", "new_start_time": "10:00", "new_place": "Town Hall", "reason": "clash"}
    _post(served, f"/api/v1/meetings/{meeting['id']}/move", moved, version=2)
    _assert_calendar_failed_at(served, poison)
    members = served.client().get(f"/api/v1/bodies/{body['id']}").get_json()["member_count"]
    assert members == 1  # the directory went on past the poisoned event

    # The fix (the handler mended), then `projections retry` from another process: the worker resumes.
    monkeypatch.undo()
    assert "will resume from event" in _cli(served, "projections", "retry", "calendar")
    # The worker sees the retry at its next look at the log (it reads the failures while one stands).
    deadline = time.monotonic() + WAIT
    while "calendar" in served.services.read_models.failures() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert served.services.read_models.wait_for(served.head(), WAIT) == []
    shown = served.client().get(f"/api/v1/meetings/{meeting['id']}", headers=served.headers()).get_json()
    assert shown["place"] == "Town Hall" and [i["title"] for i in shown["agenda"]] == ["Budget"]
    assert served.client().get("/readyz").get_json()["status"] == "ready"
    assert "Some lists are behind" not in served.client().get("/public/meetings").get_data(as_text=True)

    # What the resumed calendar holds is what a rebuild from the log makes, row for row.
    kept = dump(served.services.read_models.engine)
    served.services.read_models.rebuild()
    assert dump(served.services.read_models.engine) == kept


def test_a_server_starts_with_a_failed_read_model_and_keeps_the_others_current(
    served: Served, monkeypatch: pytest.MonkeyPatch
) -> None:
    _poison_calendar(served.services.read_models, monkeypatch)
    body, _meeting, poison = _history(served)
    _assert_calendar_failed_at(served, poison)
    served.services.close()
    monkeypatch.undo()

    # A new server over the same store (the fixed code): it starts, and the calendar stays failed until
    # someone says to retry it, rather than the server guessing the cause has gone.
    again = serve(served.url, served.files)
    try:
        _assert_calendar_failed_at(again, poison)
        added = _post(again, f"/api/v1/bodies/{body['id']}/members", MEMBER, version=body["version"])
        assert again.services.read_models.wait_for(again.head(), WAIT) == []  # the failed one is not waited for
        assert again.services.read_models.positions()["calendar"] == poison - 1
        record = again.client().get(f"/api/v1/bodies/{body['id']}").get_json()
        assert record["version"] == added.get_json()["version"] and record["member_count"] == 1
        again.services.read_models.retry("calendar")
        assert again.services.read_models.wait_for(again.head(), WAIT) == []
    finally:
        again.services.close()
