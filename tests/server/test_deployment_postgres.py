"""The deployment layout on PostgreSQL, as real processes: two gunicorn servers (two workers each) on two
ports, one `projections run` and one `scheduler run`, with eight clients writing through both servers.

Each client establishes its own body and adds members to it, sending each write to the servers in turn
with the version the previous answer gave (so a write on one server builds on what the other answered),
an Idempotency-Key, and retries with the same key after a lost connection. Some writes are sent again to
the other server with the same key, as a client that lost the answer would. Then:

- nothing lost or doubled: the log holds each body once and each answered member exactly once;
- read-your-writes on each server: every answer's ``record`` already shows its own change;
- no server answered 5xx, and every process stops cleanly when told to;
- the read models, once the worker has caught up, equal a rebuild from the log, row for row.
"""

from __future__ import annotations

import re
import signal
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any
from uuid import UUID

import psycopg
import pytest

from application import bootstrap
from application.hub import PartnershipHub
from application.settings import Settings
from application.users import ensure_demo_users
from demo.seed import seed_demo
from domain.body import Body
from projections.runner import ReadModels
from tests.reminders.smtp_sink import SmtpSink
from tests.server.processes import (
    Answer,
    Api,
    Process,
    Writer,
    answering,
    run_to_end,
    serve,
    served_by,
    start,
    statuses,
    wait_for,
)
from tests.support.ports import free_port
from tests.support.postgres import PostgresServer
from tests.support.tables import dump

WRITERS = 8
MEMBERS_EACH = 10
REPLAY_EVERY = 4  # every fourth member is sent again, to the other server, with the same key
CLIENTS_WITHIN = 300.0  # seconds for all the clients together; they end as soon as they are done
CAUGHT_UP_WITHIN = 60.0


def _history(url: str, files: Path) -> str:
    """Demo history and accounts in the store; returns an officer's API token."""
    services = bootstrap.build(Settings.for_url(url, files_dir=files))
    try:
        seed_demo(services.dispatcher, bodies=6, seed=3)
        services.refresh()
        ensure_demo_users(services.users)
        return services.users.issue_token("officer", "multi-process test")
    finally:
        services.close()


def _member(n: int, k: int) -> dict[str, Any]:
    return {"person": f"Writer {n} member {k}", "role": "member", "representation": "carer",
            "effective_date": "2026-04-01"}  # fmt: skip


def _client(n: int, servers: list[Api], answers: dict[int, list[Answer]], deadline: float) -> None:
    writer = Writer(servers)
    body = {"name": f"Writers' Group {n}", "kind": "consultative_group", "reason": f"set up by writer {n}"}
    created = writer.post(n, "/api/v1/bodies", body, key=f"body-{n}")
    assert created.status == 201, created.body
    again = writer.post(n + 1, "/api/v1/bodies", body, key=f"body-{n}")
    assert again.server != created.server or len(servers) == 1
    assert (again.status, again.headers.get("idempotent-replayed"), again.body) == (201, "true", created.body)
    mine = answers[n] = [created]
    body_id, version = created.body["id"], created.body["version"]
    for k in range(MEMBERS_EACH):
        assert time.monotonic() < deadline, f"writer {n} ran out of time after {k} members"
        answer = writer.post(n + k, f"/api/v1/bodies/{body_id}/members", _member(n, k), if_match=version,
                             key=f"member-{n}-{k}")  # fmt: skip
        assert answer.status == 201, (answer.status, answer.body)
        mine.append(answer)
        if k % REPLAY_EVERY == 0:
            replayed = writer.post(n + k + 1, f"/api/v1/bodies/{body_id}/members", _member(n, k), if_match=version,
                                   key=f"member-{n}-{k}")  # fmt: skip
            assert (replayed.status, replayed.headers.get("idempotent-replayed")) == (201, "true")
            assert replayed.body == answer.body
        version = answer.body["version"]


@pytest.mark.postgres
def test_two_servers_a_projections_worker_and_a_scheduler_on_one_postgresql_database(
    postgres_server: PostgresServer, tmp_path: Path
) -> None:
    url = postgres_server.create_database("deployment")
    data = tmp_path / "data"
    token = _history(url, data / "files")
    smtp = SmtpSink().start()
    env = {
        "PARTNERSHIP_HUB_DATABASE_URL": url,
        "PARTNERSHIP_HUB_DATA_DIR": str(data),  # the secret key the servers share, and the files
        "PARTNERSHIP_HUB_SMTP_HOST": "127.0.0.1",
        "PARTNERSHIP_HUB_SMTP_PORT": str(smtp.port),
    }
    logs = tmp_path / "logs"
    run_to_end("init", ["init"], env, logs)  # once, before the rest start (README: Deployment)
    processes: list[Process] = []
    try:
        port_a, port_b = free_port(), free_port()
        server_a = serve("server-a", port_a, env, logs, workers=2)
        server_b = serve("server-b", port_b, env, logs, workers=2)
        worker = start("projections", ["projections", "run"], env, logs)
        scheduler = start("scheduler", ["scheduler", "run", "--scan-minutes", "0.05", "--send-seconds", "0.5"], env,
                          logs)  # fmt: skip
        processes = [server_a, server_b, worker, scheduler]
        servers = [Api(port_a, token), Api(port_b, token)]
        for port in (port_a, port_b):
            wait_for(lambda port=port: answering(port), 90.0, processes, f"the server on port {port}")

        answers: dict[int, list[Answer]] = {}
        failures: list[BaseException] = []
        deadline = time.monotonic() + CLIENTS_WITHIN

        def run(n: int) -> None:
            try:
                _client(n, servers, answers, deadline)
            except BaseException as error:  # examined below
                failures.append(error)

        clients = [threading.Thread(target=run, args=(n,), name=f"client-{n}") for n in range(WRITERS)]
        for client in clients:
            client.start()
        for client in clients:
            client.join(timeout=max(1.0, deadline - time.monotonic()) + 30)
        assert not any(client.is_alive() for client in clients), "a client is still running"
        assert failures == [], failures

        for server in (server_a, server_b):
            assert server.stop(signal.SIGTERM) == 0, server.tail()
        assert scheduler.stop(signal.SIGTERM) == 0, scheduler.tail()
        models = ReadModels(PartnershipHub(Settings.for_url(url, files_dir=data / "files")), url)
        wait_for(lambda: set(models.lag().values()) == {0}, CAUGHT_UP_WITHIN, [worker], "the read models to catch up")
        assert worker.stop(signal.SIGINT) == 0, worker.tail()  # its help says: Ctrl-C stops
    finally:
        for process in processes:
            process.kill()
        smtp.stop()

    for process in processes:
        assert "Traceback" not in process.output(), process.tail(6000)
    ran = re.search(r"Stopped after (\d+) scans", scheduler.output())
    assert ran and int(ran[1]) >= 1, scheduler.tail()
    for server in (server_a, server_b):
        assert [s for s in statuses(server) if s >= 500] == [], server.tail()
        assert served_by(server), f"{server.name} answered no writes"
    print({server.name: served_by(server) for server in (server_a, server_b)})

    # Read-your-writes: every answer's record, from whichever server gave it, shows its own change.
    for n, mine in answers.items():
        for k, answer in enumerate(mine[1:]):
            record = answer.body["record"]
            assert record is not None, answer.body
            assert record["version"] >= answer.body["version"]
            assert answer.body["member_id"] in {m["member_id"] for m in record["members"]}, (n, k)
            assert f"Writer {n} member {k}" in {m["person"] for m in record["members"]}

    # Nothing lost, nothing doubled: each body once, each member exactly once, in the order written.
    hub = models.log
    assert isinstance(hub, PartnershipHub)
    for n, mine in answers.items():
        body_id = UUID(mine[0].body["id"])
        events = list(hub.events.get(body_id))
        assert [type(e).__name__ for e in events] == ["Established"] + ["MemberJoined"] * MEMBERS_EACH
        joined = [e.person for e in events if isinstance(e, Body.MemberJoined)]
        assert joined == [f"Writer {n} member {k}" for k in range(MEMBERS_EACH)]
        assert Counter(e.member_id for e in events if isinstance(e, Body.MemberJoined)).most_common(1)[0][1] == 1
        assert [a.body["version"] for a in mine] == list(range(1, MEMBERS_EACH + 2))

    # The read models the processes kept equal a rebuild from the first event.
    rebuilt = ReadModels(hub, postgres_server.create_database("deployment_rebuilt"))
    rebuilt.catch_up()
    assert dump(models.engine) == dump(rebuilt.engine)
    rebuilt.close()
    models.close()
    hub.close()


@pytest.mark.postgres
def test_processes_starting_together_on_a_new_database_all_get_their_tables(
    postgres_server: PostgresServer, tmp_path: Path
) -> None:
    """Three `partnership-hub init` processes at once on a database with no tables (what each server's
    master does before forking: web/server.py's prepare_store): each finishes, whoever loses a race to
    create a table."""
    for round_ in range(2):  # bounded: two races
        database = f"new_store_{round_}"
        env = {"PARTNERSHIP_HUB_DATABASE_URL": postgres_server.url(database),
               "PARTNERSHIP_HUB_DATA_DIR": str(tmp_path / "data")}  # fmt: skip
        postgres_server.create_database(database)
        racing = [start(f"init-{round_}-{n}", ["init"], env, tmp_path / "logs") for n in range(3)]
        try:
            codes = [process.popen.wait(timeout=120) for process in racing]
        finally:
            for process in racing:
                process.kill()
        assert codes == [0, 0, 0], [process.tail() for process in racing]
        with psycopg.connect(postgres_server.dsn(database)) as connection:
            tables = {
                row[0] for row in connection.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
            }
        expected = {"partnershiphub_events", "partnershiphub_snapshots", "event_timeline", "api_idempotency_keys",
                    "rm_bodies", "hub_users", "hub_health", "hub_reminder_feed_keys"}  # fmt: skip
        assert expected <= tables, tables
