"""Reminders in the app and the iCalendar feeds.

Pages (signed in): GET /reminders, POST /reminders/<id>/done, GET/POST /reminders/preferences,
POST /reminders/feed-key (a new address for the personal feed, shown once).
Feeds (no sign-in): GET /calendar.ics and GET /bodies/<id>/calendar.ics carry public meetings only;
GET /reminders/feeds/<key>.ics is one person's deadlines, found by the secret key in its address
(application/reminders/feed_keys.py), because calendar apps subscribe without a cookie.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask import Blueprint, Flask, Response, abort, current_app, redirect, render_template, request, url_for

from application.commands.reminders import MarkReminderDone
from application.errors import ConflictError, NotFound
from application.reminders.commands import ReminderCommands
from application.reminders.feed_keys import FeedKeys
from application.users import User
from domain.errors import InvalidInput, NotPermitted
from domain.reminder import ReminderError
from projections.ical_feeds import body_feed, body_name, deadlines_feed, framework_feed
from projections.reminders import reminders_for_user
from web.auth import current_user
from web.downloads import content_disposition
from web.saved import saved
from web.services import services
from web.ui.access import requires_sign_in

bp = Blueprint("reminders", __name__)

ICAL_TYPE = "text/calendar; charset=utf-8"
MAX_LEAD_DAYS = 60
# Opening one's reminders (the page or GET /api/v1/reminders) runs the scheduler's scan for that person's
# rules for today, at most once this often per person in each process (a page refreshed again and again
# does not scan again each time); the people remembered are bounded too.
SCAN_ON_OPEN_SECONDS = 60
SCANS_REMEMBERED = 10_000


def _feed_keys() -> FeedKeys:
    return current_app.extensions["reminder_feed_keys"]


def _user() -> User:
    user = current_user()
    assert user is not None  # the views below are all behind requires_sign_in
    return user


def _ical(data: bytes, filename: str) -> Response:
    response = Response(data, mimetype="text/calendar")
    response.headers["Content-Type"] = ICAL_TYPE
    response.headers["Content-Disposition"] = content_disposition(filename, "inline")
    response.headers["Cache-Control"] = "no-cache"
    return response


# ------------------------------------------------------------------ reminders


def raise_due_for(user: User) -> int:
    """Raises the person's reminders due today that the scheduler has not raised yet; returns how many.

    The same scan as the scheduler's (application/reminders/commands.py), for this person alone: idempotent
    because a reminder's identity is what it is about, so this and a scheduler racing it raise each once.
    """
    svc = services()
    last_scans: dict[str, Any] = current_app.extensions.setdefault("reminder_scans_on_open", {})
    now, today = svc.now(), svc.today()
    last = last_scans.get(user.user_id)
    if last is not None and last[0] == today and (now - last[1]).total_seconds() < SCAN_ON_OPEN_SECONDS:
        return 0
    if len(last_scans) >= SCANS_REMEMBERED:
        last_scans.clear()
    last_scans[user.user_id] = (today, now)
    return ReminderCommands(svc.hub, svc.read_models, svc.users).scan(today=today, person=user.user_id).raised


def _list_page(errors: dict[str, str] | None = None, status: int = 200) -> tuple[str, int]:
    user = _user()
    show_done = request.args.get("show") == "all"
    with services().reading() as connection:
        items = reminders_for_user(connection, user.user_id, include_done=show_done)
    done_id = request.args.get("done")
    done_item = next((i for i in items if i["reminder_id"] == done_id), None) if done_id else None
    page = render_template(
        "reminders/list.html",
        items=items,
        show_done=show_done,
        errors=errors or {},
        done_title=done_item["title"] if done_item else ("That reminder" if done_id else None),
        user=user,
    )
    return page, status


@bp.get("/reminders")
@requires_sign_in
def reminder_list() -> Any:
    raise_due_for(_user())
    return _list_page()


@bp.post("/reminders/<uuid:reminder_id>/done")
@requires_sign_in
def mark_done(reminder_id: UUID) -> Any:
    user = _user()
    svc = services()
    try:
        outcome = svc.dispatcher.run(MarkReminderDone, user.actor, subject_id=reminder_id, data={})
    except NotFound:
        abort(404, "There is no such reminder.")
    except NotPermitted:
        abort(403, "That reminder is for someone else; only they can mark it done.")
    except (ReminderError, ConflictError) as error:
        svc.wait_for()  # the list shows the change that got there first
        return _list_page({f"reminder-{reminder_id}": error.message}, 409)
    saved(outcome)
    return redirect(url_for("reminders.reminder_list", done=str(reminder_id)))


# ------------------------------------------------------------------ preferences


def _preferences_page(
    values: dict[str, Any], errors: dict[str, str], *, feed_url: str | None = None, status: int = 200
) -> tuple[str, int]:
    user = _user()
    page = render_template(
        "reminders/preferences.html",
        values=values,
        errors=errors,
        user=user,
        saved=request.args.get("saved") == "1",
        feed_url=feed_url,
        feed_created=_feed_keys().created_at(user.user_id),
    )
    return page, status


def _current_values(user: User) -> dict[str, Any]:
    return {
        "reminder_lead_days": str(user.reminder_lead_days),
        "email_reminders": "yes" if user.email_reminders else "",
        "expected_version": user.version,
    }


@bp.route("/reminders/preferences", methods=["GET", "POST"])
@requires_sign_in
def preferences() -> Any:
    user = _user()
    if request.method == "GET":
        return _preferences_page(_current_values(user), {})
    values = {
        "reminder_lead_days": request.form.get("reminder_lead_days", "").strip(),
        "email_reminders": "yes" if request.form.get("email_reminders") == "yes" else "",
        "expected_version": request.form.get("expected_version", ""),
    }
    errors: dict[str, str] = {}
    lead = values["reminder_lead_days"]
    if not lead.isdigit() or not 0 <= int(lead) <= MAX_LEAD_DAYS:
        errors["reminder_lead_days"] = f"Enter a whole number of working days from 0 to {MAX_LEAD_DAYS}, like 5"
    version = values["expected_version"]
    if not str(version).isdigit():
        errors["reminder_lead_days"] = errors.get("reminder_lead_days") or "Reload the page and try again"
    if errors:
        return _preferences_page(values, errors, status=400)
    try:
        services().users.set_preferences(
            user.user_id,
            reminder_lead_days=int(lead),
            email_reminders=values["email_reminders"] == "yes",
            expected_version=int(version),
        )
    except ConflictError:
        current = services().users.require(user.user_id)
        message = (
            "Your reminder preferences were changed somewhere else (another tab or device) since you opened this "
            "page, so nothing was saved. The form now shows the saved settings: make your change again."
        )
        return _preferences_page(_current_values(current), {"reminder_lead_days": message}, status=409)
    except InvalidInput as error:
        return _preferences_page(values, {"reminder_lead_days": error.message}, status=400)
    return redirect(url_for("reminders.preferences", saved="1"))


@bp.post("/reminders/feed-key")
@requires_sign_in
def new_feed_key() -> Any:
    user = _user()
    key = _feed_keys().issue(user.user_id)
    feed_url = url_for("reminders.personal_feed", key=key, _external=True)
    return _preferences_page(_current_values(user), {}, feed_url=feed_url)


# ------------------------------------------------------------------ feeds


@bp.get("/calendar.ics")
def public_framework_feed() -> Response:
    with services().reading() as connection:
        data = framework_feed(connection, public_only=True, now=services().now())
    return _ical(data, "partnership-meetings.ics")


@bp.get("/bodies/<uuid:body_id>/calendar.ics")
def public_body_feed(body_id: UUID) -> Response:
    with services().reading() as connection:
        if body_name(connection, body_id) is None:
            abort(404, "There is no body with that id.")
        data = body_feed(connection, body_id, public_only=True, now=services().now())
    return _ical(data, f"body-{body_id}.ics")


@bp.get("/reminders/feeds/<key>.ics")
def personal_feed(key: str) -> Response:
    user_id = _feed_keys().user_for(key)
    user = services().users.get(user_id) if user_id else None
    if user is None or not user.active:
        abort(404, "This calendar address is not in use: it may have been replaced by a newer one.")
    with services().reading() as connection:
        data = deadlines_feed(connection, user.user_id, now=services().now())
    return _ical(data, "my-deadlines.ics")


def init_app(app: Flask) -> None:
    app.extensions["reminder_feed_keys"] = FeedKeys(app.extensions["partnership_hub"].users.engine)
    app.register_blueprint(bp)
