"""The read-model runtime, before and after a change, side by side in one run.

Run it as ``.venv/bin/python -m bench.runtime [--baseline REF] [--writes N] [--events N]``.

Two pairs of figures, each measured on the code of ``--baseline`` (a git ref, checked out into a
temporary worktree) and on the working tree, in separate processes, on identical data:

- **API writes**: ``POST /api/v1/bodies/{id}/members`` (the issue's first row) through the Flask test
  client, as a deployed app answers it (the answer carrying the record as the lists show it), against
  the same command run in process with ``Dispatcher.run``: writes per second, and their ratio.
- **rebuild**: ``ReadModels.rebuild()`` of every read model from event one, against reading and
  decoding the same log with nothing written (the floor any projection pays): events per second.

Absolute rates depend on the machine; the ratios are the figures to compare between the two columns.
Each ratio is also given in CPU time (``time.process_time``: this process's threads, SQLite included),
which a machine busy with other work disturbs far less than the wall clock.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from uuid import UUID

import click

ROOT = Path(__file__).resolve().parent.parent
DEMO_TODAY = date(2026, 1, 1)
OFFICER = "bench-officer"
BODIES = 20
RUN_THIS_FILE = f"import runpy; runpy.run_path({str(Path(__file__).resolve())!r}, run_name='__main__')"


# ------------------------------------------------------------------ run inside one code version


def _write_rates(workdir: Path, writes: int) -> dict[str, float]:
    from application import bootstrap
    from application.authority import Role
    from application.importer import import_framework
    from application.settings import Settings, sqlite_url
    from web.app import create_app

    settings = Settings.for_url(sqlite_url(workdir / "writes.sqlite3"), files_dir=workdir / "files")
    services = bootstrap.build(settings)
    import_framework(services.dispatcher)
    services.users.create(OFFICER, name="Bench Officer", email="bench@example.gov.uk", role=Role.PARTNERSHIP_OFFICER)
    token = services.users.issue_token(OFFICER, "bench")
    headers = {"Authorization": f"Bearer {token}"}
    actor = services.users.get(OFFICER).actor

    # The issue's first row: add a member, through the API and in process, spread over a few bodies
    # each way so no body's history grows long (loading a long one is another row of the issue).
    versions: dict[str, int] = {}
    bodies: dict[str, list[str]] = {"api": [], "direct": []}
    for n in range(BODIES):
        for way, ids in bodies.items():
            outcome = services.dispatcher.run(
                "establish_body", actor, data={"name": f"{way} {n}", "kind": "subgroup", "reason": "benchmark"}
            )
            ids.append(str(outcome.subject_id))
            versions[ids[-1]] = outcome.version or 1
    services.refresh()

    def member(n: int) -> dict[str, Any]:
        return {"person": f"Person {n}", "role": "member", "representation": "carer", "effective_date": "2026-03-02"}

    def api(n: int) -> None:
        body_id = bodies["api"][n % BODIES]
        response = client.post(
            f"/api/v1/bodies/{body_id}/members",
            json=member(n),
            headers={**headers, "If-Match": str(versions[body_id])},
        )
        assert response.status_code == 201, response.get_data(as_text=True)
        answer = response.get_json()
        assert answer.get("record") is not None, "the answer did not carry the record"
        versions[body_id] = answer["version"]

    def direct(n: int) -> None:
        body_id = bodies["direct"][n % BODIES]
        outcome = services.dispatcher.run(
            "add_member", actor, subject_id=UUID(body_id), expected_version=versions[body_id], data=member(n)
        )
        versions[body_id] = outcome.version or 0

    def timed(write: Any) -> tuple[float, float]:
        for n in range(10):  # warm up: compiled statements, caches, the first connections
            write(-1 - n)
        wall, cpu = time.perf_counter(), time.process_time()
        for n in range(writes):
            write(n)
        return writes / (time.perf_counter() - wall), writes / (time.process_time() - cpu)

    # In process first, before the app exists: the command alone, as the issue measured it.
    direct_rates = timed(direct)
    app = create_app({"TESTING": True, "DEVELOPMENT": True, "SECRET_KEY": "bench"}, services=services)
    client = app.test_client()
    api_rates = timed(api)
    services.close()
    return {"api": api_rates[0], "direct": direct_rates[0], "api cpu": api_rates[1], "direct cpu": direct_rates[1]}


def _rebuild_rates(store: Path, repeats: int) -> dict[str, float]:
    from application.hub import PartnershipHub
    from application.settings import Settings, sqlite_url
    from projections.runner import ReadModels

    hub = PartnershipHub(Settings.for_url(sqlite_url(store)))
    models = ReadModels(hub, hub.settings.read_model_url)
    events = hub.recorder.max_notification_id() or 0

    def read_decode() -> tuple[float, float]:
        wall, cpu = time.perf_counter(), time.process_time()
        start = 1
        while notifications := hub.recorder.select_notifications(start=start, limit=500):
            for notification in notifications:
                hub.mapper.to_domain_event(notification)
            start = notifications[-1].id + 1
        return events / (time.perf_counter() - wall), events / (time.process_time() - cpu)

    def rebuild() -> tuple[float, float]:
        wall, cpu = time.perf_counter(), time.process_time()
        models.rebuild()
        return events / (time.perf_counter() - wall), events / (time.process_time() - cpu)

    floors = [read_decode() for _ in range(repeats)]
    rebuilds = [rebuild() for _ in range(repeats)]
    result = {
        "events": float(events),
        "read + decode": statistics.median(r[0] for r in floors),
        "rebuild": statistics.median(r[0] for r in rebuilds),
        "read + decode cpu": statistics.median(r[1] for r in floors),
        "rebuild cpu": statistics.median(r[1] for r in rebuilds),
    }
    models.close()
    hub.close()
    return result


def measure(store: Path, writes: int, repeats: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory(prefix="phub-runtime-") as work:
        workdir = Path(work)
        copy = workdir / "rebuild.sqlite3"
        shutil.copyfile(store, copy)
        return {**_write_rates(workdir, writes), **_rebuild_rates(copy, repeats)}


# ------------------------------------------------------------------ the driver


def _store(events: int) -> Path:
    """An event log of about ``events`` events (the framework and the demo), kept under ./var/bench."""
    from application.commands import Dispatcher
    from application.hub import PartnershipHub
    from application.importer import import_framework
    from application.settings import Settings, sqlite_url
    from demo.seed import DemoPlan, run_steps

    path = ROOT / "var" / "bench" / f"runtime-{events}.sqlite3"
    if path.exists():
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".partial")
    partial.unlink(missing_ok=True)
    hub = PartnershipHub(Settings.for_url(sqlite_url(partial), files_dir=Path(tempfile.mkdtemp())))
    import_framework(Dispatcher(hub))
    bodies = max(1, events // 45)  # the demo records some 45 events a body, meeting lives included
    run_steps(Dispatcher(hub), DemoPlan(Dispatcher(hub), bodies=bodies, seed=2026, today=DEMO_TODAY).build())
    click.echo(f"Generated {hub.recorder.max_notification_id():,} events into {path}.")
    with hub.recorder.datastore.engine.connect() as connection:  # the whole log in the file, none in its WAL
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    hub.close()
    partial.rename(path)
    for suffix in ("-wal", "-shm"):
        Path(f"{partial}{suffix}").unlink(missing_ok=True)
    return path


def _run_in(code: Path, store: Path, writes: int, repeats: int) -> dict[str, float]:
    """Measures in a fresh process importing the project from ``code``."""
    env = {**os.environ, "PYTHONPATH": str(code), "PARTNERSHIP_HUB_DATA_DIR": tempfile.mkdtemp()}
    done = subprocess.run(
        # -c rather than the file's path, so that bench/ (whose projections.py has the name of the package)
        # is not first on sys.path.
        [sys.executable, "-c", RUN_THIS_FILE, "--measure", str(store), str(writes), str(repeats)],
        cwd=code,
        env=env,
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        raise click.ClickException(f"measuring {code} failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


@click.command()
@click.option("--baseline", default="main", show_default=True, help="The git ref to compare the working tree with.")
@click.option("--writes", default=300, show_default=True, type=click.IntRange(10), help="API writes timed.")
@click.option("--events", default=20_000, show_default=True, type=click.IntRange(1_000), help="Events to rebuild.")
@click.option("--repeats", default=3, show_default=True, type=click.IntRange(1), help="Rebuilds per version.")
def main(baseline: str, writes: int, events: int, repeats: int) -> None:
    """API write rate and rebuild rate on ``--baseline`` and on the working tree, side by side."""
    store = _store(events)
    worktree = Path(tempfile.mkdtemp(prefix="phub-baseline-"))
    subprocess.run(["git", "worktree", "add", "--detach", "--force", str(worktree), baseline], cwd=ROOT, check=True,
                   capture_output=True)  # fmt: skip
    try:
        results = {
            f"before ({baseline})": _run_in(worktree, store, writes, repeats),
            "after (working tree)": _run_in(ROOT, store, writes, repeats),
        }
    finally:
        subprocess.run(["git", "worktree", "remove", "--force", str(worktree)], cwd=ROOT, check=False)
    rows = (
        ("API writes/s", lambda r: f"{r['api']:,.1f}"),
        ("in-process writes/s", lambda r: f"{r['direct']:,.1f}"),
        ("API / in-process", lambda r: f"{r['api'] / r['direct']:.3f}"),
        ("  same, CPU time", lambda r: f"{r['api cpu'] / r['direct cpu']:.3f}"),
        ("rebuild events/s", lambda r: f"{r['rebuild']:,.0f}"),
        ("read+decode events/s", lambda r: f"{r['read + decode']:,.0f}"),
        ("rebuild / read+decode", lambda r: f"{r['rebuild'] / r['read + decode']:.3f}"),
        ("  same, CPU time", lambda r: f"{r['rebuild cpu'] / r['read + decode cpu']:.3f}"),
    )
    first = next(iter(results.values()))
    click.echo(
        f"\n{datetime.now(tz=UTC):%Y-%m-%d %H:%M} UTC, {os.cpu_count()} CPUs, SQLite; {writes} writes each way; "
        f"{first['events']:,.0f} events rebuilt, median of {repeats}"
    )
    click.echo("".ljust(24) + "".join(f"{name:>24s}" for name in results))
    for label, cell in rows:
        click.echo(label.ljust(24) + "".join(f"{cell(r):>24s}" for r in results.values()))


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "--measure":
        print(json.dumps(measure(Path(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]))))
    else:
        main()
