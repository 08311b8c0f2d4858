"""The bare page the load run compares Rootline with: a WSGI app answering "hello" to any
path, served by the same gunicorn configuration (devsupport/load.py). What it costs is the
server, the loopback and the client; what Rootline costs above it is Rootline's."""

from __future__ import annotations


def app(_environ, start_response):
    body = b"hello"
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", str(len(body)))])
    return [body]
