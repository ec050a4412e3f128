"""The record's head where people see it: the audit page says how far the record was verified, and the
audit CSV's last line carries the head to keep elsewhere."""

from __future__ import annotations

import csv
import io

from flask import Flask

from tests.ui.conftest import signed_in
from web.services import services


def test_the_audit_page_says_how_far_the_record_was_verified(app: Flask) -> None:
    client = signed_in(app, "auditor")
    before = client.get("/audit").get_data(as_text=True)
    assert "has not been verified yet" in before
    with app.app_context():
        verification = services().hub.verify_record()
    assert verification.ok
    after = client.get("/audit").get_data(as_text=True)
    assert f"Record verified to event {verification.head_position} on " in after
    assert verification.head in after


def test_the_audit_csv_ends_with_the_record_head(app: Flask) -> None:
    with app.app_context():
        head = services().hub.chain_head()
    assert head is not None
    exported = signed_in(app, "auditor").get("/audit.csv").get_data(as_text=True)
    rows = list(csv.reader(io.StringIO(exported)))
    assert rows[-1] == ["# record head", head]
    assert len(rows) > 3  # the changes come first
