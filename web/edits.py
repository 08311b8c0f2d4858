"""The edit handshake, written once. Every view that saves a form answers with `submit`:

    validate -> read at another version? -> the conflict page (409)
             -> the service's verb -> its complaint becomes a field error
             -> commit once, flash, redirect

The pieces are here too, for the views whose answer is not a form page: `stale` and
`stale_version` (lists of rows), `form_error`, `form_page` and `conflict_page`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol, TypeVar

from flask import abort, flash, redirect, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext
from flask_wtf import FlaskForm

from extensions import db

T = TypeVar("T")

# fields a form posts that are not the user's values
_NOT_VALUES = ("CSRFTokenField", "SubmitField")


class Complaint(Protocol):
    """What a service raises when a rule is broken: a message and the field to blame."""

    message: str
    field: str | None


def submit(
    form: FlaskForm,
    save: Callable[[], T],
    *,
    saved: Callable[[T], tuple[str | None, str]],
    page: Callable[[], ResponseReturnValue],
    row: object | None = None,
    reload_url: str | None = None,
    refuses: type[Exception] | tuple[type[Exception], ...] = (),
) -> ResponseReturnValue:
    """Answer a form that saves something, GET or POST.

    `page()` is the form's page: for a GET, an invalid post, or when `save()` raises one of
    `refuses` (the domain's errors, which carry `message` and `field`: the message goes next
    to that field). Before `save()`, a post read at another version of `row` than the one
    saved now, or without a version, saves nothing and is a 409: the conflict page, whose
    Reload goes to `reload_url`, or the plain 409 without one (buttons, which have no form
    page to show). After `save()` returns, the request commits once; `saved(result)` gives
    the success message (None for none) and where to redirect.

    A post made by a field's own Find button (a field with `finding` set: the element
    pickers, without JavaScript) only asks for choices: `page()` again, nothing checked or
    saved, the values as posted.
    """
    if finding(form):
        return page()
    if not form.validate_on_submit():
        return page()
    if row is not None and stale(form, row):
        if reload_url is None:
            abort(409)  # changed by someone else since the page was drawn
        return conflict_page(form, row, reload_url)
    try:
        result = save()
    except refuses as exc:
        form_error(form, exc)
        return page()
    db.session.commit()
    message, url = saved(result)
    if message:
        flash(message, "success")
    return redirect(url)


def finding(form: FlaskForm) -> bool:
    """Whether the post is a field's search (its Find button), not a save."""
    return request.method == "POST" and any(getattr(f, "finding", False) for f in form)


def form_error(form: FlaskForm, exc: Complaint) -> None:
    """Put a service's complaint next to the field it names (or at the top of the form)."""
    field = form[exc.field] if exc.field and exc.field in form else None
    if field is not None:
        field.errors = [*field.errors, exc.message]
    else:
        form.form_errors.append(exc.message)


def form_page(
    form: FlaskForm, title: str, status: int = 200, template: str = "form.html", **context
):
    """A one-form page (the generic one unless `template` says); 422 when the form came
    back with errors."""
    if form.errors or form.form_errors:
        status = 422 if status == 200 else status
    return render_template(template, form=form, title=title, **context), status


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
    says no version at all. Every form that edits a versioned row is `web.forms.Versioned`."""
    sent = getattr(form, "version", None)
    return _other_version(sent.data if sent is not None else None, obj)


def stale_version(data, obj) -> bool:
    """For lists of rows (bulk actions): whether `data` lacks the `version-<id>` of `obj`
    or carries another than the row's version now."""
    return _other_version(data.get(f"version-{obj.id}"), obj)


def _plain(value):
    return value.value if hasattr(value, "value") else value


def _shown(field, value):
    """A value as the conflict page shows it: a choice by its label (a persona's name, not
    its id; a state's word, in the reader's language), anything else as it is."""
    choices = getattr(field, "choices", None)
    if value is None or not choices:
        return value
    if callable(choices):
        choices = choices()
    if isinstance(choices, dict):  # grouped: {group: [choices]}
        choices = [choice for group in choices.values() for choice in group]
    for choice in choices:
        if hasattr(choice, "label"):
            key, label = choice.value, choice.label
        elif isinstance(choice, tuple | list):
            key, label = choice[0], choice[1]
        else:
            key = label = choice
        if str(_plain(key)) == str(value):
            return gettext(str(label))  # an English label in the reader's language
    return value


def conflict_page(form: FlaskForm, obj, reload_url: str):
    """409: the user's values beside the current ones; reload, or re-apply on top (the
    user's values as they posted them, with the current version)."""
    compared = []
    for field in form:
        name = field.short_name
        if field.type in _NOT_VALUES or name == "version" or not hasattr(obj, name):
            continue
        mine, current = _plain(field.data), _plain(getattr(obj, name))
        compared.append(
            (
                field.label.text,
                _shown(field, mine),
                _shown(field, current),
                str(mine) != str(current),
            )
        )
    resend = [
        (field.name, value)
        for field in form
        if field.type not in _NOT_VALUES and field.short_name != "version"
        for value in request.form.getlist(field.name)
    ]
    return render_template(
        "conflict.html",
        rows=compared,
        resend=resend,
        version=obj.version,
        unversioned=not (form.version.data or "").strip(),
        reload_url=reload_url,
    ), 409
