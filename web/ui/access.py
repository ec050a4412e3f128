"""Who may see which page: signed in, and for officers' pages a role that keeps the record.

Forms are gated by their command's duty in the application's authority table (``web.auth.may``);
reading pages by the duties below, from the same table, so the two never disagree.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import abort, redirect, request, url_for

from application import authority
from application.authority import Duty
from application.users import User
from web.auth import current_user

F = TypeVar("F", bound=Callable[..., Any])

# Reading pages and who may open them, by the duty of the people they are for: the officers' dashboard
# and a meeting's full record (exempt items included) are for those who keep the framework's calendar
# or service meetings.
DASHBOARD_DUTY = Duty.CALENDAR  # the partnership team (officers, administrators)
MEETING_RECORD_DUTY = Duty.MEETINGS  # whoever services meetings (also the Executive Director)


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


def carries(duty: Duty, user: User | None = None) -> bool:
    """Whether the (current) user's role carries a duty of the authority table."""
    user = user if user is not None else current_user()
    return user is not None and authority.may(user.role, duty)


def requires_duty(duty: Duty) -> Callable[[F], F]:
    """A page for those whose role carries ``duty``; others get 403, nobody signed in goes to sign in."""

    def decorate(view: F) -> F:
        @wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if current_user() is None:
                return sign_in_redirect()
            if not carries(duty):
                abort(403, "Your role does not allow you to see this page.")
            return view(*args, **kwargs)

        return wrapper  # type: ignore[return-value]

    return decorate
