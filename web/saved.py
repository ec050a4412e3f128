"""After a command saved: remember it for this request, then wait for the read models to show it.

Both the UI and the API come through here, so an answer never says "nothing was saved" when something
was (web.errors reads ``saved_outcomes``). The read models are kept by their worker (a thread of this
process, or ``partnership-hub projections run``), never by the request: the request waits, up to the
configured deadline (``PARTNERSHIP_HUB_READ_MODEL_WAIT``, 2 s by default), until every read model has
reached the position of its own last event, so the answer and the next page show the change. Past the
deadline, or when a read model has failed, the answer says "saved, lists still updating", never a
failed change.
"""

from __future__ import annotations

import logging

from flask import g

from application.commands import Outcome
from web.services import services

log = logging.getLogger(__name__)

STILL_UPDATING = "Your change was saved. Some lists may take a moment to show it."


def saved(outcome: Outcome) -> bool:
    """Notes ``outcome`` for this request and waits for the read models; False if some did not reach it."""
    g.saved_outcomes = [*g.get("saved_outcomes", []), outcome]
    if outcome.position is None:
        return True
    try:
        behind = services().wait_for(outcome.position)
    except Exception:
        log.exception(
            "%s was saved (%s %s version %s, log position %s) but waiting for the read models failed",
            outcome.command.name,
            outcome.subject,
            outcome.subject_id,
            outcome.version,
            outcome.position,
        )
        return False
    if behind:
        log.warning(
            "%s was saved (log position %s) but the read models %s did not catch up in time",
            outcome.command.name,
            outcome.position,
            ", ".join(behind),
        )
        return False
    return True


def saved_outcomes() -> list[Outcome]:
    """What this request saved so far (empty outside a request that ran a command)."""
    return list(g.get("saved_outcomes", []))
