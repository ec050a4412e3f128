"""Read-your-writes: a write's answer (and the page after it) shows its own change, with the read models
kept by the app's worker thread, never by the request; several writers at once each see their own."""

from __future__ import annotations

import threading
from typing import Any

from tests.projections.conftest import MEMBER, Served

WRITERS = 4
WRITES_EACH = 8


def _establish(served: Served, name: str) -> dict[str, Any]:
    response = served.client().post(
        "/api/v1/bodies", json={"name": name, "kind": "subgroup", "reason": "for the test"}, headers=served.headers()
    )
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def test_concurrent_writers_each_read_their_own_write(served: Served) -> None:
    bodies = [_establish(served, f"Group {n}") for n in range(WRITERS)]
    answers: list[list[dict[str, Any]]] = [[] for _ in bodies]
    errors: list[BaseException] = []
    start = threading.Barrier(WRITERS)

    def write(n: int) -> None:
        client = served.client()
        version = bodies[n]["version"]
        try:
            start.wait(timeout=10)
            for k in range(WRITES_EACH):
                response = client.post(
                    f"/api/v1/bodies/{bodies[n]['id']}/members",
                    json={**MEMBER, "person": f"Person {n}-{k}"},
                    headers=served.headers(**{"If-Match": str(version)}),
                )
                assert response.status_code == 201, response.get_json()
                assert "Hub-Read-Models" not in response.headers, response.get_json()
                answers[n].append(response.get_json())
                version = response.get_json()["version"]
        except BaseException as error:  # reported below
            errors.append(error)

    threads = [threading.Thread(target=write, args=(n,)) for n in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == [] and not any(t.is_alive() for t in threads)
    for mine in answers:
        assert len(mine) == WRITES_EACH
        for k, answer in enumerate(mine):
            record = answer["record"]
            # Nobody else writes this body, so the record is exactly as this write left it.
            assert record is not None and record["version"] == answer["version"] == k + 2
            assert answer["member_id"] in {m["member_id"] for m in record["members"]}
            assert record["member_count"] == k + 1
    # The request never projected: the worker did, and the tracking positions say so.
    assert served.services.read_models.is_following
    assert set(served.services.read_models.lag().values()) == {0}


def test_the_next_request_after_a_write_reads_it(served: Served) -> None:
    client = served.client()
    for n in range(5):
        created = _establish(served, f"Forum {n}")
        listed = client.get("/api/v1/bodies", query_string={"per_page": 100}).get_json()["items"]
        assert created["id"] in {b["id"] for b in listed}
        assert client.get(f"/api/v1/bodies/{created['id']}").status_code == 200
