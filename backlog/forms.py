"""Forms of the backlog: insights, causes, why-chains, tasks, filters, settings. Labels,
help and messages are lazy (`_l`): each form is drawn in the user's language, and so are the
backlog's words (statuses, horizons, frameworks, quadrants) in its choices."""

from __future__ import annotations

from decimal import Decimal

from flask_babel import LazyString, format_decimal
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    DecimalField,
    IntegerField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from backlog.models import Horizon, InsightKind, MoSCoW, TaskStatus
from backlog.pickers import InsightsField
from backlog.scoring import FRAMEWORKS, QUADRANTS, RICE_IMPACTS, TASK_INPUT_COLUMNS
from blueprint.models import EvidenceSource
from blueprint.pickers import ElementField, ElementsField
from safeinput import parse_id
from web.forms import (
    LONG_TEXT,
    TITLE,
    CheckboxesField,
    FilterForm,
    Versioned,
    field_values,
    optional_enum,
    optional_float,
    optional_int,
)

ONE_TO_FIVE = [SelectChoice(str(i), str(i)) for i in range(1, 6)]


def english(member) -> str:
    """A labelled enum member's English name (the catalog's msgid)."""
    return getattr(member, "english", None) or member.label


def labelled_choices(enum_cls, blank=None) -> list[SelectChoice]:
    """A labelled enum's members as choices, each label in the user's language."""
    choices = [SelectChoice("", blank)] if blank is not None else []
    return choices + [SelectChoice(m.value, _l(english(m))) for m in enum_cls]


def enum_field(label, enum_cls, blank="—", **kwargs) -> SelectField:
    """An optional select of a labelled enum, in the user's language."""
    return SelectField(
        label,
        choices=labelled_choices(enum_cls, blank),
        coerce=optional_enum(enum_cls),
        validators=[Optional()],
        **kwargs,
    )


def framework_choices() -> list[SelectChoice]:
    return [SelectChoice(f.name, _l(f.label)) for f in FRAMEWORKS.values()]


class InsightForm(Versioned, FlaskForm):
    kind = SelectField(
        _l("Kind"),
        choices=labelled_choices(InsightKind),
        coerce=InsightKind,
        default=InsightKind.PAIN_POINT.value,
    )
    title = StringField(_l("Title"), validators=TITLE)
    description = TextAreaField(_l("Description"), validators=LONG_TEXT)
    element_id = ElementField(_l("Seen at"), coerce=optional_int, validators=[Optional()])
    blueprint_id = SelectField(
        _l("Blueprint (when it concerns the whole journey)"),
        coerce=optional_int,
        validators=[Optional()],
    )
    severity = SelectField(
        _l("Severity"),
        choices=ONE_TO_FIVE,
        coerce=int,
        default="3",
        description=_l("1 minor … 5 critical"),
    )
    frequency = SelectField(
        _l("Frequency"),
        choices=ONE_TO_FIVE,
        coerce=int,
        default="3",
        description=_l("1 rare … 5 almost every customer"),
    )
    evidence_source = enum_field(_l("Evidence source"), EvidenceSource)
    evidence_reference = StringField(
        _l("Evidence reference"),
        validators=[Optional(), Length(max=500)],
        description=_l("A quote, ticket number or link"),
    )
    observed_on = DateField(_l("Observed on"), validators=[Optional()])
    submit = SubmitField(_l("Save"))

    def values(self) -> dict:
        return field_values(self)


class CausesForm(FlaskForm):
    causes = CheckboxesField(_l("Confirmed causes"), coerce=parse_id, validate_choice=False)
    submit = SubmitField(_l("Save confirmed causes"))


class WhyForm(FlaskForm):
    answer = StringField(_l("Why?"), validators=[DataRequired(), Length(max=500)])
    element_id = ElementField(
        _l("Points at (optional)"), coerce=optional_int, validators=[Optional()]
    )
    submit = SubmitField(_l("Add"))


class NumberField(DecimalField):
    """A decimal the user types: finite only ("NaN", "sNaN" and "Infinity" parse as decimals
    but are no number anyone means). The bounds are the scoring rules' (services)."""

    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        if valuelist and isinstance(self.data, Decimal) and not self.data.is_finite():
            self.data = None
            raise ValueError(_("Enter a number."))


def _number(label, *validators, description=None, places=2):
    return NumberField(
        label, places=places, validators=[Optional(), *validators], description=description
    )


class TaskForm(Versioned, FlaskForm):
    title = StringField(_l("Title"), validators=TITLE)
    description = TextAreaField(_l("Description"), validators=LONG_TEXT)
    status = SelectField(
        _l("Status"),
        choices=labelled_choices(TaskStatus),
        coerce=TaskStatus,
        default=TaskStatus.IDEA.value,
    )
    owner_id = SelectField(_l("Owner"), coerce=optional_int, validators=[Optional()])
    team = StringField(_l("Team"), validators=[Optional(), Length(max=120)])
    due_on = DateField(_l("Due"), validators=[Optional()])
    horizon = enum_field(_l("Horizon"), Horizon)
    moscow = enum_field(_l("MoSCoW"), MoSCoW)
    pinned = BooleanField(_l("Pin to the top of the backlog"))
    impact = IntegerField(
        _l("Impact (1–5)"), validators=[InputRequired(), NumberRange(1, 5)], default=3
    )
    effort = IntegerField(
        _l("Effort (1–5)"), validators=[InputRequired(), NumberRange(1, 5)], default=3
    )
    reach = _number(_l("RICE reach (people per quarter)"))
    rice_impact = SelectField(
        _l("RICE impact"),
        coerce=optional_float,
        validators=[Optional()],
        choices=[SelectChoice("", "—")]
        + [SelectChoice(f"{v:g}", LazyString(format_decimal, v)) for v in RICE_IMPACTS],
    )
    confidence = _number(_l("RICE confidence (0–1)"))
    effort_months = _number(_l("RICE effort (person-months)"))
    ice_impact = IntegerField(_l("ICE impact (1–10)"), validators=[Optional()])
    ice_confidence = IntegerField(_l("ICE confidence (1–10)"), validators=[Optional()])
    ice_ease = IntegerField(_l("ICE ease (1–10)"), validators=[Optional()])
    business_value = _number(_l("WSJF business value"))
    time_criticality = _number(_l("WSJF time criticality"))
    risk_reduction = _number(_l("WSJF risk reduction / opportunity enablement"))
    job_size = _number(_l("WSJF job size"))
    insight_ids = InsightsField(_l("Insights it addresses"), coerce=parse_id)
    target_ids = ElementsField(_l("Elements it changes"), coerce=parse_id)
    submit = SubmitField(_l("Save"))

    SCORING = TASK_INPUT_COLUMNS

    def values(self) -> dict:
        values = field_values(self, leave=("insight_ids", "target_ids"))
        for name in self.SCORING:
            if values.get(name) is not None:
                values[name] = float(values[name])
        return values


class AcceptImpactForm(Versioned, FlaskForm):
    """The button that accepts the suggested impact: it carries the task's version."""


class BulkStatusForm(FlaskForm):
    task_ids = SelectMultipleField(
        _l("Tasks"),
        coerce=parse_id,
        validate_choice=False,
        validators=[DataRequired(message=_l("Tick at least one task."))],
    )
    status = SelectField(
        _l("Set status to"), choices=labelled_choices(TaskStatus), coerce=TaskStatus
    )
    submit = SubmitField(_l("Apply to selected"))


class SettingsForm(Versioned, FlaskForm):
    framework = SelectField(_l("Default framework"), choices=framework_choices())
    quadrant_threshold = IntegerField(
        _l("Quadrant threshold (1–5)"),
        validators=[InputRequired(), NumberRange(1, 5)],
        description=_l("Impact or effort at or above it counts as high."),
    )
    submit = SubmitField(_l("Save settings"))


class BacklogFilterForm(FilterForm):
    q = StringField(_l("Search"), validators=[Optional(), Length(max=200)])
    status = enum_field(_l("Status"), TaskStatus, _l("Any status"))
    owner_id = SelectField(_l("Owner"), coerce=optional_int, validators=[Optional()])
    blueprint_id = SelectField(_l("Blueprint"), coerce=optional_int, validators=[Optional()])
    quadrant = SelectField(
        _l("Quadrant"),
        validators=[Optional()],
        choices=[
            SelectChoice("", _l("Any quadrant")),
            *[SelectChoice(k, _l(v)) for k, v in QUADRANTS.items()],
        ],
    )
    horizon = enum_field(_l("Horizon"), Horizon, _l("Any horizon"))
    overdue = BooleanField(_l("Overdue only"))
    framework = SelectField(
        _l("Order by"),
        validators=[Optional()],
        choices=[
            SelectChoice("", _l("Workspace default")),
            *framework_choices(),
        ],
    )
    page = IntegerField(_l("Page"), validators=[Optional(), NumberRange(1, 100_000)])


class InsightFilterForm(FilterForm):
    kind = enum_field(_l("Kind"), InsightKind, _l("Any kind"))
    min_severity = SelectField(
        _l("Severity at least"),
        coerce=optional_int,
        validators=[Optional()],
        choices=[SelectChoice("", _l("Any")), *ONE_TO_FIVE],
    )
    source = enum_field(_l("Source"), EvidenceSource, _l("Any source"))
    blueprint_id = SelectField(_l("Blueprint"), coerce=optional_int, validators=[Optional()])
    element_id = IntegerField(_l("Element"), validators=[Optional()])
    has_cause = SelectField(
        _l("Confirmed cause"),
        validators=[Optional()],
        choices=[
            SelectChoice("", _l("Either")),
            SelectChoice("yes", _l("Has a confirmed cause")),
            SelectChoice("no", _l("No confirmed cause yet")),
        ],
    )
