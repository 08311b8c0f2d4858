"""Input rules at the door, for every route and form: ids in URLs are ASCII digits that fit
the database (anything else is a 404), text arrives without control characters, and no
text holds a NUL character (safeinput.py has the rules; this module applies them)."""

from __future__ import annotations

from urllib.parse import parse_qsl

from flask import Flask, current_app, request
from flask.wrappers import Request
from flask_babel import gettext as _
from werkzeug.exceptions import BadRequest
from werkzeug.formparser import FormDataParser
from werkzeug.utils import cached_property

from safeinput import RecordIdConverter, strip_control_characters


class CleanFormDataParser(FormDataParser):
    """Every submitted form value loses the control characters no form keeps (safeinput)."""

    def parse(self, *args, **kwargs):
        stream, form, files = super().parse(*args, **kwargs)
        cleaned = self.cls((k, strip_control_characters(v)) for k, v in form.items(multi=True))
        return stream, cleaned, files


class RootlineRequest(Request):
    form_data_parser_class = CleanFormDataParser

    @cached_property
    def args(self):
        """The query string, parsed as werkzeug does, without control characters."""
        return self.parameter_storage_class(
            (k, strip_control_characters(v))
            for k, v in parse_qsl(
                self.query_string.decode(), keep_blank_values=True, errors="werkzeug.url_quote"
            )
        )


def register_input_rules(app: Flask) -> None:
    """Registered first, so the NUL guard (and a view's larger upload limit, before it) run
    before the login guard and CSRF, which read the body."""
    app.url_map.converters["int"] = RecordIdConverter
    app.request_class = RootlineRequest
    app.before_request(allow_larger_uploads)
    app.before_request(refuse_nul_characters)


def allow_larger_uploads():
    """A view that takes larger files than MAX_CONTENT_LENGTH (a workspace backup) names the
    setting of its limit (`view.upload_limit`); set before anything reads the body."""
    view = current_app.view_functions.get(request.endpoint or "")
    setting = getattr(view, "upload_limit", None)
    if setting:
        request.max_content_length = current_app.config[setting]


def refuse_nul_characters():
    """No text anywhere holds a NUL character (PostgreSQL cannot store one): refuse it with
    a clear 400 before any view sees it."""
    values = [*request.args.values(), *(request.form.values() if request.form else [])]
    if any("\x00" in value for value in values):
        error = BadRequest(_("Text cannot contain NUL characters; remove them and try again."))
        error.rootline_message = True
        raise error
