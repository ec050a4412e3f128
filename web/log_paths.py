"""The path a log line names: a signed link's route with its token left out.

A signed link is its holder's authority (a panel member's link, application/panel_links.py; a follower's
confirm and unsubscribe links, application/followers.py), so neither the request log nor the error log
may keep it: they name the route instead ("/respond/…").
"""

from __future__ import annotations

import re

from flask import request

_TOKEN = re.compile(r"<(?:\w+:)?token>")


def logged_path() -> str:
    """The request's path for a log line: a signed link's route with its token left out."""
    rule = request.url_rule.rule if request.url_rule is not None else None
    return _TOKEN.sub("…", rule) if rule is not None and _TOKEN.search(rule) else request.path
