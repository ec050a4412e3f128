"""The composition root: the one place the object graph is built, for the web app, the CLI, the
scheduler, the benchmarks and the tests.

``build`` gives a ``Services``: the settings, the clock, the event-sourced hub (with its file store),
the dispatcher every command goes through (which wakes the read models' worker after each save), the
read models that follow the hub's log, the accounts (with their sessions and sign-in throttle), and the
mail settings. Tests pass their own settings and clock; nothing else constructs these.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import Connection

from application.commands import Dispatcher
from application.files import FileStore
from application.followers import Followers
from application.hub import PartnershipHub
from application.hub_base import utc_now
from application.panel_people import PanelPeople
from application.reminders.smtp import SmtpSettings
from application.sessions import Sessions
from application.settings import Settings
from application.sign_in_throttle import SignInThrottle
from application.users import Users
from domain.working_days import council_day
from projections.runner import ReadModels


@dataclass
class Services:
    settings: Settings
    clock: Callable[[], datetime]
    hub: PartnershipHub
    dispatcher: Dispatcher
    read_models: ReadModels
    users: Users
    sessions: Sessions
    throttle: SignInThrottle
    smtp: SmtpSettings
    followers: Followers  # the public's followers of bodies (addresses beside the accounts, never in events)
    _background: ExitStack = field(default_factory=ExitStack)

    @property
    def files(self) -> FileStore:
        return self.hub.files

    def now(self) -> datetime:
        return self.clock()

    def today(self) -> date:
        """Today in London: the council's deadlines are London days."""
        return council_day(self.clock())

    @contextmanager
    def reading(self) -> Iterator[Connection]:
        """A connection to the read models, for one page or query."""
        with self.read_models.engine.connect() as connection:
            yield connection

    def refresh(self) -> None:
        """Brings the read models up to date with the log, here and now (scripts, the CLI and tests; a
        request never does this: it waits for the worker with ``wait_for``)."""
        self.read_models.catch_up()

    def follow(self) -> None:
        """Keeps the read models current from a worker thread of this process until ``close``."""
        self._background.enter_context(self.read_models.following())

    def wait_for(self, position: int | None = None) -> list[str]:
        """Waits, up to the configured deadline, for every read model to reach ``position`` (the log's
        head when None), without projecting anything itself; returns the read models still behind."""
        target = self.read_models.head() if position is None else position
        return self.read_models.wait_for(target, self.settings.read_model_wait)

    def close(self) -> None:
        self._background.close()
        self.read_models.close()
        self.hub.close()
        self.users.engine.dispose()


def build(
    settings: Settings | None = None,
    *,
    clock: Callable[[], datetime] = utc_now,
    smtp: SmtpSettings | None = None,
) -> Services:
    """The whole object graph over one store (``Settings.from_env()`` unless given)."""
    settings = settings or Settings.from_env()
    hub = PartnershipHub(settings, clock=clock)
    # The accounts tables live in the event store's database: an administrator's change to an account
    # and its audit event are written in one transaction (application/account_commands.py).
    users = Users(settings.database_url)
    hub.users = users
    # The panel's people (names, addresses, interests) beside the store too, written with their events.
    hub.panel = PanelPeople(users.engine)
    read_models = ReadModels(hub, settings.read_model_url)
    return Services(
        settings=settings,
        clock=clock,
        hub=hub,
        dispatcher=Dispatcher(hub, on_saved=read_models.wake),
        read_models=read_models,
        users=users,
        sessions=Sessions(users.engine),
        throttle=SignInThrottle(users.engine),
        smtp=smtp or SmtpSettings.from_env(),
        followers=Followers(users.engine, clock),
    )
