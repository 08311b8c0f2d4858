"""Forms of the blueprint editor. Field rules live here; rules that need the database (a
persona of this workspace, a duplicate link) are the services' and come back as field errors."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from blueprint.models import (
    CATALOG_KINDS,
    LANES,
    BlueprintState,
    BuyingRole,
    Channel,
    EvidenceSource,
    EvidenceStatus,
    LinkKind,
)
from blueprint.pickers import ElementField
from blueprint.services import BlueprintError
from safeinput import parse_id
from web.forms import (
    LONG_TEXT,
    TITLE,
    FilterForm,
    Versioned,
    enum_choices,
    enum_field,
    field_values,
    optional_int,
)

ALL = "all"  # the span choice for the whole journey


class BlueprintForm(Versioned, FlaskForm):
    name = StringField(lazy_pgettext("name of a thing", "Name"), validators=TITLE)
    goal = TextAreaField(_l("Goal"), validators=LONG_TEXT, description=_l("Why this map exists."))
    scope = TextAreaField(
        _l("Scope"), validators=LONG_TEXT, description=_l("Where the journey starts and ends.")
    )
    persona_id = SelectField(_l("Persona"), coerce=optional_int, validators=[Optional()])
    state = SelectField(
        _l("State"),
        choices=enum_choices(BlueprintState),
        coerce=BlueprintState,
        default=BlueprintState.CURRENT.value,
    )
    owner_id = SelectField(
        _l("Owner"),
        coerce=optional_int,
        validators=[Optional()],
        description=_l("Who keeps this map current."),
    )
    review_cadence_days = IntegerField(
        _l("Review every (days)"),
        validators=[Optional(), NumberRange(min=1, max=3650)],
        description=_l("Leave empty for no review reminder."),
    )
    last_reviewed_on = DateField(_l("Last reviewed"), validators=[Optional()])
    submit = SubmitField(_l("Save"))


class PersonaForm(Versioned, FlaskForm):
    name = StringField(lazy_pgettext("name of a thing", "Name"), validators=TITLE)
    segment = StringField(_l("Segment"), validators=[Optional(), Length(max=200)])
    buying_role = enum_field(_l("Buying role"), BuyingRole)
    goals = TextAreaField(_l("Goals"), validators=LONG_TEXT)
    needs = TextAreaField(_l("Needs"), validators=LONG_TEXT)
    pains = TextAreaField(_l("Pains"), validators=LONG_TEXT)
    jobs_to_be_done = TextAreaField(_l("Jobs to be done"), validators=LONG_TEXT)
    submit = SubmitField(_l("Save"))


class _Placement(FlaskForm):
    """Where a new step goes; declared first so the form asks it first."""

    kind = SelectField(_l("Lane"), choices=[SelectChoice(k.value, _l(k.english)) for k in LANES])
    stage_id = SelectField(_l("Stage"), coerce=parse_id)


class ElementForm(Versioned, FlaskForm):
    title = StringField(_l("Title"), validators=TITLE)
    description = TextAreaField(_l("Description"), validators=LONG_TEXT)
    channel = enum_field(_l("Channel"), Channel)
    duration_minutes = IntegerField(
        _l("Duration (minutes)"), validators=[Optional(), NumberRange(min=0, max=10_000_000)]
    )
    tolerance_minutes = IntegerField(
        _l("Customer tolerance (minutes)"),
        validators=[Optional(), NumberRange(min=0, max=10_000_000)],
        description=_l("How long the customer accepts this step to take."),
    )
    fail_point = BooleanField(_l("Fail point (it breaks here)"))
    fail_note = TextAreaField(_l("What fails"), validators=LONG_TEXT)
    wait_point = BooleanField(_l("Wait point (the customer waits here)"))
    emotion = IntegerField(
        _l("Emotion (-2 to +2)"),
        validators=[Optional()],
        description=_l("Customer actions only: how the customer feels at this step."),
    )
    moment_of_truth = BooleanField(_l("Moment of truth"))
    evidence_source = enum_field(_l("Evidence source"), EvidenceSource)
    evidence_status = enum_field(_l("Evidence status"), EvidenceStatus)
    span = SelectField(
        _l("Spans"),
        choices=[],
        validators=[Optional()],
        description=_l(
            "A step over several stages (a host who greets and seats) ends in the "
            "stage chosen here; a support process or policy of the whole journey covers all "
            "stages."
        ),
    )
    submit = SubmitField(_l("Save"))

    def set_span_choices(self, stages, element=None) -> None:
        """The blueprint's stages as ends of a span; the current span selected."""
        self.span.choices = [
            SelectChoice("", _("Only its own stage")),
            SelectChoice(ALL, _("All stages (the whole journey)")),
            *(SelectChoice(str(sid), _("Up to %(stage)s", stage=name)) for sid, name in stages),
        ]
        if element is not None and not self.is_submitted():
            self.span.data = (
                ALL
                if element.all_stages
                else str(element.end_stage_id)
                if element.end_stage_id
                else ""
            )

    STEP_ONLY = (
        "channel",
        "duration_minutes",
        "tolerance_minutes",
        "wait_point",
        "emotion",
        "moment_of_truth",
    )

    def values(self) -> dict:
        values = field_values(self, leave=("stage_id", "kind", "span"))
        if "span" in self:
            span = self.span.data or ""
            values["all_stages"] = span == ALL
            values["end_stage_id"] = int(span) if span.isdigit() else None
        return values


class NewElementForm(_Placement, ElementForm):
    pass


class CatalogForm(Versioned, FlaskForm):
    kind = SelectField(
        _l("Kind"), choices=[SelectChoice(k.value, _l(k.english)) for k in CATALOG_KINDS]
    )
    title = StringField(lazy_pgettext("name of a thing", "Name"), validators=TITLE)
    description = TextAreaField(_l("Description"), validators=LONG_TEXT)
    fail_point = BooleanField(_l("Known fail point"))
    fail_note = TextAreaField(_l("What fails"), validators=LONG_TEXT)
    evidence_source = enum_field(_l("Evidence source"), EvidenceSource)
    evidence_status = enum_field(_l("Evidence status"), EvidenceStatus)
    submit = SubmitField(_l("Save"))

    def values(self) -> dict:
        return field_values(self, leave=("kind",))


class StageForm(Versioned, FlaskForm):
    name = StringField(_l("Stage name"), validators=TITLE)
    submit = SubmitField(_l("Save"))


def _dependents_field(keep: str) -> RadioField:
    """Keep or delete what other packages record at deleted elements
    (blueprint.extension_points); the view requires an answer when there is something."""
    return RadioField(
        _l("What is recorded there"),
        choices=[
            SelectChoice("keep", keep),
            SelectChoice("delete", _l("Delete it, with its why-chain and confirmed causes")),
        ],
        validators=[Optional()],
    )


class _KeepsDependents:
    def keep_dependents(self, found: list) -> bool:
        """The answer of the `dependents` field: True to keep what is recorded at the
        elements (detached), False to delete it. When there is something and the user did
        not say, the service's complaint for the field (the form page shows it)."""
        choice = self.dependents.data
        if found and choice not in ("keep", "delete"):
            raise BlueprintError(_("Choose to keep or to delete it."), "dependents")
        return choice != "delete"


class DeleteElementForm(_KeepsDependents, FlaskForm):
    dependents = _dependents_field(_l("Keep it on the blueprint, no longer at this step"))
    submit = SubmitField(_l("Delete"))


class DeleteStageForm(_KeepsDependents, FlaskForm):
    elements = SelectField(
        _l("Its elements"),
        choices=[
            SelectChoice("move", _l("Move them to another stage")),
            SelectChoice("delete", _l("Delete them with their links")),
        ],
        default="move",
    )
    move_to = SelectField(_l("Move to stage"), coerce=optional_int, validators=[Optional()])
    dependents = _dependents_field(_l("Keep it on the blueprint, no longer at a step"))
    submit = SubmitField(_l("Delete stage"))


class MoveForm(Versioned, FlaskForm):
    offset = IntegerField(
        _l("Offset"), validators=[InputRequired(), NumberRange(min=-1000, max=1000)]
    )


class MoveToStageForm(Versioned, FlaskForm):
    stage_id = SelectField(_l("Move to stage"), coerce=parse_id)
    submit = SubmitField(_l("Move"))


class LinkForm(FlaskForm):
    kind = SelectField(
        _l("Link"),
        choices=enum_choices(LinkKind),
        coerce=LinkKind,
        default=LinkKind.RELIES_ON.value,
    )
    target_id = ElementField(
        _l("Target"), coerce=optional_int, validators=[DataRequired(_l("Choose what it links to."))]
    )
    submit = SubmitField(_l("Add link"))


class SearchForm(FilterForm):
    q = StringField(_l("Search"), validators=[Optional(), Length(max=200)])
    state = enum_field(_l("State"), BlueprintState, _l("All states"))


class RankingSettingsForm(Versioned, FlaskForm):
    """The root-cause page's one setting (web.edits: versioned, like every edit)."""

    pain_signals = BooleanField(
        _l("Weigh the map's pain signals as pain points"),
        description=_l(
            "Customer actions the customer feels badly (emotion −1 weighs 1, −2 weighs 2) and "
            "steps slower than the customer's tolerance (1, or 2 at twice the tolerance or "
            "more). Off by default: only fail points and pain-point insights weigh."
        ),
    )
    submit = SubmitField(_l("Save"))
