"""The administrator's area: every account, one account's state, and the forms that change them.

The changes themselves are commands (application/commands/accounts.py) whose forms come from the
registry like every other (web/ui/forms.py, web/ui/commands.py); these pages only read. Accounts are
not a read model of the event log but the accounts table's own rows (application/users.py), so they
are read from there; what was done to an account is on the audit log.
"""

from __future__ import annotations

from uuid import UUID

from flask import Blueprint, abort, render_template

from application.authority import Duty
from web.account_view import account_row
from web.services import services
from web.ui.access import requires_duty

bp = Blueprint("accounts", __name__)


@bp.get("/accounts")
@requires_duty(Duty.ADMINISTRATION)
def account_list() -> str:
    return render_template("accounts/list.html", users=services().users.all())


@bp.get("/accounts/<uuid:account_id>")
@requires_duty(Duty.ADMINISTRATION)
def account(account_id: UUID) -> str:
    row = account_row(account_id)
    if row is None:
        abort(404, "There is no account with that id.")
    return render_template("accounts/account.html", account=row)
