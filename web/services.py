"""What every request handler needs: the hub (commands), the read models (pages), the accounts store.

One ``Services`` per Flask app, kept in ``app.extensions``. Handlers write through ``hub`` and read
through ``read_models``; after a write they call ``refresh()`` so the page they redirect to shows it
(read-your-writes), while a background thread keeps the read models current for everyone else's writes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import Connection

from application.hub import PartnershipHub, utc_now
from application.settings import Settings
from application.users import Users
from projections.runner import ReadModels

# The council's dates (deadlines, "today") are London dates.
LONDON = ZoneInfo("Europe/London")


@dataclass
class Services:
    settings: Settings
    hub: PartnershipHub
    read_models: ReadModels
    users: Users
    _background: ExitStack = field(default_factory=ExitStack)

    @classmethod
    def from_settings(cls, settings: Settings, *, clock: Callable[[], datetime] = utc_now) -> Services:
        hub = PartnershipHub(settings, clock=clock)
        return cls(settings=settings, hub=hub, read_models=ReadModels(hub), users=Users(settings.database_url))

    def now(self) -> datetime:
        return self.hub.clock()

    def today(self) -> date:
        return self.hub.clock().astimezone(LONDON).date()

    @contextmanager
    def reading(self) -> Iterator[Connection]:
        """A connection to the read models for one page."""
        with self.read_models.engine.connect() as connection:
            yield connection

    def refresh(self) -> None:
        """Brings the read models up to date with the log (after this request's own command)."""
        self.read_models.catch_up()

    def follow(self, interval: float = 0.5) -> None:
        """Keeps the read models current from a background thread until ``close``."""
        self._background.enter_context(self.read_models.following(interval))

    def close(self) -> None:
        self._background.close()
        self.read_models.close()
        self.hub.close()
        self.users.engine.dispose()


def services() -> Services:
    """The current app's services, inside a request or app context."""
    return current_app.extensions["partnership_hub"]
