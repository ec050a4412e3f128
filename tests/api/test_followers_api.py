"""The API's "Follow this body" for the public (no token): subscribe, confirm, unsubscribe, in the OpenAPI
document, on SQLite and PostgreSQL; each refusal a problem document naming what to fix."""

from __future__ import annotations

import re
from uuid import UUID, uuid4

from sqlalchemy import select

from application.followers import follower_mail, followers
from tests.api.conftest import ApiClient, assert_problem

OPERATIONS = {
    ("/api/v1/bodies/{body_id}/followers", "post"): "202",
    ("/api/v1/followers/confirmation", "post"): "200",
    ("/api/v1/followers/unsubscription", "post"): "200",
}


def _confirmation_token(api: ApiClient) -> str:
    with api.services.followers.engine.connect() as connection:
        text = connection.scalar(select(follower_mail.c.text).where(follower_mail.c.kind == "confirm"))
    found = re.search(r"/public/follow/confirm/(\S+)", text or "")
    assert found, text
    return found.group(1)


def test_the_operations_are_in_the_openapi_document_and_need_no_token(api: ApiClient) -> None:
    spec = api.get("/api/openapi.json").get_json()
    for (path, method), status in OPERATIONS.items():
        operation = spec["paths"][path][method]
        assert status in operation["responses"], path
        assert "security" not in operation, path


def test_follow_confirm_and_unsubscribe(api_both: ApiClient) -> None:
    api = api_both
    body = api.establish()
    answer = api.post(f"/api/v1/bodies/{body['id']}/followers", json={"email": "jo@example.com"})
    assert answer.status_code == 202, answer.get_json()
    assert api.services.followers.count(UUID(body["id"])) == 0  # not until confirmed
    token = _confirmation_token(api)
    confirmed = api.post("/api/v1/followers/confirmation", json={"token": token})
    assert confirmed.status_code == 200, confirmed.get_json()
    assert confirmed.get_json() == {"body_id": body["id"], "following": True, "message": "You are following this body."}
    assert api.services.followers.count(UUID(body["id"])) == 1

    with api.services.followers.engine.connect() as connection:
        follower_id = connection.scalar(select(followers.c.id))
    stop = api.services.followers.unsubscribe_token(follower_id)
    stopped = api.post("/api/v1/followers/unsubscription", json={"token": stop})
    assert stopped.status_code == 200 and stopped.get_json()["following"] is False
    with api.services.followers.engine.connect() as connection:
        assert connection.execute(select(followers)).first() is None
    again = api.post("/api/v1/followers/unsubscription", json={"token": stop})
    assert again.status_code == 200 and again.get_json()["body_id"] is None


def test_refusals_name_what_to_fix(api: ApiClient) -> None:
    body = api.establish()
    path = f"/api/v1/bodies/{body['id']}/followers"
    problem = assert_problem(api.post(path, json={"email": "not an address"}), 422, "email")
    assert "enter an e-mail address, like name@example.com" in problem["errors"]["email"][0]
    assert_problem(api.post(path, json={}), 422, "email")
    assert_problem(api.post(path, json={"email": "a@example.com", "name": "extra"}), 422)
    for hostile in ("x" * 400 + "@example.com", "\ud800@example.com", "a\x00b@example.com", "a@b.c\x00x", ""):
        assert_problem(api.post(path, json={"email": hostile}), 422, "email")
    with api.services.followers.engine.connect() as connection:
        assert connection.execute(select(followers)).first() is None  # nothing kept of a refused address
    unknown = assert_problem(api.post(f"/api/v1/bodies/{uuid4()}/followers", json={"email": "a@example.com"}), 404)
    assert "There is no body with id" in unknown["detail"]

    api.post(path, json={"email": "jo@example.com"})
    token = _confirmation_token(api)
    tampered = token[:-2] + ("xx" if not token.endswith("xx") else "yy")
    for bad in (tampered, "nonsense", "a.b.c"):
        problem = assert_problem(api.post("/api/v1/followers/confirmation", json={"token": bad}), 422, "token")
        assert "This link is not complete or has been changed" in problem["errors"]["token"][0]
    assert_problem(api.post("/api/v1/followers/unsubscription", json={"token": token}), 422, "token")  # wrong kind
    api.clock.advance(days=3, seconds=1)
    expired = assert_problem(api.post("/api/v1/followers/confirmation", json={"token": token}), 422, "token")
    assert "has expired: links work for 3 days" in expired["errors"]["token"][0]
