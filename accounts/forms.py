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
from wtforms.validators import AnyOf, DataRequired, Email, EqualTo, Length

from accounts.models import Role

ROLE_CHOICES = [SelectChoice(r.value, r.label) for r in Role]


class ActionForm(FlaskForm):
    """A button that changes something: it carries only the CSRF token."""


class LoginForm(FlaskForm):
    email = EmailField("E-mail", validators=[DataRequired(), Length(max=254)])
    password = PasswordField("Password", validators=[DataRequired(), Length(max=128)])
    submit = SubmitField("Log in")


class WorkspaceForm(FlaskForm):
    name = StringField("Name", validators=[DataRequired(), Length(max=120)])
    submit = SubmitField("Create workspace")


class AddMemberForm(FlaskForm):
    """An invitation: the person joins only once they accept."""

    email = EmailField("E-mail", validators=[DataRequired(), Email(), Length(max=254)])
    role = SelectField("Role", choices=ROLE_CHOICES, default=Role.EDITOR.value)
    submit = SubmitField("Invite")


class AnswerForm(FlaskForm):
    answer = SelectField(
        "Answer", choices=[SelectChoice("accept", "Accept"), SelectChoice("decline", "Decline")]
    )


class JoinForm(FlaskForm):
    """Someone with no account yet opened their setup link."""

    name = StringField("Your name", validators=[DataRequired(), Length(max=120)])
    password = PasswordField(
        "Choose a password", validators=[DataRequired(), Length(min=8, max=128)]
    )
    confirm = PasswordField(
        "The password again",
        validators=[DataRequired(), EqualTo("password", "The two passwords differ.")],
    )
    submit = SubmitField("Create my account and join")


class LeaveForm(FlaskForm):
    confirm = HiddenField(validators=[DataRequired(), AnyOf(["leave"])])  # the button sends it
    submit = SubmitField("Leave this workspace")


class RoleForm(FlaskForm):
    role = SelectField("Role", choices=ROLE_CHOICES)
    submit = SubmitField("Change")


class PasswordForm(FlaskForm):
    current_password = PasswordField(
        "Current password", validators=[DataRequired(), Length(max=128)]
    )
    new_password = PasswordField(
        "New password", validators=[DataRequired(), Length(min=8, max=128)]
    )
    confirm = PasswordField(
        "New password again",
        validators=[DataRequired(), EqualTo("new_password", "The two new passwords differ.")],
    )
    submit = SubmitField("Change password")
