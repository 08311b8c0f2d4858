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


def keep_dependents(form: FlaskForm, found: list) -> bool | None:
    """The answer of a delete form's `dependents` field: True to keep what is recorded at
    the elements (detached), False to delete it; None, with the field's error, when there
    is something and the user did not say."""
    choice = form.dependents.data
    if found and choice not in ("keep", "delete"):
        form.dependents.errors = [*form.dependents.errors, "Choose to keep or to delete it."]
        return None
    return choice != "delete"


def form_page(form: FlaskForm, title: str, status: int = 200, **context):
    """The generic one-form page; 422 when the form came back with errors."""
    if form.errors or form.form_errors:
        status = 422 if status == 200 else status
    return render_template("form.html", form=form, title=title, **context), status


def _other_version(sent, obj) -> bool:
    """Whether `sent` (what a page posted) names another version than `obj`'s now. Posted
    without one (an old page, a script) counts as another: an edit of a saved row must say
    which version it was read at, or it would overwrite unseen changes."""
    if getattr(obj, "version", None) is None:  # not saved yet: nothing to overwrite
        return False
    text = (sent or "").strip()
    if not (text.isascii() and text.isdigit()):
        return True
    return int(text) != obj.version


def stale(form: FlaskForm, obj) -> bool:
    """Whether the form was read at another version of `obj` than the one saved now, or
    says no version at all. Every form that edits a versioned row is `Versioned`."""
    sent = getattr(form, "version", None)
    return _other_version(sent.data if sent is not None else None, obj)


def stale_version(data, obj) -> bool:
    """For lists of rows (bulk actions): whether `data` lacks the `version-<id>` of `obj`
    or carries another than the row's version now."""
    return _other_version(data.get(f"version-{obj.id}"), obj)


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
    unversioned = not (form.version.data or "").strip()
    form.version.data = str(obj.version)  # re-applying saves on top of the current version
    return render_template(
        "conflict.html", form=form, rows=rows, reload_url=reload_url, unversioned=unversioned
    ), 409
