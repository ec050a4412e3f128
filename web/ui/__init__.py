"""The web UI: server-rendered GOV.UK pages for officers, commissioners, project leads, auditors and the public.

``init_app`` sets up what every page needs (the GOV.UK Jinja macros, CSRF protection, the navigation)
and registers one blueprint per area of the service.
"""

from __future__ import annotations

from flask import Flask
from flask_wtf.csrf import CSRFProtect

from web.ui import jinja, sign_in

csrf = CSRFProtect()


def init_app(app: Flask) -> None:
    app.config.setdefault("WTF_CSRF_TIME_LIMIT", None)  # the token lives as long as the session
    csrf.init_app(app)
    jinja.init_app(app)
    app.register_blueprint(sign_in.bp)
    from web.ui import views

    views.register(app)
