"""Processes starting together on a new store each create the side tables (accounts, people, panel,
followers, feed keys): none may fail because another created a table first (SQLite and PostgreSQL).
Two schedulers starting at once on PostgreSQL once stopped with a duplicate pg_type key."""

from __future__ import annotations

import threading

from sqlalchemy import create_engine, inspect

from application import account_tables, followers, panel_people, people
from application.reminders import feed_keys
from application.side_tables import create_side_tables

METADATAS = (
    account_tables.metadata,
    people.people_metadata,
    panel_people.metadata,
    followers.metadata,
    feed_keys.metadata,
)


def test_side_tables_made_by_several_processes_at_once(database_url: str) -> None:
    engines = [create_engine(database_url) for _ in range(4)]
    start = threading.Barrier(len(engines))
    failures: list[BaseException] = []

    def start_up(engine: object) -> None:
        start.wait(timeout=30)
        try:
            for metadata in METADATAS:
                create_side_tables(metadata, engine)  # type: ignore[arg-type]
        except BaseException as error:  # examined below
            failures.append(error)

    threads = [threading.Thread(target=start_up, args=(engine,)) for engine in engines]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not failures, failures
    present = set(inspect(engines[0]).get_table_names())
    wanted = {table.name for metadata in METADATAS for table in metadata.tables.values()}
    assert wanted <= present, wanted - present
    for engine in engines:
        engine.dispose()
