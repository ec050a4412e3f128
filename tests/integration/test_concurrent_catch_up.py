"""Two processes keeping the same read models current (two web workers, or a worker and the scheduler).

Each ReadModels has its own engine and connections, as a second process would. When both record the
same batch, one transaction wins and the other writes nothing; the loser must carry on from where the
read model now stands, not fail (a follower thread that died would leave that process's pages stale).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

from eventsourcing.persistence import Tracking

from application.commands import Dispatcher
from application.hub import PartnershipHub
from application.importer import import_framework
from application.settings import Settings
from projections.base import APPLICATION_NAME
from projections.runner import ReadModels
from tests.conftest import read_models_of
from tests.support.tables import dump


def test_two_followers_racing_both_finish_with_identical_tables(database_url: str, tmp_path: Path) -> None:
    writer = PartnershipHub(Settings.for_url(database_url, files_dir=tmp_path / "files"))
    import_framework(Dispatcher(writer))
    settings = Settings.for_url(database_url, files_dir=tmp_path / "files")
    readers = [read_models_of(PartnershipHub(settings)) for _ in "ab"]
    errors: list[BaseException] = []
    start = threading.Barrier(len(readers))

    def follow(models: ReadModels) -> None:
        try:
            start.wait(timeout=10)
            for _ in range(3):  # bounded: the log holds 84 events, read 4 at a time
                models.catch_up(batch_size=4)
        except BaseException as error:  # reported below, with the thread's own traceback lost
            errors.append(error)

    threads = [threading.Thread(target=follow, args=(m,)) for m in readers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert all(behind == 0 for m in readers for behind in m.lag().values())
    fresh = read_models_of(PartnershipHub(Settings.for_url(database_url, files_dir=tmp_path / "files")))
    followed = dump(readers[0].engine)
    fresh.rebuild()
    assert dump(fresh.engine) == followed
    for models in (*readers, fresh):
        models.close()
        models.log.close()
    writer.close()


def test_a_projector_overtaken_while_it_waited_writes_nothing_and_never_moves_the_position_back(
    database_url: str, tmp_path: Path
) -> None:
    """One process holds a batch open (rows written, not yet committed) while a second starts an older
    batch of the same read model. The second waits for the first's lock, then finds its events recorded
    and writes nothing: no duplicate rows, no refusal, and the position stays where the first left it."""
    settings = Settings.for_url(database_url, files_dir=tmp_path / "files")
    writer = PartnershipHub(settings)
    import_framework(Dispatcher(writer))
    notifications = writer.recorder.select_notifications(start=1, limit=20)
    batch = [(writer.mapper.to_domain_event(n), Tracking(APPLICATION_NAME, n.id)) for n in notifications]
    first, second = (read_models_of(PartnershipHub(settings)).projections["audit"] for _ in "ab")
    holding, release = threading.Event(), threading.Event()
    errors: list[BaseException] = []

    def hold_open() -> None:
        holding.set()
        release.wait(timeout=30)

    def run(work: Callable[[], None]) -> threading.Thread:
        def guarded() -> None:
            try:
                work()
            except BaseException as error:  # examined below
                errors.append(error)

        thread = threading.Thread(target=guarded)
        thread.start()
        return thread

    first.before_commit = hold_open
    newer = run(lambda: first.process_batch(batch))
    assert holding.wait(timeout=30)
    older = run(lambda: second.process_batch(batch[:5]))
    older.join(timeout=1.0)  # bounded: it is waiting for the first's lock
    assert older.is_alive(), "the second projector should wait while the first holds its batch open"
    release.set()
    newer.join(timeout=30)
    older.join(timeout=30)
    assert not newer.is_alive() and not older.is_alive()
    assert errors == []
    assert second.view.max_tracking_id(APPLICATION_NAME) == notifications[-1].id
    # The rows are what the batch gives when projected once, alone.
    raced = dump(second.view.datastore.engine)  # type: ignore[arg-type]
    second.view.drop()
    second.process_batch(batch)
    assert dump(second.view.datastore.engine) == raced  # type: ignore[arg-type]
    for projection in (first, second):
        projection.view.datastore.engine.dispose()  # type: ignore[union-attr]
    writer.close()
