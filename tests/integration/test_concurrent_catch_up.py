"""Two processes keeping the same read models current (two web workers, or a worker and the scheduler).

Each ReadModels has its own engine and connections, as a second process would. When both record the
same batch, one transaction wins and the other writes nothing; the loser must carry on from where the
read model now stands, not fail (a follower thread that died would leave that process's pages stale).
"""

from __future__ import annotations

import threading
from pathlib import Path

from application.commands import Dispatcher
from application.hub import PartnershipHub
from application.importer import import_framework
from application.settings import Settings
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
