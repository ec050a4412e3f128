"""/api/v1/accounts: people's accounts, for administrators (duty ADMINISTRATION) only.

Changes are commands (web/api/commands.py, from application/commands/accounts.py); these are the
reads. Never a password hash or a token's secret: a token is shown once, in the answer that issued it.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask_smorest import Blueprint, abort

from application import authority
from application.authority import Duty
from application.users import User
from web.account_view import account_row
from web.api import problems
from web.api.access import require_user, writes_need_a_token
from web.api.schemas import AccountListOut, AccountOut
from web.services import services

blp = Blueprint("api_accounts", __name__, url_prefix="/api/v1/accounts", description="Accounts (administrators)")
problems.register(blp)
writes_need_a_token(blp)
ADMINISTRATORS = {"security": [{"bearerAuth": []}]}


def require_administrator() -> User:
    user = require_user()
    if not authority.may(user.role, Duty.ADMINISTRATION):
        abort(403, message="Only an administrator may see accounts.")
    return user


def account_or_404(account_id: UUID) -> dict[str, Any]:
    row = account_row(account_id)
    if row is None:
        abort(404, message=f"There is no account with id {account_id}.")
    return row  # type: ignore[return-value]


@blp.route("")
@blp.response(200, AccountListOut)
@blp.doc(**ADMINISTRATORS)
def account_list() -> dict[str, Any]:
    """Every account, by user name."""
    require_administrator()
    return {"items": [account_row(u.account_id) for u in services().users.all()]}


@blp.route("/<uuid:account_id>")
@blp.response(200, AccountOut)
@blp.doc(**ADMINISTRATORS)
def account(account_id: UUID) -> dict[str, Any]:
    """An account: its role, whether it is active or locked, how many sessions it has, and its tokens."""
    require_administrator()
    return account_or_404(account_id)
