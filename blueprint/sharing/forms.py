"""The form that makes a share link, and the button that revokes one."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import IntegerField, StringField, SubmitField
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from blueprint.sharing.services import DEFAULT_DAYS, MAX_DAYS, MAX_LABEL


class ShareLinkForm(FlaskForm):
    days = IntegerField(
        "Works for (days)",
        default=DEFAULT_DAYS,
        validators=[
            InputRequired("Say for how many days the link works."),
            NumberRange(1, MAX_DAYS, f"Choose from 1 to {MAX_DAYS} days."),
        ],
        description=f"From 1 to {MAX_DAYS} days; you can revoke it at any time before.",
    )
    label = StringField(
        "Label (optional)",
        validators=[Optional(), Length(max=MAX_LABEL)],
        description="Who it is for, e.g. \u201cfor the steering group\u201d. "
        "Only your workspace sees it.",
    )
    submit = SubmitField("Create link")


class RevokeForm(FlaskForm):
    """The revoke button: it carries only the CSRF token."""
