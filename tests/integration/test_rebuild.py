"""Rebuilt read models equal the incrementally kept ones, row for row, even after a crash."""

from __future__ import annotations

import time
from datetime import date

import pytest

from application.commands import Dispatcher
from application.hub import PartnershipHub
from application.importer import import_framework
from demo.seed import DemoPlan, run_steps, seed_demo
from projections.runner import ReadModels
from tests.support.tables import dump

TODAY = date(2026, 11, 1)


class Crash(Exception):
    pass


def _generated_history(hub: PartnershipHub, models: ReadModels) -> None:
    """Thousands of events, projected incrementally while they are recorded."""
    import_framework(Dispatcher(hub))
    plan = DemoPlan(Dispatcher(hub), bodies=60, seed=11, today=TODAY)  # with whole meeting lives, some 2,500 events
    steps = plan.build()
    for start in range(0, len(steps), 250):
        run_steps(Dispatcher(hub), steps[start : start + 250])
        models.catch_up(batch_size=97)  # an odd size, so batches straddle aggregates


def test_rebuild_equals_incremental_row_for_row(hub: PartnershipHub) -> None:
    models = ReadModels(hub, hub.settings.read_model_url)
    try:
        _generated_history(hub, models)
        assert (hub.recorder.max_notification_id() or 0) >= 2000
        incremental = dump(models.engine)
        assert all(incremental[name] for name in ("rm_bodies", "rm_members", "rm_meetings", "rm_audit_log"))
        # The demo takes past meetings through their whole life, so every meeting table has rows to compare.
        assert all(incremental[table.name] for table in models.projections["calendar"].view.read_tables)
        models.rebuild()
        assert dump(models.engine) == incremental
        assert set(models.lag().values()) == {0}
    finally:
        models.close()


def test_a_crash_between_the_rows_and_the_commit_loses_and_doubles_nothing(hub: PartnershipHub) -> None:
    import_framework(Dispatcher(hub))
    seed_demo(Dispatcher(hub), bodies=15, seed=5, today=TODAY)  # some 750 events, meeting lives included
    models = ReadModels(hub, hub.settings.read_model_url)
    try:
        batches = {"n": 0}

        def crash_on_third_batch() -> None:
            batches["n"] += 1
            if batches["n"] == 3:
                raise Crash("power cut after the rows were written")

        directory = models.projections["directory"]
        directory.before_commit = crash_on_third_batch
        with pytest.raises(Crash):
            models.catch_up(batch_size=50, names=["directory"])
        # Two batches were committed with their tracking position; the third left no trace.
        assert models.positions()["directory"] == 100
        directory.before_commit = None
        models.catch_up(batch_size=50)
        after_crash = dump(models.engine)
        models.rebuild()
        assert dump(models.engine) == after_crash
    finally:
        models.close()


@pytest.mark.postgres
def test_the_worker_is_woken_by_postgresql_notify_and_keeps_up(postgres_server, clock, tmp_path) -> None:
    """The worker of another process (its own ReadModels, never told of these writes) polls only every
    minute here, so only the event store's NOTIFY can bring it up to date within the test's deadline."""
    from application.settings import Settings

    url = postgres_server.create_database("live_runner")
    hub = PartnershipHub(Settings.for_url(url, files_dir=tmp_path / "files"), clock=clock)
    models = ReadModels(hub, hub.settings.read_model_url)
    follower_hub = PartnershipHub(Settings.for_url(url, files_dir=tmp_path / "files"), clock=clock)
    follower = ReadModels(follower_hub, url)
    try:
        import_framework(Dispatcher(hub))
        with follower.following(interval=60):
            time.sleep(0.5)  # the listener is listening
            seed_demo(Dispatcher(hub), bodies=5, seed=3, today=TODAY)
            head = hub.recorder.max_notification_id() or 0
            assert follower.wait_for(head, timeout=30) == []
            assert set(models.lag().values()) == {0}
        live = dump(models.engine)
        models.rebuild()
        assert dump(models.engine) == live
    finally:
        follower.close()
        follower_hub.close()
        models.close()
        hub.close()
