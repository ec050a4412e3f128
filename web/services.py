"""The services a request uses: the ones the composition root (application/bootstrap.py) built for this app.

Handlers run commands through ``dispatcher`` and read pages through ``reading()``; a background thread
keeps the read models current for everyone's writes.
"""

from __future__ import annotations

from flask import current_app

from application.bootstrap import Services


def services() -> Services:
    """The current app's services, inside a request or app context."""
    return current_app.extensions["partnership_hub"]


__all__ = ["Services", "services"]
