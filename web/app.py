"""The Flask application factory: `flask --app web run`, `make run` and the tests all come through here.

The web UI (web/ui), the JSON API (web/api) and the calendar feeds (web/feeds) are blueprints over the
same Services (built by application/bootstrap.py, the composition root); each package's ``init_app``
registers its blueprints and anything it needs on the app.
"""

from __future__ import annotations

import atexit
import os
from collections.abc import Mapping
from typing import Any

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from application import bootstrap
from application.bootstrap import Services
from application.secret_key import secret_key
from application.settings import Settings
from web import api, errors, feeds, health, request_log, security_headers, ui

# "development" relaxes the Secure cookie flag so the demo works over plain http://localhost.
ENVIRONMENT_VAR = "PARTNERSHIP_HUB_ENV"
# How many proxies (a load balancer) stand in front of the app and set X-Forwarded-For / -Proto.
TRUSTED_PROXIES_VAR = "PARTNERSHIP_HUB_TRUSTED_PROXIES"


def create_app(config: Mapping[str, Any] | None = None, *, services: Services | None = None) -> Flask:
    app = Flask(__name__)
    config = dict(config or {})
    development = config.pop("DEVELOPMENT", os.environ.get(ENVIRONMENT_VAR, "") == "development")
    app.config.update(
        SECRET_KEY=config.pop("SECRET_KEY", None) or secret_key(),
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=not development,
        DEVELOPMENT=development,
        # Keep the read models current from a worker thread of this process; off where another process
        # keeps them (`partnership-hub projections run`), and writes then wait for that one.
        FOLLOW_READ_MODELS=True,
        MAX_CONTENT_LENGTH=20 * 1024 * 1024,  # papers and minutes uploads
    )
    app.config.update(config)

    if services is None:
        services = bootstrap.build(Settings.from_env())
        atexit.register(services.close)
    app.extensions["partnership_hub"] = services
    if app.config["FOLLOW_READ_MODELS"]:
        # This process keeps the read models: catch up with the log before the first request, then a
        # worker thread follows it, woken by each write (requests only wait for it: web/saved.py).
        services.refresh()
        services.follow()

    proxies = int(os.environ.get(TRUSTED_PROXIES_VAR) or app.config.get("TRUSTED_PROXIES", 0))
    if proxies:
        # The client's address (for sign-in throttling and the logs) from the proxies' X-Forwarded-For,
        # trusting only as many hops as there are proxies of ours in front.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)  # type: ignore[method-assign]

    security_headers.init_app(app)
    request_log.init_app(app)
    health.init_app(app)
    ui.init_app(app)
    api.init_app(app)
    feeds.init_app(app)
    errors.register(app)
    return app
