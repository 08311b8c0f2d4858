"""The token of a share link travels in the URL path (/s/<token>/…), so every log line that
carries a path could carry it: Flask's "Exception on /s/… [GET]", the development server's
request lines, gunicorn's access log. A filter on those loggers rewrites such lines with
the token replaced before any handler sees them. (A proxy in front of the app keeps its own
access log: README says how to keep the token out of it.)"""

from __future__ import annotations

import logging
import re

from flask import Flask

SHARED_PATH = re.compile(r"/s/[^/\s?#\"']+")
REDACTED = "/s/[redacted]"
LOGGERS = ("werkzeug", "gunicorn.access", "gunicorn.error")


def redact(text: str) -> str:
    """`text` with the token of every shared path replaced."""
    return SHARED_PATH.sub(REDACTED, text)


class RedactShareTokens(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a record whose arguments do not fit: leave it to its handler
            return True
        if "/s/" in message:
            record.msg, record.args = redact(message), None
        return True


FILTER = RedactShareTokens()


def install(app: Flask) -> None:
    """On the app's logger and the servers' (filters run before any handler); once per
    logger, however many apps a process makes."""
    for logger in (app.logger, *(logging.getLogger(name) for name in LOGGERS)):
        if FILTER not in logger.filters:
            logger.addFilter(FILTER)
