"""One account as the administrator's pages and the API show it: its state, sessions, lock and tokens.

Accounts are the accounts table's own rows (application/users.py), not a read model of the event log;
never a password hash or a token's secret.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from web.services import services


def account_row(account_id: UUID | None) -> dict[str, Any] | None:
    """One account as its pages and forms show it; never its password hash or a token's secret."""
    if account_id is None:
        return None
    svc = services()
    user = svc.users.by_account(account_id)
    if user is None:
        return None
    return {
        "id": user.account_id,
        "user_id": user.user_id,
        "name": f"{user.name} ({user.user_id})",
        "person": user.name,
        "email": user.email,
        "role": user.role.value,
        "active": user.active,
        "created_by": user.created_by,
        "version": None,  # account commands take no version: the last change wins, and each is recorded
        "sessions": svc.sessions.count(user.user_id),
        "locked_until": svc.throttle.account_locked_until(user.user_id),
        "tokens": svc.users.tokens(user.user_id),
    }
