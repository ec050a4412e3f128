"""An administrator's commands on people's accounts (duty ADMINISTRATION, the administrator's alone), and
the one a person gives about their own account: changing their password (duty PERSONAL).

Each changes the accounts table and records an event on the account's audit trail in one transaction
(application/account_commands.py). None takes a version: the last change made wins, each is
recorded, and one that would change nothing (deactivating an account already deactivated) is refused.
"""

from __future__ import annotations

from marshmallow import fields, validate

from application.account_commands import AccountCommands
from application.authority import Duty, Role
from application.commands.definition import ACCOUNT, define
from application.commands.inputs import CommandInput, choice, text
from application.users import MIN_PASSWORD_LENGTH

MAX_PASSWORD_LENGTH = 200


def password(what: str) -> fields.String:
    """A password: any characters but control characters, 10 to 200 of them; never echoed back."""
    return text(
        what,
        max_length=MAX_PASSWORD_LENGTH,
        also=[
            validate.Length(min=MIN_PASSWORD_LENGTH, error=f"{what} must be {MIN_PASSWORD_LENGTH} characters or more")
        ],
    )


@define(title="Create an account", creates=ACCOUNT, duty=Duty.ADMINISTRATION, handler=AccountCommands.create_account)
class CreateAccount(CommandInput):
    """Creates an account that signs in with a user name and password, in one role."""

    user_id = text(
        "the user name",
        max_length=64,
        also=[
            validate.Regexp(
                r"^[a-z0-9][a-z0-9._-]{1,63}\Z",
                error="the user name must be 2 to 64 lower-case letters, digits, dots, hyphens or underscores, "
                "starting with a letter or digit",
            )
        ],
    )
    name = text("the person's name")
    email = fields.Email(
        required=True,
        validate=validate.Length(max=320, error="the e-mail address must be 320 characters or fewer"),
        error_messages={
            "required": "enter an e-mail address",
            "null": "enter an e-mail address",
            "invalid": "enter an e-mail address, like name@example.gov.uk",
        },
    )
    role = choice(Role, "a role")
    password = password("the password")


@define(
    title="Change the role",
    about=ACCOUNT,
    duty=Duty.ADMINISTRATION,
    versioned=False,
    handler=AccountCommands.change_role,
)
class ChangeRole(CommandInput):
    """Gives the account another role; the person's sessions end, so they sign in again in the new role."""

    role = choice(Role, "a role")


@define(
    title="Deactivate the account",
    about=ACCOUNT,
    duty=Duty.ADMINISTRATION,
    versioned=False,
    handler=AccountCommands.deactivate_account,
)
class DeactivateAccount(CommandInput):
    """Stops the account signing in or using its API tokens, and ends its sessions; its record stays."""


@define(
    title="Reactivate the account",
    about=ACCOUNT,
    duty=Duty.ADMINISTRATION,
    versioned=False,
    handler=AccountCommands.reactivate_account,
)
class ReactivateAccount(CommandInput):
    """Lets a deactivated account sign in again."""


@define(
    title="Reset the password",
    about=ACCOUNT,
    duty=Duty.ADMINISTRATION,
    versioned=False,
    handler=AccountCommands.reset_password,
)
class ResetPassword(CommandInput):
    """Sets a new password (tell the person it); every session of theirs ends and any sign-in lock is lifted."""

    password = password("the new password")


@define(
    title="Change your password",
    about=ACCOUNT,
    duty=Duty.PERSONAL,
    versioned=False,
    handler=AccountCommands.change_password,
)
class ChangePassword(CommandInput):
    """A person changes their own password (only their own); every session of theirs ends, and they sign in again."""

    current_password = text("your current password", max_length=MAX_PASSWORD_LENGTH)
    new_password = password("the new password")


@define(
    title="Unlock sign-in",
    about=ACCOUNT,
    duty=Duty.ADMINISTRATION,
    versioned=False,
    handler=AccountCommands.unlock_account,
)
class UnlockAccount(CommandInput):
    """Lifts the lock that too many wrong passwords put on the account."""


@define(
    title="Sign out everywhere",
    about=ACCOUNT,
    duty=Duty.ADMINISTRATION,
    versioned=False,
    handler=AccountCommands.sign_out_everywhere,
)
class SignOutEverywhere(CommandInput):
    """Ends every session of the account, on every browser (API tokens are revoked one by one)."""


@define(
    title="Issue an API token",
    about=ACCOUNT,
    duty=Duty.ADMINISTRATION,
    versioned=False,
    handler=AccountCommands.issue_api_token,
)
class IssueApiToken(CommandInput):
    """Issues a bearer token for the JSON API, acting as this account; it is shown once, and kept only as a hash."""

    label = text("what the token is for")


@define(
    title="Revoke an API token",
    about=ACCOUNT,
    duty=Duty.ADMINISTRATION,
    versioned=False,
    handler=AccountCommands.revoke_api_token,
)
class RevokeApiToken(CommandInput):
    """Stops a token working at once."""

    token_id = text(
        "the token's id",
        max_length=32,
        also=[validate.Regexp(r"^[0-9a-f]{16}\Z", error="the token's id is 16 lower-case hex characters")],
    )
