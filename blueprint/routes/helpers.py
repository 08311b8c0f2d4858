"""Small helpers shared by the blueprint views."""

from __future__ import annotations

from flask import render_template
from flask_wtf import FlaskForm

from blueprint.services import BlueprintError


def form_error(form: FlaskForm, exc: BlueprintError) -> None:
    """Put a service's complaint next to the field it names (or at the top of the form)."""
    field = form._fields.get(exc.field) if exc.field else None
    if field is not None:
        field.errors = [*field.errors, exc.message]
    else:
        form.form_errors.append(exc.message)


def form_page(form: FlaskForm, title: str, status: int = 200, **context):
    """The generic one-form page; 422 when the form came back with errors."""
    if form.errors or form.form_errors:
        status = 422 if status == 200 else status
    return render_template("form.html", form=form, title=title, **context), status


def stale(form: FlaskForm, obj) -> bool:
    """Whether the form was read at an older version of `obj` than the one saved now."""
    sent = getattr(form, "version", None)
    if sent is None or not sent.data:
        return False
    try:
        return int(sent.data) != obj.version
    except ValueError:
        return True


def stale_version(data, obj) -> bool:
    """For lists of rows (bulk actions): whether `data` carries a `version-<id>` older than
    the row's version now."""
    sent = data.get(f"version-{obj.id}")
    if not sent:
        return False
    try:
        return int(sent) != obj.version
    except ValueError:
        return True


def conflict_page(form: FlaskForm, obj, reload_url: str):
    """409: the user's values beside the current ones; reload, or re-apply on top."""
    rows = []
    for name, field in form._fields.items():
        if name in ("csrf_token", "submit", "version") or not hasattr(obj, name):
            continue
        current = getattr(obj, name)
        current = current.value if hasattr(current, "value") else current
        mine = field.data.value if hasattr(field.data, "value") else field.data
        rows.append((field.label.text, mine, current, str(mine) != str(current)))
    form.version.data = str(obj.version)  # re-applying saves on top of the current version
    return render_template("conflict.html", form=form, rows=rows, reload_url=reload_url), 409
