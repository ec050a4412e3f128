"""The security headers of every response, set in one place (flask-talisman) whatever server runs the app.

- Content-Security-Policy: everything from this site only, scripts and styles with this request's nonce
  (the GOV.UK template's one inline script, the API reference's one style block; ``csp_nonce()`` in
  templates), no ``unsafe-inline``, no plugins, no ``<base>``, forms posted here only, and
  ``frame-ancestors 'none'`` (with ``X-Frame-Options: DENY`` for older browsers): no page can be framed.
- X-Content-Type-Options: nosniff; Referrer-Policy: no-referrer (a meeting's or record's address in a
  link says nothing to another site); Permissions-Policy: no camera, microphone or location.
- Strict-Transport-Security, outside development, on HTTPS requests (or behind a proxy that says
  ``X-Forwarded-Proto: https``): a browser ignores it over plain HTTP (RFC 6797), so it is not sent there.
- Server: the service's name, no version. Werkzeug's server sends its own as well (its and Python's
  versions) unless it is given ``RequestHandler`` below (``partnership-hub serve`` and the tests'
  servers are); gunicorn sends ``Server: gunicorn``, without a version, beside it.
- Cache-Control: no-store on anything answered to a signed-in person, so a shared computer's browser
  keeps no copy of the record after they sign out.

Talisman's HTTPS redirect is off: TLS ends at the load balancer, and its health checks come over HTTP.
"""

from __future__ import annotations

from flask import Flask, Response, g
from flask_talisman import Talisman
from werkzeug.serving import WSGIRequestHandler

SERVER_NAME = "Partnership Hub"
HSTS_MAX_AGE = 365 * 24 * 3600

CONTENT_SECURITY_POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    # GOV.UK Frontend's CSS draws a few icons from data: URIs.
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'none'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}
PERMISSIONS_POLICY = {"camera": "()", "microphone": "()", "geolocation": "()", "browsing-topics": "()"}


def init_app(app: Flask) -> None:
    development = bool(app.config.get("DEVELOPMENT"))
    Talisman(
        app,
        force_https=False,
        frame_options="DENY",
        strict_transport_security=not development,
        strict_transport_security_max_age=HSTS_MAX_AGE,
        strict_transport_security_include_subdomains=False,
        content_security_policy=CONTENT_SECURITY_POLICY,
        content_security_policy_nonce_in=["script-src", "style-src"],
        referrer_policy="no-referrer",
        permissions_policy=PERMISSIONS_POLICY,
        session_cookie_secure=not development,
        x_xss_protection=False,  # retired by browsers; a CSP does its work
    )

    @app.after_request
    def _server_and_caching(response: Response) -> Response:
        response.headers["Server"] = SERVER_NAME
        if g.get("hub_user") is not None or g.get("api_user") is not None:
            response.headers["Cache-Control"] = "no-store"
        return response


class RequestHandler(WSGIRequestHandler):
    """Werkzeug's request handler without its own Server header (``Werkzeug/3.1 Python/3.11``): the
    app's, set above, is the only one."""

    def send_response(self, code: int, message: str | None = None) -> None:
        self.log_request(code)
        self.send_response_only(code, message)
        self.send_header("Date", self.date_time_string())
