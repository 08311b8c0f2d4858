"""Fields, choices and mixins that any package's forms use: enum selects, optional ids,
the version a form was read at. Rules of one domain stay in that package's forms."""

from __future__ import annotations

import enum

from flask_babel import lazy_gettext
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectChoice, SelectField, SelectMultipleField
from wtforms.validators import DataRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from safeinput import optional_id

TITLE = [DataRequired(), Length(max=200)]
LONG_TEXT = [Optional(), Length(max=10_000)]

# what a form posts besides the values a service takes
NOT_VALUES = ("csrf_token", "submit", "version")


def enum_choices(enum_cls: type[enum.Enum], blank: str | None = None) -> list[SelectChoice]:
    """The members of a labelled enum as select choices, optionally after a blank one; the
    labels are shown in the reader's language (lazily: forms build their choices once)."""
    choices = [SelectChoice("", blank)] if blank is not None else []
    return choices + [
        SelectChoice(m.value, lazy_gettext(getattr(m, "english", m.label))) for m in enum_cls
    ]


def pairs_to_choices(pairs, blank: str | None = None) -> list[SelectChoice]:
    """(value, label) pairs from a query as select choices, optionally after a blank one."""
    choices = [SelectChoice("", blank)] if blank is not None else []
    return choices + [SelectChoice(value, label) for value, label in pairs]


def optional_int(value):
    """A select's id (or small number): ASCII digits from 1 to MAX_ID, blank for none; any
    other value is the field's error, never a query the database cannot run."""
    return optional_id(value)


def optional_float(value):
    if value in (None, ""):
        return None
    return float(value)


def optional_enum(enum_cls):
    """A select's coerce for an optional enum: blank is None, anything else a member."""

    def coerce(value):
        if value in (None, ""):
            return None
        return enum_cls(value.value if isinstance(value, enum.Enum) else value)

    coerce.__name__ = f"optional_{enum_cls.__name__}"
    return coerce


def enum_field(label: str, enum_cls, blank: str = "—", **kwargs) -> SelectField:
    """An optional select of a labelled enum."""
    return SelectField(
        label,
        choices=enum_choices(enum_cls, blank),
        coerce=optional_enum(enum_cls),
        validators=[Optional()],
        **kwargs,
    )


class FilterForm(FlaskForm):
    """A form read from the query string (a list's filters): it carries no CSRF token."""

    class Meta:
        csrf = False


class CheckboxesField(SelectMultipleField):
    """A multiple select shown as a list of checkboxes."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def field_values(form, leave: tuple[str, ...] = ()) -> dict:
    """The form's data as the services take it: without the CSRF token, the button, the
    version, and the fields named in `leave`."""
    return {
        field.short_name: field.data
        for field in form
        if field.short_name not in NOT_VALUES and field.short_name not in leave
    }


class VersionField(HiddenField):
    """A posted form's version comes from what was posted, never from the row the form was
    built on (`obj=`): otherwise a post without it would take the row's current version
    and every save would look current."""

    def process_formdata(self, valuelist):
        self.data = valuelist[0] if valuelist else ""


class Versioned:
    """The version of the row the form was read at: a save over a newer version is a
    conflict, shown to the user, never a silent overwrite; a save that does not say its
    version is refused the same way (web.edits.stale). Every form that edits a versioned
    row has it."""

    version = VersionField()
