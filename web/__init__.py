"""Partnership Hub's web layer: the UI, the JSON API and the calendar feeds (``flask --app web run``)."""

from web.app import create_app

__all__ = ["create_app"]
