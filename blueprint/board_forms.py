"""Forms of the board editor (blueprint/routes/board_edit.py): small posts from the board's
controls, each with its CSRF token and, where it changes a row, the version the board was
drawn at."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectChoice, SelectField, StringField
from wtforms.validators import InputRequired, Length, Optional

from blueprint.models import CATALOG_KINDS, LANES, ElementKind, LinkKind
from safeinput import optional_id
from web.forms import TITLE, Versioned, optional_enum


class IdField(StringField):
    """A row's id: ASCII digits from 1 to MAX_ID, blank for none; anything else is the
    field's error, never a query the database cannot run."""

    def process_formdata(self, valuelist):
        self.data = None
        if valuelist:
            try:
                self.data = optional_id(valuelist[0])
            except ValueError:
                raise ValueError(_("Not a row of this board.")) from None


def _lanes() -> list[SelectChoice]:
    return [SelectChoice(k.value, _l(k.english)) for k in LANES]


class QuickStepForm(FlaskForm):
    stage_id = IdField(_l("Stage"), validators=[InputRequired()])
    kind = SelectField(_l("Lane"), choices=_lanes(), coerce=ElementKind)
    title = StringField(_l("Title of the new step"), validators=TITLE)


class QuickStageForm(FlaskForm):
    name = StringField(_l("Name of the new stage"), validators=TITLE)


class PlaceForm(Versioned, FlaskForm):
    """Where a card goes: the cell (stage and lane) and the card it goes before (none: the
    end of the cell)."""

    stage_id = IdField(_l("Stage"), validators=[InputRequired()])
    kind = SelectField(_l("Lane"), choices=_lanes(), coerce=ElementKind)
    before_id = IdField(_l("Before"), validators=[Optional()])


class PlaceStageForm(Versioned, FlaskForm):
    before_id = IdField(_l("Before"), validators=[Optional()])


class BoardLinkForm(FlaskForm):
    """What the Link control sends: a step, person or system found by the search, or the
    name and kind of a person or system to create; the kind of the link is inferred unless
    the user chose one."""

    target_id = IdField(_l("Relies on"), validators=[Optional()])
    new_title = StringField(_l("New person or system"), validators=[Optional(), Length(max=200)])
    new_kind = SelectField(
        _l("Kind of the new entry"),
        choices=[
            SelectChoice("", "—"),
            *(SelectChoice(k.value, _l(k.english)) for k in CATALOG_KINDS),
        ],
        coerce=optional_enum(ElementKind),
        validators=[Optional()],
    )
    kind = SelectField(
        _l("Kind of link"),
        choices=[
            SelectChoice("", _l("as found")),
            *(SelectChoice(k.value, _l(k.english)) for k in LinkKind),
        ],
        coerce=optional_enum(LinkKind),
        validators=[Optional()],
    )


class UnlinkForm(Versioned, FlaskForm):
    """A link changed from a card's Link control: `card_id` is that card (the link's end
    whose board answers)."""

    card_id = IdField(_l("Card"), validators=[Optional()])


class LinkKindForm(UnlinkForm):
    kind = SelectField(
        _l("Kind"),
        choices=[SelectChoice(k.value, _l(k.english)) for k in LinkKind],
        coerce=LinkKind,
    )


class DeleteStepForm(Versioned, FlaskForm):
    pass


class UndoForm(FlaskForm):
    pass
