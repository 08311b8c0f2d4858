"""What every response carries for the browser's safety, and where a request really came
from behind a proxy."""

from __future__ import annotations

from flask import Flask, request

CSP = (
    "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; "
    "frame-ancestors 'none'; form-action 'self'"
)


def register_proxy_fix(app: Flask) -> None:
    """Behind a TLS-terminating proxy (ROOTLINE_TRUSTED_PROXIES=1): take scheme, host and
    client address from its X-Forwarded-* headers, so HSTS, secure cookies and the login
    throttle's per-address count see the real request. Off by default: without a proxy
    those headers are whatever the client says."""
    hops = app.config["TRUSTED_PROXIES"]
    if hops:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops, x_port=hops)


def register_security_headers(app: Flask) -> None:
    """The content security policy (nothing from elsewhere, no framing), no sniffing, no
    caching of pages and downloads, and HSTS over HTTPS."""

    @app.after_request
    def set_headers(response):
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("X-Frame-Options", "DENY")
        if request.endpoint not in ("static", "bootstrap.static"):
            # pages and downloads hold a user's data: no browser or proxy keeps a copy
            response.headers["Cache-Control"] = "no-store"
        if request.is_secure:
            response.headers.setdefault(
                "Strict-Transport-Security", "max-age=31536000; includeSubDomains"
            )
        return response
