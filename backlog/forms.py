"""Forms of the backlog: insights, causes, why-chains, tasks, filters, settings."""

from __future__ import annotations

from decimal import Decimal

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
    enum_choices,
    enum_field,
    field_values,
    optional_float,
    optional_int,
)

ONE_TO_FIVE = [SelectChoice(str(i), str(i)) for i in range(1, 6)]


class InsightForm(Versioned, FlaskForm):
    kind = SelectField(
        "Kind",
        choices=enum_choices(InsightKind),
        coerce=InsightKind,
        default=InsightKind.PAIN_POINT.value,
    )
    title = StringField("Title", validators=TITLE)
    description = TextAreaField("Description", validators=LONG_TEXT)
    element_id = ElementField("Seen at", coerce=optional_int, validators=[Optional()])
    blueprint_id = SelectField(
        "Blueprint (when it concerns the whole journey)",
        coerce=optional_int,
        validators=[Optional()],
    )
    severity = SelectField(
        "Severity", choices=ONE_TO_FIVE, coerce=int, default="3", description="1 minor … 5 critical"
    )
    frequency = SelectField(
        "Frequency",
        choices=ONE_TO_FIVE,
        coerce=int,
        default="3",
        description="1 rare … 5 almost every customer",
    )
    evidence_source = enum_field("Evidence source", EvidenceSource)
    evidence_reference = StringField(
        "Evidence reference",
        validators=[Optional(), Length(max=500)],
        description="A quote, ticket number or link",
    )
    observed_on = DateField("Observed on", validators=[Optional()])
    submit = SubmitField("Save")

    def values(self) -> dict:
        return field_values(self)


class CausesForm(FlaskForm):
    causes = CheckboxesField("Confirmed causes", coerce=parse_id, validate_choice=False)
    submit = SubmitField("Save confirmed causes")


class WhyForm(FlaskForm):
    answer = StringField("Why?", validators=[DataRequired(), Length(max=500)])
    element_id = ElementField("Points at (optional)", coerce=optional_int, validators=[Optional()])
    submit = SubmitField("Add")


class NumberField(DecimalField):
    """A decimal the user types: finite only ("NaN", "sNaN" and "Infinity" parse as decimals
    but are no number anyone means). The bounds are the scoring rules' (services)."""

    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        if valuelist and isinstance(self.data, Decimal) and not self.data.is_finite():
            self.data = None
            raise ValueError(self.gettext("Enter a number."))


def _number(label, *validators, description=None, places=2):
    return NumberField(
        label, places=places, validators=[Optional(), *validators], description=description
    )


class TaskForm(Versioned, FlaskForm):
    title = StringField("Title", validators=TITLE)
    description = TextAreaField("Description", validators=LONG_TEXT)
    status = SelectField(
        "Status", choices=enum_choices(TaskStatus), coerce=TaskStatus, default=TaskStatus.IDEA.value
    )
    owner_id = SelectField("Owner", coerce=optional_int, validators=[Optional()])
    team = StringField("Team", validators=[Optional(), Length(max=120)])
    due_on = DateField("Due", validators=[Optional()])
    horizon = enum_field("Horizon", Horizon)
    moscow = enum_field("MoSCoW", MoSCoW)
    pinned = BooleanField("Pin to the top of the backlog")
    impact = IntegerField(
        "Impact (1–5)", validators=[InputRequired(), NumberRange(1, 5)], default=3
    )
    effort = IntegerField(
        "Effort (1–5)", validators=[InputRequired(), NumberRange(1, 5)], default=3
    )
    reach = _number("RICE reach (people per quarter)")
    rice_impact = SelectField(
        "RICE impact",
        coerce=optional_float,
        validators=[Optional()],
        choices=[SelectChoice("", "—")] + [SelectChoice(f"{v:g}", f"{v:g}") for v in RICE_IMPACTS],
    )
    confidence = _number("RICE confidence (0–1)")
    effort_months = _number("RICE effort (person-months)")
    ice_impact = IntegerField("ICE impact (1–10)", validators=[Optional()])
    ice_confidence = IntegerField("ICE confidence (1–10)", validators=[Optional()])
    ice_ease = IntegerField("ICE ease (1–10)", validators=[Optional()])
    business_value = _number("WSJF business value")
    time_criticality = _number("WSJF time criticality")
    risk_reduction = _number("WSJF risk reduction / opportunity enablement")
    job_size = _number("WSJF job size")
    insight_ids = CheckboxesField("Insights it addresses", coerce=parse_id, validate_choice=False)
    target_ids = ElementsField("Elements it changes", coerce=parse_id)
    submit = SubmitField("Save")

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
        "Tasks",
        coerce=parse_id,
        validate_choice=False,
        validators=[DataRequired(message="Tick at least one task.")],
    )
    status = SelectField("Set status to", choices=enum_choices(TaskStatus), coerce=TaskStatus)
    submit = SubmitField("Apply to selected")


class SettingsForm(Versioned, FlaskForm):
    framework = SelectField(
        "Default framework", choices=[SelectChoice(f.name, f.label) for f in FRAMEWORKS.values()]
    )
    quadrant_threshold = IntegerField(
        "Quadrant threshold (1–5)",
        validators=[InputRequired(), NumberRange(1, 5)],
        description="Impact or effort at or above it counts as high.",
    )
    submit = SubmitField("Save settings")


class BacklogFilterForm(FilterForm):
    q = StringField("Search", validators=[Optional(), Length(max=200)])
    status = enum_field("Status", TaskStatus, "Any status")
    owner_id = SelectField("Owner", coerce=optional_int, validators=[Optional()])
    blueprint_id = SelectField("Blueprint", coerce=optional_int, validators=[Optional()])
    quadrant = SelectField(
        "Quadrant",
        validators=[Optional()],
        choices=[
            SelectChoice("", "Any quadrant"),
            *[SelectChoice(k, v) for k, v in QUADRANTS.items()],
        ],
    )
    horizon = enum_field("Horizon", Horizon, "Any horizon")
    overdue = BooleanField("Overdue only")
    framework = SelectField(
        "Order by",
        validators=[Optional()],
        choices=[
            SelectChoice("", "Workspace default"),
            *[SelectChoice(f.name, f.label) for f in FRAMEWORKS.values()],
        ],
    )
    page = IntegerField("Page", validators=[Optional(), NumberRange(1, 100_000)])


class InsightFilterForm(FilterForm):
    kind = enum_field("Kind", InsightKind, "Any kind")
    min_severity = SelectField(
        "Severity at least",
        coerce=optional_int,
        validators=[Optional()],
        choices=[SelectChoice("", "Any"), *ONE_TO_FIVE],
    )
    source = enum_field("Source", EvidenceSource, "Any source")
    blueprint_id = SelectField("Blueprint", coerce=optional_int, validators=[Optional()])
    element_id = IntegerField("Element", validators=[Optional()])
    has_cause = SelectField(
        "Confirmed cause",
        validators=[Optional()],
        choices=[
            SelectChoice("", "Either"),
            SelectChoice("yes", "Has a confirmed cause"),
            SelectChoice("no", "No confirmed cause yet"),
        ],
    )
