from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    EmailField,
    HiddenField,
    PasswordField,
    SelectChoice,
    SelectField,
    StringField,
    SubmitField,
)
from wtforms.validators import AnyOf, DataRequired, Email, EqualTo, Length, ValidationError

from accounts.models import Role
from web.i18n import LANGUAGE_NAMES, time_zones

ROLE_CHOICES = [SelectChoice(r.value, r.label) for r in Role]


class ActionForm(FlaskForm):
    """A button that changes something: it carries only the CSRF token."""


class LoginForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=128)])
    submit = SubmitField(_l("Log in"))


class WorkspaceForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=120)])
    submit = SubmitField(_l("Create workspace"))


class AddMemberForm(FlaskForm):
    """An invitation: the person joins only once they accept."""

    email = EmailField(_l("E-mail"), validators=[DataRequired(), Email(), Length(max=254)])
    role = SelectField(_l("Role"), choices=ROLE_CHOICES, default=Role.EDITOR.value)
    submit = SubmitField(_l("Invite"))


class AnswerForm(FlaskForm):
    answer = SelectField(
        _l("Answer"),
        choices=[SelectChoice("accept", _l("Accept")), SelectChoice("decline", _l("Decline"))],
    )


class JoinForm(FlaskForm):
    """Someone with no account yet opened their setup link."""

    name = StringField(_l("Your name"), validators=[DataRequired(), Length(max=120)])
    password = PasswordField(
        _l("Choose a password"), validators=[DataRequired(), Length(min=8, max=128)]
    )
    confirm = PasswordField(
        _l("The password again"),
        validators=[DataRequired(), EqualTo("password", _l("The two passwords differ."))],
    )
    submit = SubmitField(_l("Create my account and join"))


class LeaveForm(FlaskForm):
    confirm = HiddenField(validators=[DataRequired(), AnyOf(["leave"])])  # the button sends it
    submit = SubmitField(_l("Leave this workspace"))


class RoleForm(FlaskForm):
    role = SelectField(_l("Role"), choices=ROLE_CHOICES)
    submit = SubmitField(_l("Change"))


class PasswordForm(FlaskForm):
    current_password = PasswordField(
        _l("Current password"), validators=[DataRequired(), Length(max=128)]
    )
    new_password = PasswordField(
        _l("New password"), validators=[DataRequired(), Length(min=8, max=128)]
    )
    confirm = PasswordField(
        _l("New password again"),
        validators=[DataRequired(), EqualTo("new_password", _l("The two new passwords differ."))],
    )
    submit = SubmitField(_l("Change password"))


def _time_zone_choices() -> list[str]:
    return sorted(time_zones())


class ProfileForm(FlaskForm):
    """The user's own settings: the language of the pages and the zone times are shown in."""

    language = SelectField(
        _l("Language"),
        choices=[SelectChoice("", _l("As my browser asks"))]
        + [SelectChoice(code, name) for code, name in LANGUAGE_NAMES.items()],
        validate_choice=False,  # our own message, next to the field
        validators=[AnyOf(["", *LANGUAGE_NAMES], message=_l("Choose a language from the list."))],
    )
    time_zone = SelectField(
        _l("Time zone"),
        choices=_time_zone_choices,
        validate_choice=False,
        description=_l("Times are shown in this zone; they are stored in UTC."),
    )
    submit = SubmitField(_l("Save"))

    def validate_time_zone(self, field):
        if field.data not in time_zones():
            raise ValidationError(_l("Choose a time zone from the list, such as Europe/Warsaw."))


class LanguageForm(FlaskForm):
    """The login page's language switch (a cookie, for visitors who are not logged in)."""

    language = HiddenField(validators=[AnyOf(list(LANGUAGE_NAMES))])
    next = HiddenField()
