"""Sign-in throttling holds across two workers on one database, and across a restart: it is kept in the
database (application/sign_in_throttle.py). Per account and per client address, with the time to wait,
and an administrator can unlock. On SQLite and on PostgreSQL."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from application.sign_in_throttle import Scope
from tests.security.conftest import Hub, make_hub, sign_in

RIGHT = "admin-demo-pass"


@pytest.fixture
def two_workers(database_url: str, tmp_path: Path) -> Iterator[tuple[Hub, Hub]]:
    """Two app instances, each with its own engines and connections, over one database."""
    first = make_hub(database_url, tmp_path / "files", seed=False)
    second = make_hub(database_url, tmp_path / "files", seed=False)
    second.wall = first.wall
    second.services.sessions.clock = second.services.throttle.clock = first.wall
    yield first, second
    first.services.close()
    second.services.close()


def test_an_account_locks_after_five_wrong_passwords_spread_over_two_workers(two_workers: tuple[Hub, Hub]) -> None:
    first, second = two_workers
    for attempt in range(5):
        worker = (first, second)[attempt % 2]
        assert sign_in(worker.client(), "admin", f"wrong {attempt}").status_code == 400
    # The right password is refused now, on either worker, before it is even checked.
    for worker in (first, second):
        refused = sign_in(worker.client(), "admin", RIGHT)
        assert refused.status_code == 429
        assert "Too many wrong passwords for this account. Try again in 15 minutes" in refused.get_data(as_text=True)
        assert 14 * 60 < int(refused.headers["Retry-After"]) <= 15 * 60

    # A restart (a new app over the same database) still refuses.
    restarted = make_hub(first.services.settings.database_url, Path("unused"), seed=False)
    restarted.services.throttle.clock = first.wall
    try:
        assert sign_in(restarted.client(), "admin", RIGHT).status_code == 429
    finally:
        restarted.services.close()

    first.wall.advance(minutes=16)
    assert sign_in(second.client(), "admin", RIGHT).status_code == 302, "the lock lapses after 15 minutes"


def test_an_administrator_unlocks_an_account(two_workers: tuple[Hub, Hub]) -> None:
    first, second = two_workers
    for attempt in range(5):
        sign_in(first.client(), "officer", f"wrong {attempt}")
    assert sign_in(second.client(), "officer", "officer-demo-pass").status_code == 429
    account = first.services.users.get("officer").account_id
    page = first.sign_in("admin").get(f"/accounts/{account}")
    assert "Locked after wrong passwords" in page.get_data(as_text=True)
    unlocked = second.client().post(f"/api/v1/accounts/{account}/unlock", headers=second.token("admin"))
    assert unlocked.status_code == 200
    assert sign_in(first.client(), "officer", "officer-demo-pass").status_code == 302


def test_a_client_address_locks_after_twenty_failures_over_any_names(two_workers: tuple[Hub, Hub]) -> None:
    first, second = two_workers
    for attempt in range(20):
        worker = (first, second)[attempt % 2]
        assert sign_in(worker.client(), f"guess{attempt}", "wrong password").status_code == 400
    refused = sign_in(first.client(), "auditor", "auditor-demo-pass")
    assert refused.status_code == 429
    assert "Too many failed sign-ins from your network" in refused.get_data(as_text=True)
    # Another address is not held back by this one.
    elsewhere = sign_in(second.client(), "auditor", "auditor-demo-pass", environ_base={"REMOTE_ADDR": "10.9.9.9"})
    assert elsewhere.status_code == 302


def test_failures_counted_at_the_same_moment_by_two_workers_all_count(two_workers: tuple[Hub, Hub]) -> None:
    first, second = two_workers
    barrier = threading.Barrier(8)

    def fail(worker: Hub) -> None:
        barrier.wait(timeout=30)
        worker.services.throttle.failed("director", "192.0.2.7")

    threads = [threading.Thread(target=fail, args=((first, second)[i % 2],)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    with first.services.users.engine.connect() as connection:
        rows = dict(connection.exec_driver_sql("SELECT scope, failures FROM hub_sign_in_failures").all())
    # Five locked the account (its count starts again at the lock); all eight count for the address.
    assert first.services.throttle.locked("director", "198.51.100.1").scope is Scope.ACCOUNT
    assert rows == {"account": 3, "address": 8}


def test_a_good_password_clears_the_account_count(fresh: Hub) -> None:
    for attempt in range(4):
        sign_in(fresh.client(), "officer", f"wrong {attempt}")
    assert sign_in(fresh.client(), "officer", "officer-demo-pass").status_code == 302
    for attempt in range(4):
        sign_in(fresh.client(), "officer", f"wrong again {attempt}")
    assert sign_in(fresh.client(), "officer", "officer-demo-pass").status_code == 302
