"""The form that makes a share link, and the button that revokes one."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, StringField, SubmitField
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from blueprint.sharing.services import DEFAULT_DAYS, MAX_DAYS, MAX_LABEL


class ShareLinkForm(FlaskForm):
    days = IntegerField(
        _l("Works for (days)"),
        default=DEFAULT_DAYS,
        validators=[
            InputRequired(_l("Say for how many days the link works.")),
            NumberRange(1, MAX_DAYS, _l("Choose from 1 to %(max)d days.", max=MAX_DAYS)),
        ],
        description=_l(
            "From 1 to %(max)d days; you can revoke it at any time before.", max=MAX_DAYS
        ),
    )
    label = StringField(
        _l("Label (optional)"),
        validators=[Optional(), Length(max=MAX_LABEL)],
        description=_l(
            "Who it is for, e.g. \u201cfor the steering group\u201d. Only your workspace sees it."
        ),
    )
    submit = SubmitField(_l("Create link"))


class RevokeForm(FlaskForm):
    """The revoke button: it carries only the CSRF token."""
