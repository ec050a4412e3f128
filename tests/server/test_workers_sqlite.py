"""Several gunicorn workers on one SQLite file, with eight clients writing at once, and a projections
worker polling the same file: no "database is locked", no 5xx, nothing lost or doubled, and each answer
shows its own change. Also: `serve --dev` is still Werkzeug's development server.

The file runs in WAL mode (readers never wait for the writer) and every connection waits up to
SQLITE_BUSY_TIMEOUT seconds for another's write (application/settings.py).
"""

from __future__ import annotations

import signal
import sqlite3
import threading
import time
from pathlib import Path
from uuid import UUID

from application import bootstrap
from application.hub import PartnershipHub
from application.settings import SQLITE_BUSY_TIMEOUT, Settings
from application.users import ensure_demo_users
from domain.body import Body
from projections.runner import ReadModels
from tests.server.processes import (
    Answer,
    Api,
    Process,
    Writer,
    answering,
    serve,
    served_by,
    start,
    statuses,
    wait_for,
)
from tests.support.ports import free_port
from tests.support.tables import dump

WRITERS = 8
MEMBERS_EACH = 8
CLIENTS_WITHIN = 240.0


def _store(tmp_path: Path) -> tuple[str, str]:
    """A SQLite store with the demo accounts; returns its URL and an officer's API token."""
    url = f"sqlite:///{tmp_path / 'hub.sqlite3'}"
    services = bootstrap.build(Settings.for_url(url, files_dir=tmp_path / "data" / "files"))
    try:
        services.refresh()
        ensure_demo_users(services.users)
        return url, services.users.issue_token("officer", "workers test")
    finally:
        services.close()


def _client(n: int, api: Api, answers: dict[int, list[Answer]], deadline: float) -> None:
    writer = Writer([api])
    created = writer.post(n, "/api/v1/bodies", {"name": f"Group {n}", "kind": "consultative_group", "reason": "test"})
    assert created.status == 201, created.body
    mine = answers[n] = [created]
    body_id, version = created.body["id"], created.body["version"]
    for k in range(MEMBERS_EACH):
        assert time.monotonic() < deadline, f"writer {n} ran out of time after {k} members"
        member = {"person": f"Person {n}-{k}", "role": "member", "representation": "carer",
                  "effective_date": "2026-04-01"}  # fmt: skip
        answer = writer.post(n, f"/api/v1/bodies/{body_id}/members", member, if_match=version)
        assert answer.status == 201, (answer.status, answer.body)
        mine.append(answer)
        version = answer.body["version"]


def test_two_workers_and_a_projections_worker_on_one_sqlite_file(tmp_path: Path) -> None:
    url, token = _store(tmp_path)
    env = {"PARTNERSHIP_HUB_DATABASE_URL": url, "PARTNERSHIP_HUB_DATA_DIR": str(tmp_path / "data")}
    logs = tmp_path / "logs"
    port = free_port()
    server = serve("server", port, env, logs, workers=2)
    worker = start("projections", ["projections", "run", "--interval", "0.1"], env, logs)
    processes: list[Process] = [server, worker]
    try:
        wait_for(lambda: answering(port), 90.0, processes, f"the server on port {port}")
        api = Api(port, token)
        answers: dict[int, list[Answer]] = {}
        failures: list[BaseException] = []
        deadline = time.monotonic() + CLIENTS_WITHIN

        def run(n: int) -> None:
            try:
                _client(n, api, answers, deadline)
            except BaseException as error:  # examined below
                failures.append(error)

        clients = [threading.Thread(target=run, args=(n,)) for n in range(WRITERS)]
        for client in clients:
            client.start()
        for client in clients:
            client.join(timeout=max(1.0, deadline - time.monotonic()) + 30)
        assert not any(client.is_alive() for client in clients), "a client is still running"
        assert failures == [], failures
        assert server.stop(signal.SIGTERM) == 0, server.tail()
        assert worker.stop(signal.SIGINT) == 0, worker.tail()  # its help says: Ctrl-C stops
    finally:
        for process in processes:
            process.kill()

    for process in processes:
        assert "database is locked" not in process.output(), process.tail(6000)
        assert "Traceback" not in process.output(), process.tail(6000)
    assert [s for s in statuses(server) if s >= 500] == [], server.tail()
    workers = served_by(server)
    assert len(workers) == 2, f"both workers should have answered writes: {workers}"

    with sqlite3.connect(tmp_path / "hub.sqlite3") as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    assert Settings.for_url(url).database_url.endswith(f"?timeout={SQLITE_BUSY_TIMEOUT}")

    hub = PartnershipHub(Settings.for_url(url, files_dir=tmp_path / "data" / "files"))
    for n, mine in answers.items():
        for k, answer in enumerate(mine[1:]):  # each answer shows its own member
            record = answer.body["record"]
            assert record is not None and record["version"] >= answer.body["version"], answer.body
            assert f"Person {n}-{k}" in {m["person"] for m in record["members"]}
        events = list(hub.events.get(UUID(mine[0].body["id"])))
        joined = [e.person for e in events if isinstance(e, Body.MemberJoined)]
        assert joined == [f"Person {n}-{k}" for k in range(MEMBERS_EACH)]
        assert len(events) == MEMBERS_EACH + 1
    models = ReadModels(hub, hub.settings.read_model_url)
    models.catch_up()
    kept = dump(models.engine)
    rebuilt = ReadModels(hub, f"sqlite:///{tmp_path / 'rebuilt.sqlite3'}")
    rebuilt.catch_up()
    assert dump(rebuilt.engine) == kept
    for closing in (models, rebuilt):
        closing.close()
    hub.close()


def test_serve_dev_is_werkzeug_and_serve_is_gunicorn(tmp_path: Path) -> None:
    url, _ = _store(tmp_path)
    env = {"PARTNERSHIP_HUB_DATABASE_URL": url, "PARTNERSHIP_HUB_DATA_DIR": str(tmp_path / "data")}
    servers = {}
    for name, extra in (("gunicorn", []), ("werkzeug", ["--dev"])):
        port = free_port()
        process = start(name, ["serve", "--port", str(port), "--workers", "1", *extra], env, tmp_path / "logs")
        try:
            wait_for(lambda port=port: answering(port), 90.0, [process], f"{name} on port {port}")
            status, headers, _ = Api(port).call("GET", "/api/v1/bodies?per_page=1")
            # Our Server header names no server (web/security_headers.py); what started says which ran.
            assert "werkzeug" not in headers["server"].lower(), headers
            if name == "gunicorn":
                assert process.stop(signal.SIGTERM) == 0, process.tail()
            output = process.output()
            servers[name] = (status, "gunicorn" if "Booting worker" in output else "development server" in output)
        finally:
            process.kill()
    assert servers == {"gunicorn": (200, "gunicorn"), "werkzeug": (200, True)}
