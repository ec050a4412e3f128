"""Placeholder until the iCalendar feeds are built: registers nothing yet."""

from flask import Flask


def init_app(app: Flask) -> None:
    pass
