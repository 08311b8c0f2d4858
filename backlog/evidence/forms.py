"""Forms of the evidence import: the upload, the column mapping, the category → step
mapping and the proposals (both built for the file at hand), and the apply."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import IntegerField, SelectChoice, SelectField, StringField
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from blueprint.evidence.rows import FIELDS
from blueprint.kinds import EvidenceSource
from web.forms import optional_int

FIELD_LABELS = {
    "text": _l("Text (the complaint, ticket or answer)"),
    "reference": _l("Reference (ticket id)"),
    "date": _l("Date"),
    "category": _l("Category"),
    "step": _l("Step (names the step)"),
    "channel": _l("Channel or source"),
    "score": _l("Score (NPS or CSAT)"),
}
KEEP, DROP = "keep", "drop"


def source_choices():
    return [SelectChoice(s.value, s.label) for s in EvidenceSource]


class UploadForm(FlaskForm):
    blueprint_id = SelectField(
        _l("Blueprint whose steps the rows are matched to"),
        coerce=optional_int,
        validators=[InputRequired(_l("Choose a blueprint."))],
    )
    file = FileField(
        _l("Evidence file (.csv or .xlsx)"),
        validators=[FileRequired(_l("Choose a file to upload."))],
    )


def columns_form(headers: list[str], formdata=None, **data):
    """The mapping form for a file of these columns: one select per field."""
    choices = [SelectChoice("", _l("— none —"))] + [SelectChoice(h, h) for h in headers]

    class ColumnsForm(FlaskForm):
        source = SelectField(_l("Evidence source"), choices=source_choices())
        customers = IntegerField(
            _l("Customers or orders the file covers (optional)"),
            validators=[
                Optional(),
                NumberRange(1, 1_000_000_000, _l("Give a whole number of at least 1.")),
            ],
        )

    for name in FIELDS:
        validators = [InputRequired(_l("Choose the column that holds the text."))]
        setattr(
            ColumnsForm,
            name,
            SelectField(
                FIELD_LABELS[name],
                choices=choices,
                validators=validators if name == "text" else [Optional()],
            ),
        )
    return (
        ColumnsForm(formdata=formdata, data=data)
        if formdata is not None
        else ColumnsForm(data=data)
    )


def categories_form(categories, steps: dict[int, str], formdata=None):
    """One select per category of the file: the step its rows go to (or none)."""
    choices = [SelectChoice("", _l("— fuzzy match on the text —"))] + [
        SelectChoice(str(i), t) for i, t in sorted(steps.items(), key=lambda s: s[1].casefold())
    ]

    class CategoriesForm(FlaskForm):
        pass

    data = {}
    for n, (category, _rows, element_id) in enumerate(categories):
        name = f"category_{n}"
        setattr(CategoriesForm, name, SelectField(category, choices=choices))
        data[name] = str(element_id) if element_id else ""
    if formdata is not None:
        return CategoriesForm(formdata=formdata)
    return CategoriesForm(data=data)


def proposals_form(proposals, steps: dict[int, str], settings, formdata=None):
    """Per proposed insight: its title, severity, and keep, drop or merge into another."""

    class ProposalsForm(FlaskForm):
        pass

    data = {}
    ids = [p.element_id for p in proposals]
    for p in proposals:
        e = p.element_id
        actions = [SelectChoice(KEEP, _l("Keep")), SelectChoice(DROP, _l("Drop"))] + [
            SelectChoice(f"merge:{o}", _l("Merge into %(step)s", step=steps.get(o, "")))
            for o in ids
            if o != e
        ]
        setattr(
            ProposalsForm,
            f"title_{e}",
            StringField(_l("Title"), validators=[Optional(), Length(max=200)]),
        )
        setattr(
            ProposalsForm,
            f"severity_{e}",
            SelectField(
                _l("Severity"), choices=[SelectChoice(str(i), str(i)) for i in range(1, 6)]
            ),
        )
        fate = lazy_pgettext("what the import does with a proposal", "Action")
        setattr(ProposalsForm, f"action_{e}", SelectField(fate, choices=actions))
        action = KEEP
        if e in settings.dropped:
            action = DROP
        elif e in settings.merged:
            action = f"merge:{settings.merged[e]}"
        data[f"title_{e}"] = settings.titles.get(e, "")
        data[f"severity_{e}"] = str(p.severity)
        data[f"action_{e}"] = action
    if formdata is not None:
        return ProposalsForm(formdata=formdata)
    return ProposalsForm(data=data)


class ApplyForm(FlaskForm):
    """Carries only the CSRF token."""


def alias_form(steps: dict[int, str], formdata=None):
    """Another name for a step, which the step column and the fuzzy match then know."""

    class AliasForm(FlaskForm):
        alias = StringField(
            _l("Another name the files use"),
            validators=[InputRequired(_l("Write the other name of the step.")), Length(max=200)],
        )
        element_id = SelectField(
            _l("for the step"),
            choices=[
                SelectChoice(str(i), t)
                for i, t in sorted(steps.items(), key=lambda s: s[1].casefold())
            ],
        )

    return AliasForm(formdata=formdata) if formdata is not None else AliasForm()
