"""Sessions end: signing out, a new password, deactivation, a new role or "sign out everywhere" end every
session of the person, so a cookie kept from before opens nothing; idle and absolute time-outs end them too."""

from __future__ import annotations

from flask.testing import FlaskClient

from tests.security.conftest import Hub, csrf_token


def signed_in(client: FlaskClient) -> bool:
    response = client.get("/bodies")
    return response.status_code == 200


def cookie_of(client: FlaskClient) -> str:
    cookie = client.get_cookie("session")
    assert cookie is not None
    return cookie.value


def replay(hub: Hub, cookie: str) -> FlaskClient:
    """Another browser holding a copy of the cookie."""
    thief = hub.client()
    thief.set_cookie("session", cookie)
    return thief


def admin_does(hub: Hub, command: str, user_id: str, **data: str) -> None:
    account = hub.services.users.get(user_id).account_id
    response = hub.client().post(f"/api/v1/accounts/{account}/{command}", json=data, headers=hub.token("admin"))
    assert response.status_code == 200, response.get_json()


def test_signing_out_ends_the_session_on_the_server(fresh: Hub) -> None:
    browser = fresh.sign_in("officer")
    cookie = cookie_of(browser)
    assert signed_in(replay(fresh, cookie))
    browser.post("/sign-out", data={"csrf_token": csrf_token(browser, "/bodies")})
    assert not signed_in(browser)
    assert not signed_in(replay(fresh, cookie)), "a cookie copied before signing out still works"
    assert fresh.services.sessions.count("officer") == 0


def test_an_administrators_changes_end_every_session_of_the_person(fresh: Hub) -> None:
    for command, data in (
        ("sign-out-everywhere", {}),
        ("password-reset", {"password": "a brand new password"}),
        ("role", {"role": "auditor"}),
        ("deactivation", {}),
    ):
        password = "a brand new password" if command in ("role", "deactivation") else None
        laptop, phone = fresh.sign_in("officer", password), fresh.sign_in("officer", password)
        assert signed_in(laptop) and signed_in(phone)
        admin_does(fresh, command, "officer", **data)
        assert not signed_in(laptop) and not signed_in(phone), command
        assert fresh.services.sessions.count("officer") == 0
    # Deactivated: cannot sign in again either.
    response = fresh.client().post(
        "/sign-in", data={"user_id": "officer", "password": "a brand new password", "csrf_token": "x"}
    )
    assert response.status_code == 400


def test_a_new_password_set_at_the_command_line_ends_sessions_too(fresh: Hub) -> None:
    browser = fresh.sign_in("auditor")
    fresh.services.users.set_password("auditor", "another long password")
    assert not signed_in(browser)


def test_idle_and_absolute_time_outs(fresh: Hub) -> None:
    browser = fresh.sign_in("officer")
    fresh.wall.advance(minutes=29)
    assert signed_in(browser), "used within the idle time-out"
    fresh.wall.advance(minutes=31)
    assert not signed_in(browser), "idle for more than 30 minutes"

    browser = fresh.sign_in("officer")
    for _ in range(24):  # busy all day, never idle for long
        fresh.wall.advance(minutes=29)
        assert signed_in(browser)
    fresh.wall.advance(minutes=29)  # 12 h 5 min after signing in
    assert not signed_in(browser), "past the absolute time-out of 12 hours"


def test_the_cookie_holds_no_user_and_the_table_no_session_id(fresh: Hub) -> None:
    browser = fresh.sign_in("officer")
    with browser.session_transaction() as session:
        session_id = session["sid"]
        assert set(session) <= {"sid", "csrf_token", "_flashes"}
    with fresh.services.users.engine.connect() as connection:
        stored = connection.exec_driver_sql("SELECT session_sha256 FROM hub_sessions").scalars().all()
    assert session_id not in stored and len(stored) == 1
    # A session id made up by hand (or a forged cookie naming a user) opens nothing.
    with browser.session_transaction() as session:
        session["sid"] = "made-up"
        session["user_id"] = "admin"
    assert not signed_in(browser)


def test_changing_ones_own_password_ends_every_session_this_one_too(fresh: Hub) -> None:
    laptop, phone = fresh.sign_in("auditor"), fresh.sign_in("auditor")
    account = fresh.services.users.get("auditor").account_id
    form = f"/accounts/{account}/change-password"
    wrong = laptop.post(form, data={"csrf_token": csrf_token(laptop, form), "current_password": "not it at all",
                                    "new_password": "auditor's new password"})  # fmt: skip
    assert wrong.status_code == 400 and "not your current password" in wrong.get_data(as_text=True)
    assert signed_in(laptop) and signed_in(phone)
    changed = laptop.post(form, data={"csrf_token": csrf_token(laptop, form), "current_password": "auditor-demo-pass",
                                      "new_password": "auditor's new password"})  # fmt: skip
    assert changed.status_code == 302 and changed.headers["Location"] == "/sign-in"
    assert not signed_in(laptop) and not signed_in(phone)
    assert fresh.sign_in("auditor", "auditor's new password")
    fresh.services.refresh()
    assert "Password changed by its owner" in fresh.sign_in("officer").get("/audit").get_data(as_text=True)
    # Nobody changes another's password this way (an administrator resets it).
    officer = fresh.sign_in("officer")
    assert officer.get(form).status_code == 403
    refused = fresh.client().post(f"/api/v1/accounts/{account}/password", headers=fresh.token("officer"),
                                  json={"current_password": "x", "new_password": "a long new password"})  # fmt: skip
    assert refused.status_code == 403
