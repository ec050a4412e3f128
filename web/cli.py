"""The ``partnership-hub`` command: set up the store, import the framework, seed demo data, read history."""

from __future__ import annotations

import json
import os
import signal
import sys
import threading
from pathlib import Path
from uuid import UUID

import click
from marshmallow import ValidationError
from sqlalchemy import func, select

from application import bootstrap
from application.authority import Role
from application.bootstrap import Services
from application.chain import Anchor
from application.commands import COMMANDS
from application.errors import DuplicateError, NotFound
from application.hub import PartnershipHub, body_id_for
from application.importer import default_data_file, import_framework
from application.meeting_import import import_meetings
from application.people import keys_path_for
from application.record_file import RecordFileError, export_record, files_dir_for, import_record, read_header
from application.reminders.rules import DEFAULT_LOOKBACK_DAYS
from application.settings import Settings
from application.users import Users, demo_refusal, ensure_demo_users
from demo.seed import DemoPlan, run_steps
from domain.body import Body
from domain.errors import DomainError
from domain.vocabulary import BodyKind, BodyStatus
from projections import tables
from projections.runner import POLL_INTERVAL, READ_MODELS, ReadModels
from web.app import ENVIRONMENT_VAR
from web.cli_people import people
from web.cli_reminders import reminders, scheduler


def _services() -> Services:
    return bootstrap.build(Settings.from_env())


def _hub() -> PartnershipHub:
    return _services().hub


def _event_count(hub: PartnershipHub) -> int:
    return hub.recorder.max_notification_id() or 0


@click.group()
def cli() -> None:
    """Partnership Hub: the partnership framework's event-sourced record."""


@cli.command()
def init() -> None:
    """Create the event store's tables, the read models', the accounts' and the API's (safe to run again)."""
    from web.server import prepare_store

    prepare_store()
    hub = _hub()
    click.echo(f"Event store ready at {hub.settings.database_url} ({_event_count(hub)} events).")


@cli.command("import-bodies")
@click.option(
    "--file",
    "path",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="The framework data file (default: the one shipped in application/data).",
)
def import_bodies(path: Path | None) -> None:
    """Import the real bodies and their review recommendations; importing again changes nothing."""
    services = _services()
    hub = services.hub
    path = path or default_data_file()
    if not path.exists():
        raise click.ClickException(f"{path} not found; pass --file with the path to partnership-bodies.json")
    before = _event_count(hub)
    report = import_framework(services.dispatcher, path)
    click.echo(
        f"Imported {path.name}: {report.bodies_created} bodies established, {report.changes_recorded} governance "
        f"changes, {report.members_added} members; {report.skipped} steps already recorded. "
        f"Events: {before} -> {_event_count(hub)}."
    )


@cli.command("import-meetings")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_meetings_command(path: Path) -> None:
    """Record a council's past meetings from a JSON file (format: application/meeting_import.py); importing
    again leaves the meetings already there alone."""
    services = _services()
    hub = services.hub
    before = _event_count(hub)
    try:
        report = import_meetings(services.dispatcher, path)
    except DomainError as error:
        raise click.ClickException(str(error)) from None
    click.echo(
        f"Imported {path.name}: {report.recorded} meetings recorded afterwards, {report.already_there} already "
        f"there, {len(report.refused)} refused. Events: {before} -> {_event_count(hub)}."
    )
    for number, reason in report.refused.items():
        click.echo(f"  meeting {number}: {reason}", err=True)
    if report.refused:
        raise SystemExit(1)


@cli.command()
@click.option(
    "--bodies",
    default=24,
    show_default=True,
    type=click.IntRange(1, 100_000),
    help="How many demo bodies to create (members, meetings and projects scale with it).",
)
@click.option("--seed", default=2026, show_default=True, help="Faker seed, so the same demo comes out each time.")
def seed(bodies: int, seed: int) -> None:
    """Add Faker demo data spread over the last two years."""
    services = _services()
    hub = services.hub
    plan = DemoPlan(services.dispatcher, bodies=bodies, seed=seed, today=services.today())
    steps = plan.build()
    first = next((s for s in steps), None)
    if first is not None and _demo_present(hub, plan):
        click.echo("Demo data with this seed is already present; nothing added.")
        return
    with click.progressbar(steps, label="Recording demo history", show_pos=True) as bar:
        run_steps(services.dispatcher, bar)
    r = plan.report
    click.echo(
        f"Demo: {r.bodies} bodies, {r.members} members, {r.meetings} meetings ({r.papers} papers, "
        f"{r.actions} actions, {r.minutes_published} sets of minutes published), {r.projects} projects "
        f"with {r.progress_reports} progress reports ({len(steps)} commands)."
    )


def _demo_present(hub: PartnershipHub, plan: DemoPlan) -> bool:
    names = plan.planned_body_names
    return bool(names) and hub.find_body(names[0]) is not None


@cli.command()
@click.argument("body")
def history(body: str) -> None:
    """Show a body's full history, oldest first (BODY is its name or id)."""
    hub = _hub()
    try:
        body_id = UUID(body)
    except ValueError:
        body_id = body_id_for(body)
    found = hub.find_body(body) or _maybe(hub, body_id)
    if found is None:
        raise click.ClickException(f"no body named or with id {body!r}")
    click.echo(f"{found.name} — {found.kind.label}, {found.status.label}")
    for entry in hub.history(found.id):
        effective = (
            f"effective {entry.effective_date:%d %b %Y}" if entry.effective_date else "effective date not stated"
        )
        click.echo(f"  v{entry.version}  {entry.recorded_at:%Y-%m-%d %H:%M}  {entry.sentence}")
        click.echo(f"        by {entry.actor}; {effective}" + (f"; why: {entry.reason}" if entry.reason else ""))


def _maybe(hub: PartnershipHub, body_id: UUID) -> Body | None:
    try:
        return hub.body(body_id)
    except Exception:
        return None


@cli.command()
def summary() -> None:
    """Count the bodies by kind and status, from the directory read model."""
    models = _read_models()
    models.catch_up()
    with models.engine.connect() as connection:
        rows = connection.execute(
            select(tables.bodies.c.kind, tables.bodies.c.status, func.count())
            .group_by(tables.bodies.c.kind, tables.bodies.c.status)
            .order_by(tables.bodies.c.kind, tables.bodies.c.status)
        ).all()
    click.echo(f"{sum(r[2] for r in rows)} bodies, {models.log.recorder.max_notification_id() or 0} events")
    for kind, body_status, count in rows:
        click.echo(f"  {count:4d}  {BodyKind(kind).label} ({BodyStatus(body_status).label})")


@cli.group()
def audit() -> None:
    """The record's tamper evidence: its hash chain, and the heads published from it."""


@audit.command("verify")
@click.option(
    "--head",
    "heads",
    multiple=True,
    metavar="POSITION:HASH",
    help="A head printed by an earlier verify (kept elsewhere): the record must still lead to it. Repeatable.",
)
def verify_record(heads: tuple[str, ...]) -> None:
    """Recompute the hash chain over every event; exit 0 with the count and the head, or exit 1 naming
    the first event that was edited, removed, inserted or reordered."""
    try:
        anchors = tuple(Anchor.parse(head) for head in heads)
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="--head") from None
    hub = _hub()
    with click.progressbar(length=_event_count(hub), label="Verifying the record", file=sys.stderr) as bar:
        verification = hub.verify_record(anchors, progress=bar.update)
    if not verification.ok:
        raise click.ClickException(f"the record does not verify: {verification.fault}")
    click.echo(f"Record verified: {verification.count} events, head {verification.head}")
    click.echo("Keep this head somewhere else; `audit verify --head` checks the record still leads to it.")


@cli.command("export")
@click.argument("path", metavar="FILE", type=click.Path(dir_okay=False, path_type=Path))
def export_cmd(path: Path) -> None:
    """Write the whole record to FILE (JSON Lines: a header, every event with its position, recorded time
    and chain hash, the uploaded files' list) and the uploaded files to FILE.files/: the backup."""
    if path.exists():
        raise click.ClickException(f"{path} already exists: give a new file name (an export never overwrites)")
    hub = _hub()
    files_out = files_dir_for(path)
    partial = path.with_name(path.name + ".partial")
    with (
        partial.open("w", encoding="utf-8", newline="\n") as out,
        click.progressbar(length=_event_count(hub), label="Exporting the record", file=sys.stderr) as bar,
    ):
        done = export_record(hub.recorder, hub.files, out, files_out, bar.update)
    partial.replace(path)  # a file named FILE is always a whole export
    keys = keys_path_for(path)
    keys.unlink(missing_ok=True)
    people = hub.people.write_keys(keys)
    click.echo(f"Exported {done.events} events and {done.files} uploaded files to {path} (head {done.head}).")
    click.echo(f"The keys to {people} people's names are in {keys}: keep it apart from the export, as safely.")


@cli.command("import")
@click.argument("path", metavar="FILE", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--files",
    "files_in",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Where the uploaded files are (default: FILE.files beside the export).",
)
@click.option(
    "--keys",
    "keys_in",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="The keys to people's names (default: FILE.keys beside the export).",
)
def import_cmd(path: Path, files_in: Path | None, keys_in: Path | None) -> None:
    """Load an export into this EMPTY store (all or nothing: its chain must verify); then rebuild the
    read models with `partnership-hub projections rebuild`."""
    hub = _hub()
    with path.open(encoding="utf-8") as source:
        try:
            total = read_header(source).get("events", 0)
        except RecordFileError as error:
            raise click.ClickException(f"{path}: {error}") from None
    try:
        with (
            path.open(encoding="utf-8") as source,
            click.progressbar(length=int(total), label="Importing the record", file=sys.stderr) as bar,
        ):
            done = import_record(hub.recorder, hub.files, source, files_in or files_dir_for(path), bar.update)
    except RecordFileError as error:
        raise click.ClickException(f"{path}: {error}") from None
    keys = keys_in or keys_path_for(path)
    if keys.exists():
        try:
            people = hub.people.read_keys(keys)
        except ValueError as error:
            raise click.ClickException(f"{error}; the events are imported: import the right keys file") from None
        click.echo(f"Imported the keys to {people} people's names from {keys}.")
    else:
        click.echo(f'No keys file at {keys}: the names in the record read "name erased".', err=True)
    click.echo(f"Imported {done.events} events and {done.files} uploaded files (head {done.head}); the chain verifies.")


@cli.group()
def projections() -> None:
    """The read models: their lag, rebuilding them, and the worker that keeps them current."""


def _read_models() -> ReadModels:
    return _services().read_models


@projections.command()
def status() -> None:
    """Each read model's position, how far it is behind the log, and whether it failed (and on what)."""
    models = _read_models()
    click.echo(f"{models.head()} events in the log; read models in {models.url}")
    for standing in models.standing():
        where = f"at event {standing.position}: {standing.state}"
        click.echo(f"  {standing.name:10s} {standing.lag:8d} events behind  ({where})")
        if standing.failure is not None:
            failure = standing.failure
            click.echo(f"    failed on event {failure.position} at {failure.at:%Y-%m-%d %H:%M:%S} UTC: {failure.error}")
            click.echo(f"    after a fix: partnership-hub projections retry {standing.name}")


@projections.command()
@click.argument("names", nargs=-1, type=click.Choice([cls.name for cls in READ_MODELS]))
def rebuild(names: tuple[str, ...]) -> None:
    """Drop the read models (all, or NAMES) and rebuild them from the first event."""
    models = _read_models()
    total = models.head()
    with click.progressbar(length=total, label="Rebuilding read models", show_pos=True) as bar:
        read = models.rebuild(list(names) or None, progress=bar.update)
    click.echo(f"Rebuilt {', '.join(names or models.projections)} from {read} events.")
    _say_failures(models)


@projections.command()
@click.argument("name", type=click.Choice([cls.name for cls in READ_MODELS]))
def retry(name: str) -> None:
    """Resume a read model that failed on an event (after the fix), from that event."""
    models = _read_models()
    failure = models.failures().get(name)
    if failure is None:
        click.echo(f"{name} has not failed; nothing to retry.")
        return
    models.retry(name)
    click.echo(f"{name} will resume from event {failure.position} (it failed there: {failure.error}).")


@projections.command("run")
@click.option("--interval", default=POLL_INTERVAL, show_default=True, help="Seconds between looks at the log.")
@click.option("--seconds", default=None, type=float, help="Stop after this long (default: run until stopped).")
def run_worker(interval: float, seconds: float | None) -> None:
    """Keep the read models current as a process of its own (woken by NOTIFY on PostgreSQL, polling on SQLite).

    Run it beside web servers started with FOLLOW_READ_MODELS off; their writes wait for it."""
    services = _services()
    models = services.read_models
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    how = "woken by NOTIFY" if services.settings.database_url.startswith("postgresql") else f"every {interval} s"
    click.echo(f"Following {services.settings.database_url} ({how}; Ctrl-C stops).")
    try:
        with models.following(interval):
            stop.wait(seconds)
    except KeyboardInterrupt:
        pass
    click.echo(f"Stopped; lag {models.lag()}.")
    _say_failures(models)


def _say_failures(models: ReadModels) -> None:
    for name, failure in models.failures().items():
        click.echo(f"{name} has failed on event {failure.position}: {failure.error}", err=True)


FORCE_DEMO = click.option(
    "--force", is_flag=True, help="Add the demo accounts even outside development or to a store with other accounts."
)


def _refuse_demo_unless(force: bool) -> None:
    if force:
        return
    refusal = demo_refusal(_users(), development=os.environ.get(ENVIRONMENT_VAR, "") == "development")
    if refusal:
        raise click.ClickException(f"Refused: {refusal}.")


@cli.command()
@click.option("--bodies", default=24, show_default=True, type=click.IntRange(1, 100_000))
@FORCE_DEMO
@click.pass_context
def demo(ctx: click.Context, bodies: int, force: bool) -> None:
    """Set up the store, import the real framework, seed demo data and the demo accounts, raise today's
    reminders, then summarise (in development: PARTNERSHIP_HUB_ENV=development, as `make run` sets it)."""
    ctx.invoke(init)
    _refuse_demo_unless(force)
    ctx.invoke(import_bodies)
    ctx.invoke(seed, bodies=bodies, seed=2026)
    ctx.invoke(demo_users, force=True)
    # The reminders of today, so the demo's reminders page has something on it before the scheduler runs.
    ctx.invoke(reminders.get_command(ctx, "scan"), as_of=None, lookback_days=DEFAULT_LOOKBACK_DAYS, send=False)
    ctx.invoke(summary)
    ctx.invoke(history, body="Carers Partnership Group")


@cli.group()
def users() -> None:
    """Accounts: who may sign in, in which role, and their API tokens."""


def _users() -> Users:
    return Users(Settings.from_env().database_url)


@users.command("create")
@click.argument("user_id")
@click.option("--name", required=True, help="The person's name as shown on the record.")
@click.option("--email", required=True, help="Where their reminders go.")
@click.option("--role", required=True, type=click.Choice([r.value for r in Role]))
@click.password_option(help="Their password (asked for when not given; at least 10 characters).")
def create_user(user_id: str, name: str, email: str, role: str, password: str) -> None:
    """Create an account that signs in as USER_ID."""
    try:
        user = _users().create(user_id, name=name, email=email, role=role, password=password)
    except (DomainError, DuplicateError) as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Created {user.user_id} ({user.name}), {user.role.value.replace('_', ' ')}.")


@users.command("list")
def list_users() -> None:
    """Every account, with its role."""
    for user in _users().all():
        state = "" if user.active else " (deactivated)"
        click.echo(f"{user.user_id:20s} {user.role.value:32s} {user.name} <{user.email}>{state}")


@users.command("token")
@click.argument("user_id")
@click.option("--label", default="", help="What the token is for, to tell tokens apart later.")
def issue_token(user_id: str, label: str) -> None:
    """Issue an API bearer token for USER_ID; it is shown once and stored only as a hash."""
    try:
        token = _users().issue_token(user_id, label)
    except NotFound as error:
        raise click.ClickException(str(error)) from None
    click.echo(token)


@users.command("revoke-token")
@click.argument("token_id")
def revoke_token(token_id: str) -> None:
    """Revoke a token by its id (the part after the first underscore)."""
    if not _users().revoke_token(token_id):
        raise click.ClickException(f"no active token with id {token_id!r}")
    click.echo(f"Revoked {token_id}.")


@users.command("demo")
@FORCE_DEMO
def demo_users(force: bool) -> None:
    """Create one demo account per role (local demo only, PARTNERSHIP_HUB_ENV=development) and print how
    to sign in; refused on a store with accounts the demo did not make."""
    _refuse_demo_unless(force)
    click.echo("Demo accounts (local demo only):")
    for user, password in ensure_demo_users(_users()):
        click.echo(f"  {user.role.value:32s} user {user.user_id:18s} password {password}")


@cli.command("command")
@click.argument("name", type=click.Choice(list(COMMANDS)), metavar="NAME")
@click.option("--as", "user_id", required=True, help="The account whose role and name the change is recorded under.")
@click.option("--subject", "subject_id", type=click.UUID, default=None, help="The id of the record it acts on.")
@click.option("--if-match", "expected_version", type=int, default=None, help="The version of the record you read.")
@click.option("--data", default="{}", show_default=True, help="The command's input as a JSON object.")
def run_command(name: str, user_id: str, subject_id: UUID | None, expected_version: int | None, data: str) -> None:
    """Run one command NAME through the dispatcher, as the web UI and the API do (`commands` lists them)."""
    services = _services()
    user = services.users.get(user_id)
    if user is None or not user.active:
        raise click.ClickException(f"no active account {user_id!r}")
    try:
        values = json.loads(data)
        outcome = services.dispatcher.run(
            name, user.actor, subject_id=subject_id, expected_version=expected_version, data=values
        )
    except ValueError as error:
        raise click.ClickException(f"--data is not JSON: {error}") from None
    except ValidationError as error:
        raise click.ClickException(f"invalid input: {json.dumps(error.messages, default=str)}") from None
    except DomainError as error:
        raise click.ClickException(str(error)) from None
    click.echo(
        f"{outcome.command.title}: saved. {outcome.subject or 'record'} {outcome.subject_id or ''} "
        f"version {outcome.version}, log position {outcome.position}."
    )


@cli.command("commands")
def list_commands() -> None:
    """Every command, with what it acts on and what it does."""
    for command in COMMANDS.values():
        about = f"--subject <{command.about.value} id>" if command.about else ""
        click.echo(f"{command.name:28s} {about:24s} {command.summary}")


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True, envvar="PARTNERSHIP_HUB_HOST")
@click.option("--port", default=5000, show_default=True, type=click.IntRange(1, 65535), envvar="PARTNERSHIP_HUB_PORT")
@click.option(
    "--workers",
    default=2,
    show_default=True,
    type=click.IntRange(1, 64),
    envvar="PARTNERSHIP_HUB_WORKERS",
    help="Worker processes (each builds its own connections and cache).",
)
@click.option(
    "--threads",
    default=4,
    show_default=True,
    type=click.IntRange(1, 256),
    envvar="PARTNERSHIP_HUB_THREADS",
    help="Threads in each worker: requests it serves at once.",
)
@click.option(
    "--timeout",
    default=120,
    show_default=True,
    type=click.IntRange(1, 3600),
    help="Seconds a worker may go silent (booting included) before it is restarted.",
)
@click.option("--access-log/--no-access-log", default=True, show_default=True, help="One line per request on stdout.")
@click.option("--dev", is_flag=True, help="Werkzeug's development server instead (one process; local use only).")
def serve(host: str, port: int, workers: int, threads: int, timeout: int, access_log: bool, dev: bool) -> None:
    """Serve the web UI, the API and the feeds with gunicorn (--dev: Werkzeug's development server)."""
    if dev:
        from web.app import create_app
        from web.security_headers import RequestHandler

        app = create_app()
        click.echo(f"Partnership Hub (development server) on http://{host}:{port}/ (Ctrl-C stops).")
        app.run(host=host, port=port, debug=False, use_reloader=False, threaded=True, request_handler=RequestHandler)
        return
    from web.server import ServerOptions
    from web.server import serve as run_gunicorn

    click.echo(f"Partnership Hub on http://{host}:{port}/: gunicorn, {workers} workers x {threads} threads "
               "(Ctrl-C stops).")  # fmt: skip
    run_gunicorn(
        ServerOptions(host=host, port=port, workers=workers, threads=threads, timeout=timeout, access_log=access_log)
    )


cli.add_command(scheduler)
cli.add_command(reminders)
cli.add_command(people)

if __name__ == "__main__":
    cli()
