"""Error pages: every error answers with a short message in words (a page, or JSON for a
client that asks for it), never a stack trace; a 500 and a lost race roll the session back
so nothing is half-written."""

from __future__ import annotations

from flask import Flask, jsonify, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import Conflict, HTTPException

from extensions import db

ERROR_MESSAGES = {
    400: (
        _l("Bad request"),
        _l("The request could not be understood. Reload the page and try again."),
    ),
    403: (_l("Not allowed"), _l("Your role in this workspace does not allow this.")),
    404: (_l("Not found"), _l("There is nothing here, or it is not in one of your workspaces.")),
    405: (_l("Not allowed"), _l("That action is not available here.")),
    409: (_l("Conflict"), _l("Someone else changed this in the meantime. Reload and try again.")),
    413: (_l("Too large"), _l("What you sent is larger than Rootline accepts.")),
    422: (_l("Cannot process"), _l("Some of what you sent is not valid.")),
    429: (_l("Too many attempts"), _l("Too many attempts. Wait a few minutes and try again.")),
    500: (
        _l("Something went wrong"),
        _l("Nothing was saved. Try again; if it persists, tell us."),
    ),
    503: (_l("Not available"), _l("This is not available just now. Try again in a moment.")),
}


def register_errorhandlers(app: Flask) -> None:
    def render_error(error: Exception):
        code = error.code if isinstance(error, HTTPException) and error.code else 500
        if code >= 500:
            db.session.rollback()
        title, default_message = ERROR_MESSAGES.get(code, (_("Error %(code)s", code=code), ""))
        title, default_message = str(title), str(default_message)  # in the reader's language
        description = getattr(error, "description", None)
        # Our own aborts carry a friendly description; werkzeug's stock texts do not help.
        message = description if getattr(error, "rootline_message", False) else default_message
        if request.accept_mimetypes.best == "application/json":
            return jsonify(error=title, message=message), code
        return render_template("errors.html", code=code, title=title, message=message), code

    # Unhandled exceptions reach the 500 handler as InternalServerError (and propagate
    # in tests, so the suite sees the traceback rather than a page).
    app.register_error_handler(HTTPException, render_error)

    def stale(_error: StaleDataError):
        # Someone saved the same row between our read and our write: never overwrite.
        db.session.rollback()
        return render_error(Conflict())

    app.register_error_handler(StaleDataError, stale)
