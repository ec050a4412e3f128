"""Creating the tables kept beside the event store (accounts, people, panel, followers, feed keys).

Each process makes the tables it needs when it starts. Two processes starting at once on a new store (a
web server and a scheduler, or two schedulers) may both find a table missing, and the second CREATE then
fails: on PostgreSQL as a duplicate relation or type, on SQLite as "table already exists". A second look
finds the table there, so a failed attempt is simply made again (``checkfirst``), a few times at most.
"""

from __future__ import annotations

import time

from sqlalchemy import Engine, MetaData
from sqlalchemy.exc import IntegrityError, OperationalError, ProgrammingError

ATTEMPTS = 5


def create_side_tables(metadata: MetaData, engine: Engine) -> None:
    """Creates whichever of ``metadata``'s tables are missing, tolerating another process doing the same."""
    for attempt in range(1, ATTEMPTS + 1):
        try:
            metadata.create_all(engine, checkfirst=True)
            return
        except (IntegrityError, OperationalError, ProgrammingError):
            if attempt == ATTEMPTS:
                raise
            time.sleep(0.05 * attempt)  # let the other process's CREATE commit
