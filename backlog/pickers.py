"""The task form's insight picker: the insights the task addresses (ticked, by title), a few
suggestions to tick, and a search, instead of a box for every insight of the workspace.

It works as blueprint/pickers.py's element pickers do. With JavaScript, static/js/combobox.js
turns the search into a type-ahead over GET /search/insights. Without it, the field's Find
button posts the form back: the view answers with the same form, nothing saved, the ticks
kept, and what the search found offered as boxes to tick (web.edits.submit knows such a
post by `finding`). Either way the form submits `insight_ids`, and the services check every
id belongs to the workspace, as they always did.
"""

from __future__ import annotations

from collections.abc import Iterable

from wtforms import SelectChoice

from backlog.insight_search import (
    FoundInsight,
    insights_by_id,
    search_insights,
    suggested_insights,
)
from blueprint.pickers import ElementsField


class InsightsField(ElementsField):
    """Any number of insights, shown as boxes to tick; an id sent twice counts once."""

    picker = "insights"

    def __init__(self, label=None, validators=None, **kwargs):
        super().__init__(label, validators, **kwargs)
        self.chosen: list[FoundInsight] = []
        self.suggested: list[FoundInsight] = []
        self.found: list[FoundInsight] = []  # type: ignore[assignment]


def offer_insights(
    field: InsightsField, workspace_id: int, target_ids: Iterable[int | None] = ()
) -> None:
    """What the field shows: the insights it holds (of this workspace only: an id of another
    is never shown), ticked; suggestions (insights at `target_ids`, the heaviest pain
    points) that are not chosen; after its Find button, what the search found instead."""
    field.chosen = insights_by_id(workspace_id, field.chosen_ids())
    shown = [f.id for f in field.chosen]
    field.found, field.found_more, field.suggested = [], False, []
    if field.finding:
        result = search_insights(workspace_id, field.query, exclude=shown)
        field.found, field.found_more = result.found, result.more
    else:
        field.suggested = suggested_insights(workspace_id, shown, target_ids)
    # the labels the conflict page shows for the ids
    field.choices = [
        SelectChoice(item.id, item.label)
        for item in (*field.chosen, *field.suggested, *field.found)
    ]
