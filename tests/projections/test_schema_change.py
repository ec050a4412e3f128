"""A read model whose tables changed shape is made anew once, whichever of two processes starting at the
same moment gets there first, and not under a worker that is using them.

Two real processes build their read models over one store whose calendar tables are those of an older
version of the code (a column missing, the stored fingerprint another). They are released together; the
one holding the lock pauses inside it, so the other is sure to arrive while it is held. Meanwhile this
process's worker is following the log with the old tables' position in memory.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import text, update

from application.commands import Dispatcher
from application.hub import PartnershipHub
from application.importer import import_framework
from application.settings import Settings
from demo.seed import seed_demo
from projections.runner import ReadModels
from projections.schema import read_model_states
from tests.conftest import read_models_of
from tests.support.tables import dump

ROOT = Path(__file__).resolve().parents[2]
STARTER = """
import json, sys, time
from pathlib import Path
from application.hub import PartnershipHub
from application.settings import Settings
from projections import schema
from projections.runner import ReadModels

url, go, files = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
schema.after_lock = lambda: time.sleep(1.5)  # hold the lock a while, so the other process meets it
hub = PartnershipHub(Settings.for_url(url, files_dir=files))
print("ready", flush=True)
deadline = time.monotonic() + 60
while not go.exists() and time.monotonic() < deadline:
    time.sleep(0.01)
started = time.time()
models = ReadModels(hub, url)
ended = time.time()
models.catch_up()
print(json.dumps({"remade": models.remade, "started": started, "ended": ended}), flush=True)
"""


def test_two_processes_starting_together_rebuild_a_changed_read_model_once(database_url: str, tmp_path: Path) -> None:
    settings = Settings.for_url(database_url, files_dir=tmp_path / "files")
    hub = PartnershipHub(settings)
    import_framework(Dispatcher(hub))
    seed_demo(Dispatcher(hub), bodies=3, seed=7)
    models = read_models_of(hub)
    models.catch_up()
    # The calendar as an older version of the code left it.
    with models.engine.begin() as connection:
        connection.execute(text("ALTER TABLE rm_meetings DROP COLUMN held"))
        connection.execute(
            update(read_model_states).where(read_model_states.c.name == "calendar").values(fingerprint="older")
        )

    go = tmp_path / "go"
    starters = [
        subprocess.Popen(
            [sys.executable, "-c", STARTER, database_url, str(go), str(tmp_path / "files")],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    with models.following(interval=0.05):
        try:
            for starter in starters:
                assert starter.stdout is not None and starter.stdout.readline().strip() == "ready"
            go.touch()
            outputs = [starter.communicate(timeout=120) for starter in starters]
        finally:
            for starter in starters:
                starter.kill()
        assert all(s.returncode == 0 for s in starters), [o[1][-2000:] for o in outputs]
        reports = [json.loads(out.strip().splitlines()[-1]) for out, _ in outputs]
        # Exactly one made the calendar anew; the other arrived while the lock was held and found it done.
        assert sorted(r["remade"] for r in reports) == [[], ["calendar"]]
        first, second = sorted(reports, key=lambda r: r["started"])
        assert second["started"] < first["ended"], "the two processes did not meet at the lock"
        # This process's worker had the old position in memory: it finds it moved, and follows the new tables.
        head = hub.recorder.max_notification_id() or 0
        deadline = time.monotonic() + 30
        while models.wait_for(head, 1.0) and time.monotonic() < deadline:
            pass
        assert models.wait_for(head, 0) == []

    followed = dump(models.engine)
    fresh: ReadModels = read_models_of(PartnershipHub(settings))
    assert fresh.remade == []  # made once: a third process finds nothing to do
    fresh.rebuild()
    assert dump(fresh.engine) == followed
    fresh.close()
    fresh.log.close()
    models.close()
    hub.close()
