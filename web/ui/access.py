"""Who may see which page: signed in, and for officers' pages a role that keeps the record.

Forms are gated by their command in the application's authority table (``web.auth.may``); reading
pages by the groups below, which are also derived from that table so the two never disagree.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import abort, redirect, request, url_for

from application.users import User
from web.auth import current_user, may

F = TypeVar("F", bound=Callable[..., Any])

# Reading pages and who may open them, as a command whose holders they are for:
# the officers' dashboard and a meeting's full record (exempt items included) are for those who keep
# the framework's calendar or service meetings.
DASHBOARD_COMMAND = "plan_annual_calendar"  # the partnership team (officers, administrators)
MEETING_RECORD_COMMAND = "schedule_meeting"  # whoever services meetings (also the Executive Director)


def signed_in_user() -> User:
    user = current_user()
    if user is None:
        abort(401)
    return user


def sign_in_redirect() -> Any:
    return redirect(url_for("sign_in.sign_in", next=request.full_path.rstrip("?")))


def requires_sign_in(view: F) -> F:
    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if current_user() is None:
            return sign_in_redirect()
        return view(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


def requires_command(command: str) -> Callable[[F], F]:
    """A page for those whose role may run ``command``; others get 403, nobody signed in goes to sign in."""

    def decorate(view: F) -> F:
        @wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if current_user() is None:
                return sign_in_redirect()
            if not may(command):
                abort(403, "Your role does not allow you to see this page.")
            return view(*args, **kwargs)

        return wrapper  # type: ignore[return-value]

    return decorate
