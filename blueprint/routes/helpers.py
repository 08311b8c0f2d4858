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
