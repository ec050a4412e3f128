"""``partnership-hub people erase PERSON --reason TEXT``: the command line's way to erase a name (rule P1).

It runs the one command (``erase_person``) through the dispatcher, as the API and the page do. Whoever
runs it at the server's command line acts as an administrator, recorded as ``command-line:<login>``.
"""

from __future__ import annotations

import getpass

import click
from marshmallow import ValidationError

from application import bootstrap
from application.authority import Role
from application.commands.people import ErasePerson
from application.settings import Settings
from domain.actor import Actor
from domain.errors import DomainError


@click.group()
def people() -> None:
    """The people named in the record: erase a person's name (UK GDPR, right to erasure)."""


@people.command("erase")
@click.argument("person")
@click.option("--reason", required=True, help="Why (the request it answers), naming no one.")
def erase(person: str, reason: str) -> None:
    """Destroy the key to PERSON's name (their name as the record gives it, or their person id)."""
    services = bootstrap.build(Settings.from_env())
    actor = Actor(f"command-line:{getpass.getuser()}", Role.ADMINISTRATOR.value)
    try:
        outcome = services.dispatcher.run(ErasePerson, actor, data={"person": person, "reason": reason})
        services.refresh()
    except ValidationError as error:
        raise click.ClickException("; ".join(f"{k}: {' '.join(v)}" for k, v in error.messages.items())) from None
    except DomainError as error:
        raise click.ClickException(str(error)) from None
    finally:
        services.close()
    done = outcome.result
    click.echo(
        f"Erased person {done.person_id} (erasure {done.erasure_id}, event {outcome.position}): "
        'the record now reads "name erased" where their name stood.'
    )
