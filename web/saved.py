"""After a command saved: remember it for this request, then bring the read models up to it.

Both the UI and the API come through here, so an answer never says "nothing was saved" when something
was (web.errors reads ``saved_outcomes``), and a failure after the save (the read models cannot catch
up) is logged and reported as "saved, lists still updating", never as a failed change.
"""

from __future__ import annotations

import logging

from flask import g

from application.commands import Outcome
from web.services import services

log = logging.getLogger(__name__)

STILL_UPDATING = "Your change was saved. Some lists may take a moment to show it."


def saved(outcome: Outcome) -> bool:
    """Notes ``outcome`` for this request and waits for the read models; False if they could not catch up."""
    g.saved_outcomes = [*g.get("saved_outcomes", []), outcome]
    try:
        services().refresh()
    except Exception:
        log.exception(
            "%s was saved (%s %s version %s, log position %s) but the read models did not catch up",
            outcome.command.name,
            outcome.subject,
            outcome.subject_id,
            outcome.version,
            outcome.position,
        )
        return False
    return True


def saved_outcomes() -> list[Outcome]:
    """What this request saved so far (empty outside a request that ran a command)."""
    return list(g.get("saved_outcomes", []))
