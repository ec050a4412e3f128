"""Search at 100,000 events against a full scan (LIKE) of the same text, on SQLite and PostgreSQL.

Run it as ``.venv/bin/python -m bench.search [--events N] [--queries N] [--repeats N] [--backend ...]``.

The store is the kept one of ``bench/store.py`` (the real framework and demo history recorded through
the commands); its read models are brought up to date, the search read model among them. The words
searched for are drawn (with a fixed seed) from the documents themselves, one and two at a time, so each
finds something. Each is searched as the public and as an officer (``projections.queries.search``: the
ranked first page of 20, its marked matches and the count up to 1,000) and, beside it in the same run,
found by a full scan: ``LIKE '%word%'`` over the same title, text and more of every document, the same
visibility filter, the newest 20 and the same capped count. The figures are each query's median of
``--repeats`` runs; the table gives the median and the 95th percentile over the queries, and the ratio
scan / search. Target: well under a second.
"""

from __future__ import annotations

import random
import re
import statistics
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import click
from sqlalchemy import Connection, text

from application.settings import sqlite_url
from bench.report import Result, percentile, result
from bench.store import caught_up, events_store, postgres_copy, services_for
from projections.queries.search import COUNT_LIMIT, Audience, search

SEED = 17
TARGET_SECONDS = 1.0
_VISIBLE = {Audience.PUBLIC: "public", Audience.RECORD: "TRUE"}


def words_to_search(connection: Connection, how_many: int) -> list[str]:
    """Words of four letters or more from the documents, and pairs of them, drawn with a fixed seed."""
    rows = connection.execute(text("SELECT title, text FROM rm_search_documents ORDER BY n")).all()
    pool = sorted({w.lower() for r in rows for w in re.findall(r"[A-Za-z]{4,}", f"{r[0]} {r[1]}")})
    draw = random.Random(SEED)
    singles = draw.sample(pool, min(len(pool), how_many - how_many // 3))
    pairs = [" ".join(draw.sample(pool, 2)) for _ in range(how_many // 3)]
    # A few everyday words of the record as well, which match many documents.
    common = [w for w in ("meeting", "carers", "minutes", "review") if w in pool]
    return common + singles + pairs


def full_scan(connection: Connection, q: str, audience: Audience) -> list[Any]:
    """What a search without the word index costs: every document's text read and matched with LIKE."""
    words = q.split()
    matches = " AND ".join(
        f"(lower(title) LIKE :w{i} OR lower(text) LIKE :w{i} OR lower(more) LIKE :w{i})" for i in range(len(words))
    )
    params = {f"w{i}": f"%{w.lower()}%" for i, w in enumerate(words)}
    where = f"WHERE {matches} AND {_VISIBLE[audience]}"
    connection.scalar(
        text(f"SELECT count(*) FROM (SELECT 1 FROM rm_search_documents {where} LIMIT {COUNT_LIMIT + 1}) AS c"), params
    )
    statement = f"SELECT doc, title, text FROM rm_search_documents {where} ORDER BY n DESC LIMIT 20"
    return list(connection.execute(text(statement), params))


def timed(run: Callable[[], Any], repeats: int) -> float:
    samples = []
    for _ in range(repeats):
        started = time.perf_counter()
        run()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)


@contextmanager
def stores(backend: str, events: int) -> Iterator[Iterator[tuple[str, Any]]]:
    path = events_store(events)
    source = services_for(sqlite_url(path))

    def chosen() -> Iterator[tuple[str, Any]]:
        if backend in ("sqlite", "both"):
            caught_up(source)
            yield "sqlite", source
        if backend in ("postgres", "both"):
            with postgres_copy(source, "bench_search") as copy:
                caught_up(copy)
                with copy.read_models.engine.connect() as connection:
                    connection.exec_driver_sql("ANALYZE rm_search_documents")
                    connection.commit()
                yield "postgresql", copy

    try:
        yield chosen()
    finally:
        source.close()


@click.command()
@click.option("--events", default=100_000, show_default=True)
@click.option("--queries", "how_many", default=30, show_default=True)
@click.option("--repeats", default=5, show_default=True)
@click.option("--backend", type=click.Choice(["sqlite", "postgres", "both"]), default="both", show_default=True)
def main(events: int, how_many: int, repeats: int, backend: str) -> None:
    with stores(backend, events) as chosen:
        for label, services in chosen:
            with services.read_models.engine.connect() as connection:
                documents = connection.scalar(text("SELECT count(*) FROM rm_search_documents"))
                held = services.hub.recorder.max_notification_id()
                qs = words_to_search(connection, how_many)
                click.echo(f"\n{label}: {held:,} events, {documents:,} documents, {len(qs)} searches x {repeats}")
                click.echo(f"{'audience':<10} {'search median':>14} {'p95':>10} {'scan median':>12} {'p95':>10} ratio")
                worst = 0.0
                for audience in (Audience.PUBLIC, Audience.RECORD):
                    fts, scan, found = [], [], 0
                    for q in qs:
                        fts.append(timed(lambda q=q, a=audience: search(connection, q, audience=a), repeats))
                        scan.append(timed(lambda q=q, a=audience: full_scan(connection, q, a), repeats))
                        found += bool(search(connection, q, audience=audience).items)
                    search_p95, scan_p95 = percentile(fts, 0.95), percentile(scan, 0.95)
                    worst = max(worst, search_p95)
                    click.echo(
                        f"{audience.value:<10} {statistics.median(fts) * 1000:>11.1f} ms {search_p95 * 1000:>7.1f} ms "
                        f"{statistics.median(scan) * 1000:>9.1f} ms {scan_p95 * 1000:>7.1f} ms "
                        f"scan/search {statistics.median(scan) / statistics.median(fts):.1f}x "
                        f"({found} of {len(qs)} found something)"
                    )
                    result(
                        Result(
                            row="search",
                            backend=label,
                            measured=f"p95 {search_p95 * 1000:.1f} ms ({audience.value})",
                            floor=f"full scan p95 {scan_p95 * 1000:.1f} ms",
                            ratio=f"scan/search {scan_p95 / search_p95:.1f}x",
                            target="< 1 s",
                            met=search_p95 < TARGET_SECONDS,
                            events=held,
                            why="" if search_p95 < TARGET_SECONDS else "ranking every match of a common word",
                        )
                    )
                click.echo(f"worst p95: {worst * 1000:.1f} ms (target: well under {TARGET_SECONDS:.0f} s)")


if __name__ == "__main__":
    main()
