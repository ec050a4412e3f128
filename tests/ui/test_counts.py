"""A page whose count stopped says "more than", and its pagination goes on without a last page."""

from __future__ import annotations

import importlib
import re

import pytest
from flask import Flask

from tests.ui.conftest import signed_in


def test_the_audit_log_says_more_than_when_counting_stopped(app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    client = signed_in(app, "auditor")
    exact = client.get("/audit").get_data(as_text=True)
    total = int(re.search(r"([\d,]+) changes, newest first", exact).group(1).replace(",", ""))  # type: ignore[union-attr]
    assert total > 30
    monkeypatch.setattr(importlib.import_module("projections.queries.audit"), "COUNT_LIMIT", 30)
    html = client.get("/audit").get_data(as_text=True)
    assert "More than 30 changes, newest first" in html
    assert "Showing 25 of more than 30 (page 1)." in html
    assert 'href="/audit?page=2"' in html  # the next page
    deep = client.get("/audit?page=3").get_data(as_text=True)
    assert "(page 3)." in deep
    assert ('rel="next"' in deep) == (total > 75)  # the third page is full when more than 75 match
