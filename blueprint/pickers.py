"""Form fields that choose elements of the workspace without listing them all: the chosen
ones (shown by name), a few suggestions where a form has some, and a search.

With JavaScript, static/js/combobox.js turns the field into a type-ahead over
GET /search/elements. Without it, the field's Find button posts the form back: the view
answers with the same form, nothing saved, the values kept, and what the search found
offered beside the chosen elements (web.edits.submit knows such a post by `finding`).
Either way the form submits the field's name with ids, and the services check every id
belongs to the workspace, as they always did.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import func, select
from wtforms import SelectChoice, SelectField, SelectMultipleField
from wtforms.utils import unset_value

from blueprint.element_search import Found, element_rows, elements_by_id, grouped
from blueprint.element_search import search_elements as _search
from blueprint.folding import KEY_LENGTH
from blueprint.kinds import CATALOG_KINDS, ElementKind
from blueprint.models import Element, Stage
from extensions import db

SUGGESTED_STEPS = 30  # steps of the element's own stage and its neighbours
SUGGESTED_PER_CATALOG_KIND = 12
NEIGHBOUR_STAGES = 3  # its own stage, the one before and the one after


class _Picker:
    """What the element pickers share: the search text (`<name>-q`), whether the post was
    the Find button's (`<name>-find`), and what the search found."""

    picker = True

    def __init__(self, label=None, validators=None, kinds: Iterable[ElementKind] = (), **kwargs):
        kwargs.setdefault("validate_choice", False)  # the services check the ids
        super().__init__(label, validators, **kwargs)
        self.kinds = tuple(kinds)
        self.exclude: tuple[int, ...] = ()
        self.query = ""
        self.finding = False
        self.found: list[Found] = []
        self.found_more = False

    def process(self, formdata, data=unset_value, extra_filters=None):
        super().process(formdata, data, extra_filters)
        if formdata is not None:
            self.query = (formdata.get(f"{self.name}-q") or "")[:KEY_LENGTH]
            self.finding = f"{self.name}-find" in formdata

    def chosen_ids(self) -> list[int]:
        raise NotImplementedError


class ElementField(_Picker, SelectField):
    """One element (or none, when the form offers a blank)."""

    def chosen_ids(self) -> list[int]:
        return [self.data] if isinstance(self.data, int) else []


class ElementsField(_Picker, SelectMultipleField):
    """Any number of elements; an id sent twice counts once."""

    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        if isinstance(self.data, list):
            self.data = list(dict.fromkeys(self.data))

    def chosen_ids(self) -> list[int]:
        return [i for i in self.data or [] if isinstance(i, int)]


def offer(
    field: ElementField | ElementsField,
    workspace_id: int,
    *,
    blank: str | None = None,
    suggested: Iterable[Found] = (),
    home_blueprint_id: int | None = None,
) -> None:
    """Set the field's choices: the blank (if any), the elements it holds (of this
    workspace only: an id of another is never shown) and `suggested` ones; after its Find
    button, what the search found instead of the suggestions: as options of a single field,
    as `field.found` (boxes to tick) for a multiple one. Elements of `home_blueprint_id`
    are grouped by lane alone, those of other blueprints by blueprint and lane."""
    chosen = elements_by_id(workspace_id, field.chosen_ids())
    shown = {f.id for f in chosen}
    extra = [f for f in suggested if f.id not in shown]
    field.found, field.found_more = [], False
    if field.finding:
        result = _search(workspace_id, field.query, field.kinds, [*shown, *field.exclude])
        field.found = [o for g in result.groups for o in g.options]
        field.found_more = result.more
        if isinstance(field, ElementField):
            extra = field.found  # instead of the suggestions: what was asked for, alone
    choices = [SelectChoice("", blank)] if blank is not None else []
    for group in grouped([*chosen, *extra]):
        label = group.kind.label if group.blueprint_id == home_blueprint_id else group.label
        choices += [
            SelectChoice(
                item.id,
                item.label,
                render_kw=None if item.id in shown else _data(item),
                optgroup=label,
            )
            for item in group.options
        ]
    field.choices = choices


def _data(item: Found) -> dict[str, str]:
    """What the type-ahead shows of an option it lists before anything is typed (the
    chosen ones do without: they are not suggestions)."""
    return {"data-title": item.title, "data-stage": item.stage or ""}


def link_suggestions(element: Element) -> list[Found]:
    """A few likely targets of a link from `element`, for the element page without
    JavaScript: steps of its own stage and the stages either side, and the first people and
    systems by title. Four bounded statements, whatever the size of the blueprint."""
    found: list[Found] = []
    if element.stage_id is not None:
        here = db.session.scalar(select(Stage.position).where(Stage.id == element.stage_id))
        near = (
            select(Stage.id)
            .where(Stage.blueprint_id == element.blueprint_id)
            .order_by(func.abs(Stage.position - here), Stage.position)
            .limit(NEIGHBOUR_STAGES)
        )
        found += element_rows(
            Element.stage_id.in_(near),
            Element.id != element.id,
            order_by=(func.abs(Stage.position - here), Element.position, Element.id),
            limit=SUGGESTED_STEPS,
        )
    for kind in CATALOG_KINDS:
        found += element_rows(
            Element.workspace_id == element.workspace_id,
            Element.kind == kind,
            Element.id != element.id,
            order_by=(Element.search_key, Element.id),
            limit=SUGGESTED_PER_CATALOG_KIND,
        )
    return found
