"""Who is asking: a signed-in user (session cookie, the UI) or a bearer token (the API), or nobody.

The session cookie holds only a random session id; the session itself is a row on the server
(application/sessions.py), checked on every request against its idle and absolute time-outs, and
deleted on signing out, so a copy of the cookie taken before then opens nothing.

Roles are checked by the dispatcher against the authority table (application/authority.py) when a
command runs; views use ``may`` to decide what to offer and ``require_user`` to refuse anonymous access.
"""

from __future__ import annotations

from flask import g, request, session

from application import authority
from application.commands import Dispatcher
from application.commands.dispatcher import CommandRef
from application.users import User
from web.services import services

SESSION_KEY = "sid"


def current_user() -> User | None:
    """The user behind this request, looked up once per request."""
    if "hub_user" not in g:
        g.hub_user = _from_bearer() or _from_session()
    return g.hub_user


def _from_bearer() -> User | None:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return services().users.user_for_token(token.strip())


def _from_session() -> User | None:
    session_id = session.get(SESSION_KEY)
    if not session_id or not isinstance(session_id, str):
        return None
    svc = services()
    user_id = svc.sessions.user_of(session_id)
    user = svc.users.get(user_id) if user_id else None
    if user is None or not user.active:
        session.clear()  # ended, timed out, or the account closed: this browser is signed out
        return None
    return user


def login_user(user: User) -> None:
    svc = services()
    session.clear()  # a fresh session on sign-in (no fixation): a new id, nothing carried over
    session[SESSION_KEY] = svc.sessions.start(user.user_id)
    g.hub_user = user


def logout_user() -> None:
    session_id = session.get(SESSION_KEY)
    if isinstance(session_id, str):
        services().sessions.end(session_id)
    session.clear()
    g.hub_user = None


def may(command: CommandRef, user: User | None = None) -> bool:
    """Whether the user's role may run a command (its definition's duty, as the dispatcher checks it).

    Templates name commands as strings (``may('publish_agenda')``); an unknown name is an error, not a
    quiet "no", so a misspelt link cannot hide itself.
    """
    user = user if user is not None else current_user()
    return user is not None and authority.may(user.role, Dispatcher.command(command).duty)
