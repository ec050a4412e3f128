"""Search across the record (issue 17, part 7), through the application and the search read model, on
SQLite (FTS5) and PostgreSQL (tsvector + GIN): what each audience finds, what the public never finds, the
ranking and the marking of matches, a rebuild, and input that is FTS syntax or nonsense."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, time
from typing import Any

import pytest
from sqlalchemy import text

from application.hub import PartnershipHub
from domain.actor import Actor
from domain.body import Decision
from domain.project import Brief
from projections import schema
from projections.queries.search import Audience, fts5_query, marked, search
from projections.runner import ReadModels
from tests.conftest import Clock
from tests.support.search_record import OFFICER, build, on, publish_minutes
from tests.support.tables import dump

PORTFOLIO_HOLDER = Actor("ph-1", "portfolio_holder_care_services")


@pytest.fixture
def models(hub: PartnershipHub) -> Iterator[ReadModels]:
    read_models = ReadModels(hub, hub.settings.read_model_url)
    yield read_models
    read_models.close()


def find(models: ReadModels, q: str, audience: Audience, **kwargs: Any) -> list[dict[str, Any]]:
    models.catch_up()
    with models.engine.connect() as connection:
        return search(connection, q, audience=audience, **kwargs).items


def kinds(found: list[dict[str, Any]]) -> list[tuple[str, str]]:
    return [(r["kind"], r["title"] or r["snippet_html"].striptags()) for r in found]


# ------------------------------------------------------------------------ who finds what


def test_an_officer_finds_a_decision_exempt_ones_included(
    hub: PartnershipHub, models: ReadModels, clock: Clock
) -> None:
    build(hub, clock)
    found = find(models, "second bidder", Audience.RECORD)
    assert [(r["kind"], r["label"]) for r in found] == [("decision", "Decision")]
    assert found[0]["context"] == "Carers Forum, 8 April 2026"
    assert (
        str(found[0]["snippet_html"])
        == "The respite contract was awarded to the <mark>second</mark> <mark>bidder</mark>"
    )
    everything = {r["kind"] for r in find(models, "respite", Audience.RECORD, per_page=50)}
    assert everything == {"body", "item", "paper", "decision", "action"}


def test_the_public_never_finds_an_exempt_item_or_a_private_meeting(
    hub: PartnershipHub, models: ReadModels, clock: Clock
) -> None:
    build(hub, clock)
    found = find(models, "respite", Audience.PUBLIC, per_page=50)
    assert sorted(kinds(found)) == [
        ("body", "Carers Forum"),
        ("decision", "The strategy refresh was agreed with weekend respite"),
        ("paper", "What carers told us"),
    ]
    for q in ("second bidder", "tender scores", "contract award", "notify bidders", '"plan was agreed"', "Room 4"):
        assert find(models, q, Audience.PUBLIC) == [], q
    # Signed in without keeping the meetings' record: bodies and projects, and of meetings what is public.
    signed_in = {r["kind"] for r in find(models, "commissioning", Audience.SIGNED_IN)}
    assert signed_in == {"body"}


def test_nothing_reaches_the_public_before_it_is_published(
    hub: PartnershipHub, models: ReadModels, clock: Clock
) -> None:
    record = build(hub, clock, minutes=False)
    assert [r["kind"] for r in find(models, "weekend respite", Audience.PUBLIC)] == ["paper"]  # the agenda is out
    assert [r["kind"] for r in find(models, "weekend respite", Audience.RECORD)] == ["decision", "paper"]
    publish_minutes(hub, clock, record.meeting)
    assert [r["kind"] for r in find(models, "weekend respite", Audience.PUBLIC)] == ["decision", "paper"]
    # A paper not yet out stays out of the public's search, and comes in with the agenda.
    on(clock, date(2026, 5, 1))
    later = hub.schedule_meeting(
        OFFICER, record.forum, meeting_date=date(2026, 10, 7), start_time=time(14), place="Hall"
    )
    hub.add_agenda_item(OFFICER, later, title="Short breaks review")
    assert find(models, "short breaks review", Audience.PUBLIC) == []
    hub.publish_agenda(OFFICER, later)
    assert [r["kind"] for r in find(models, "short breaks review", Audience.PUBLIC)] == ["item"]
    # Why an additional meeting was called is not on the public calendar, so not in anyone's search.
    hub.schedule_meeting(
        OFFICER,
        record.forum,
        meeting_date=date(2026, 6, 3),
        start_time=time(14),
        place="Hall",
        additional=True,
        lead_officer="Jo Lead",
        additional_reason="The budget consultation closes in June",
    )
    assert find(models, "budget consultation", Audience.RECORD) == []
    assert [r["kind"] for r in find(models, "hall", Audience.PUBLIC)] == ["meeting", "meeting"]


def test_projects_are_for_those_signed_in(hub: PartnershipHub, models: ReadModels, clock: Clock) -> None:
    build(hub, clock)
    brief = Brief(
        aims_and_objectives="Map respite provision across the borough",
        outcomes="A respite map",
        start_date=date(2026, 5, 1),
        end_date=date(2026, 11, 1),
        resources="Two officers",
        key_risks="Data quality",
    )
    hub.commission_project(PORTFOLIO_HOLDER, title="Respite mapping", lead="lead-1", brief=brief)
    assert [r["kind"] for r in find(models, "mapping", Audience.SIGNED_IN)] == ["project"]
    assert find(models, "mapping", Audience.PUBLIC) == []


# ------------------------------------------------------------------------ ranking and marking


def test_a_match_in_the_title_ranks_first_and_matches_are_marked(
    hub: PartnershipHub, models: ReadModels, clock: Clock
) -> None:
    build(hub, clock)
    found = find(models, "respite", Audience.RECORD, per_page=50)
    # The item titled for respite comes before what only mentions it.
    assert found[0]["kind"] == "item" and len(found) == 8
    assert ["<mark>" in str(r["title_html"]) for r in found] == [True] + [False] * 7
    assert all("<mark>respite</mark>" in str(r["snippet_html"]).lower() for r in found[1:])
    assert str(found[0]["title_html"]).count("<mark>") == 1
    assert all(r["score"] is not None for r in found)
    scores = [r["score"] for r in found]
    best_first = sorted(scores) if hub.settings.read_model_url.startswith("sqlite") else sorted(scores, reverse=True)
    assert scores == best_first


def test_text_is_escaped_before_matches_are_marked(hub: PartnershipHub, models: ReadModels, clock: Clock) -> None:
    on(clock, date(2026, 1, 5))
    hub.establish_body(
        OFFICER,
        name="Markup <b>Group</b>",
        kind="consultative_group",
        purpose='<script>alert("carers")</script> & <img src=x onerror=alert(1)> carers',
        decision=Decision("New framework", date(2025, 9, 1)),
    )
    (found,) = find(models, "carers", Audience.PUBLIC)
    html = str(found["snippet_html"])
    assert "<script>" not in html and "<img" not in html
    assert "&gt;" in html and "<mark>carers</mark>" in html  # PostgreSQL's headline may start mid-tag
    assert str(found["title_html"]) == "Markup &lt;b&gt;Group&lt;/b&gt;"
    assert (
        str(find(models, "group", Audience.PUBLIC)[0]["title_html"]) == "Markup &lt;b&gt;<mark>Group</mark>&lt;/b&gt;"
    )


def test_marks_are_balanced_whatever_comes_back() -> None:
    assert str(marked("\x02a\x02b\x03\x03c\x02d")) == "<mark>ab</mark>c<mark>d</mark>"
    assert str(marked("<i>\x02x\x03</i>")) == "&lt;i&gt;<mark>x</mark>&lt;/i&gt;"


# ------------------------------------------------------------------------ rebuild


def _word_index(models: ReadModels) -> list[tuple[Any, ...]]:
    with models.engine.connect() as connection:
        if connection.dialect.name == "sqlite":
            statement = "SELECT rowid, title, text, more FROM rm_search_fts ORDER BY rowid"
        else:
            statement = "SELECT n, terms::text FROM rm_search_documents ORDER BY n"
        return [tuple(r) for r in connection.execute(text(statement))]


def test_a_rebuild_reproduces_the_index(hub: PartnershipHub, models: ReadModels, clock: Clock) -> None:
    build(hub, clock)
    before = [r["doc"] for r in find(models, "respite", Audience.PUBLIC, per_page=50)]
    tables, index = dump(models.engine)["rm_search_documents"], _word_index(models)
    assert len(tables) == 13 and len(index) == 13
    models.rebuild(["search"])
    assert dump(models.engine)["rm_search_documents"] == tables
    assert _word_index(models) == index
    assert [r["doc"] for r in find(models, "respite", Audience.PUBLIC, per_page=50)] == before


# ------------------------------------------------------------------------ hostile input


HOSTILE = [
    '"',
    '"respite',
    'respite"',
    '""',
    "*",
    "respite*",
    "* respite",
    "NEAR",
    "NEAR(respite carers)",
    "respite NEAR carers",
    "-",
    "-respite",
    "respite -",
    "respite -contract",
    "AND",
    "OR",
    "NOT respite",
    "respite OR",
    "or respite",
    "(",
    "respite)",
    "title:respite",
    "{title}: respite",
    "^respite",
    "respite + carers",
    "'; DROP TABLE rm_search_documents; --",
    "%_%",
    "\\",
    "ö ß 中文",
    "x" * 200,
]


@pytest.mark.parametrize("q", HOSTILE)
def test_fts_syntax_and_nonsense_never_error(hub: PartnershipHub, models: ReadModels, clock: Clock, q: str) -> None:
    on(clock, date(2026, 1, 5))
    hub.establish_body(
        OFFICER,
        name="Carers Forum",
        kind="consultative_group",
        purpose="Respite for carers, near the Civic Centre",
        decision=Decision("New framework", date(2025, 9, 1)),
    )
    for audience in Audience:
        find(models, q, audience)  # no error, whatever it finds


def test_the_fts5_query_is_made_of_quoted_words() -> None:
    assert fts5_query("respite carers") == '("respite") AND ("carers")'
    assert fts5_query('"weekend respite" -contract') == '(("weekend respite")) NOT ("contract")'
    assert fts5_query("respite or breaks") == '("respite" OR "breaks")'
    assert fts5_query("consult*") == '("consult"*)'
    assert fts5_query('NEAR(a b) "unbalanced') == '("NEAR" OR "a") AND ("b") AND ("unbalanced")'.replace(
        '"NEAR" OR "a"', '"NEAR a"'
    )
    assert fts5_query("-only -excluded") == ""
    assert fts5_query('*"-:^()') == ""


def test_only_words_left_out_finds_nothing_on_either_database(
    hub: PartnershipHub, models: ReadModels, clock: Clock
) -> None:
    build(hub, clock)
    for q in ("-respite", "-respite -carers", '"" -x', "-"):
        assert find(models, q, Audience.RECORD) == [], q
    left_out = find(models, "respite -contract", Audience.RECORD, per_page=50)
    assert left_out and not any("contract" in str(r["snippet_html"]) + r["title"].lower() for r in left_out)


def test_the_word_index_is_kept_across_a_restart_and_remade_when_lost(
    hub: PartnershipHub, models: ReadModels, clock: Clock
) -> None:
    """schema.prepare sees the database's own parts of the table (FTS5 table; tsvector column and GIN index):
    a second start remakes nothing, and a lost word index is remade and rebuilt."""
    build(hub, clock)
    models.catch_up()
    assert schema.prepare(models.engine, models.projections) == []
    with models.engine.begin() as connection:
        if connection.dialect.name == "sqlite":
            connection.exec_driver_sql("DROP TABLE rm_search_fts")
        else:
            connection.exec_driver_sql("DROP INDEX rm_search_terms")
    restarted = ReadModels(hub, hub.settings.read_model_url)  # a process starting: it prepares the tables
    try:
        assert restarted.remade == ["search"]
        assert [r["kind"] for r in find(restarted, "second bidder", Audience.RECORD)] == ["decision"]
    finally:
        restarted.close()
