"""Registers the UI's blueprints (one module per area of the service)."""

from __future__ import annotations

from flask import Flask


def register(app: Flask) -> None:
    pass
