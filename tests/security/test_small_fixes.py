"""The small fixes of the security issue, kept fixed: the CSV export's formula guard, LIKE wildcards in the
directory search, the role checked before the input, and the demo accounts kept off real stores."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from click.testing import CliRunner

from application.authority import Role
from application.commands.bodies import EstablishBody
from application.settings import DATA_DIR_VAR, DATABASE_URL_VAR, FILES_DIR_VAR, sqlite_url
from application.users import Users
from domain.actor import Actor
from domain.body import Decision
from tests.security.conftest import Hub
from web.app import ENVIRONMENT_VAR
from web.cli import cli
from web.downloads import csv_cell

OFFICER = Actor("officer", Role.PARTNERSHIP_OFFICER.value, "Priya Officer")


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r", "\n"])
def test_a_cell_a_spreadsheet_would_run_is_written_as_text(start: str) -> None:
    assert csv_cell(f'{start}HYPERLINK("http://evil")') == f'\'{start}HYPERLINK("http://evil")'
    assert csv_cell("Carers Forum") == "Carers Forum"


def test_the_audit_export_guards_a_body_named_with_a_tab_formula(hub: Hub) -> None:
    name = "\t=1+1 Forum"
    hub.services.dispatcher.execute(
        EstablishBody, OFFICER, name="Tab Forum", kind="consultative_group", decision=Decision(reason=f"{name}\r=2")
    )
    hub.services.refresh()
    exported = hub.sign_in("auditor").get("/audit.csv").get_data(as_text=True)
    reasons = [row[-1] for row in csv.reader(io.StringIO(exported))]
    cells = [cell for row in csv.reader(io.StringIO(exported)) for cell in row]
    assert not any(cell[:1] in "=+-@\t\r\n" and cell for cell in cells), "a cell starts with a formula character"
    assert reasons  # the export has rows


def test_percent_and_underscore_are_searched_for_not_wildcards(hub: Hub) -> None:
    client = hub.client()
    everything = client.get("/api/v1/bodies?per_page=1").get_json()["total"]
    assert everything > 10
    for q in ("%", "_", "%%", "a%b"):
        assert client.get(f"/api/v1/bodies?q={q.replace('%', '%25')}").get_json()["total"] == 0, q
        page = hub.sign_in("officer").get(f"/bodies?q={q.replace('%', '%25')}").get_data(as_text=True)
        assert "Carers" not in page, q
    hub.services.dispatcher.execute(
        EstablishBody, OFFICER, name="100% Carers_Voice", kind="consultative_group", decision=Decision(reason="r")
    )
    hub.services.refresh()
    for q in ("%", "_", "0% c", "rs_v"):
        found = client.get(f"/api/v1/bodies?q={q.replace('%', '%25')}").get_json()["items"]
        assert [b["name"] for b in found] == ["100% Carers_Voice"], q


def test_the_role_is_checked_before_the_input(hub: Hub) -> None:
    """The auditor's write is refused 403 whatever it sends, before a word of it is read (README)."""
    headers = {**hub.token("auditor"), "Content-Type": "application/json"}
    client = hub.client()
    before = hub.events()
    for body in (b"{", b"[]", b'{"name": 5, "kind": "nonsense"}', b'{"unknown": "\\ud800"}'):
        refused = client.post("/api/v1/bodies", data=body, headers=headers)
        assert refused.status_code == 403, (body, refused.status_code)
    account = hub.services.users.get("officer").account_id
    assert client.post(f"/api/v1/accounts/{account}/role", data=b"{", headers=headers).status_code == 403
    assert client.post("/api/v1/accounts", json={"user_id": 5}, headers=hub.token("officer")).status_code == 403
    assert hub.events() == before


@pytest.fixture
def runner(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv(DATA_DIR_VAR, str(tmp_path))
    monkeypatch.setenv(DATABASE_URL_VAR, sqlite_url(tmp_path / "hub.sqlite3"))
    monkeypatch.setenv(FILES_DIR_VAR, str(tmp_path / "files"))
    monkeypatch.delenv(ENVIRONMENT_VAR, raising=False)
    return CliRunner()


def test_demo_accounts_are_refused_outside_development(runner: CliRunner, tmp_path: Path) -> None:
    refused = runner.invoke(cli, ["users", "demo"])
    assert refused.exit_code != 0 and "PARTNERSHIP_HUB_ENV=development" in refused.output
    assert Users(sqlite_url(tmp_path / "hub.sqlite3")).all() == []
    assert runner.invoke(cli, ["demo", "--bodies", "1"]).exit_code != 0
    made = runner.invoke(cli, ["users", "demo"], env={ENVIRONMENT_VAR: "development"})
    assert made.exit_code == 0 and "admin-demo-pass" in made.output
    # Again, now that they exist: nothing to make, nothing refused.
    assert runner.invoke(cli, ["users", "demo"]).exit_code == 0


def test_demo_accounts_are_refused_on_a_store_with_real_accounts(runner: CliRunner, tmp_path: Path) -> None:
    users = Users(sqlite_url(tmp_path / "hub.sqlite3"))
    users.create("jo", name="Jo Bloggs", email="jo@council.gov.uk", role=Role.ADMINISTRATOR, password="jo's password!")
    refused = runner.invoke(cli, ["users", "demo"], env={ENVIRONMENT_VAR: "development"})
    assert refused.exit_code != 0 and "accounts the demo did not make (jo)" in refused.output
    assert [u.user_id for u in users.all()] == ["jo"]
    forced = runner.invoke(cli, ["users", "demo", "--force"], env={ENVIRONMENT_VAR: "development"})
    assert forced.exit_code == 0 and users.get("admin") is not None
