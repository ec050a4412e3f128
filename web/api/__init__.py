"""Placeholder until the api package is built: registers nothing yet."""

from flask import Flask


def init_app(app: Flask) -> None:
    pass
