"""The backlog's words: kinds of insight, task statuses, horizons and MoSCoW. Plain enums,
no database; `backlog.models` re-exports them for the code that works with rows.

A member's `english` is its English name (LABELS, which `N_` marks for the catalog, `make
translations`): pages show it in the reader's language, `gettext(member.english)`, at
render time; this module stays pure."""

from __future__ import annotations

from blueprint.kinds import Labelled

__all__ = [
    "LABELS",
    "Horizon",
    "InsightKind",
    "MoSCoW",
    "N_",
    "TaskStatus",
    "english_gettext",
]


def N_(message: str) -> str:
    """Marks `message` for translation without translating it (it is translated where shown)."""
    return message


# The shape of Flask-Babel's gettext, in English: a pure module that words a sentence takes
# it as its default and a page passes Flask-Babel's own.
def english_gettext(message: str, **values) -> str:
    return message % values if values else message


LABELS = {
    # kinds of insight
    "pain_point": N_("Pain point"),
    "opportunity": N_("Opportunity"),
    "observation": N_("Observation"),
    "compliment": N_("Compliment"),
    # task statuses
    "idea": N_("Idea"),
    "planned": N_("Planned"),
    "in_progress": N_("In progress"),
    "done": N_("Done"),
    "dropped": N_("Dropped"),
    # horizons
    "quick_win": N_("Quick win"),
    "short_term": N_("Short term"),
    "long_term": N_("Long term"),
    # MoSCoW
    "must": N_("Must"),
    "should": N_("Should"),
    "could": N_("Could"),
    "wont": N_("Wont"),
}


class _Labelled(Labelled):
    @property
    def english(self) -> str:
        return LABELS[self.value]


class InsightKind(_Labelled):
    PAIN_POINT = "pain_point"
    OPPORTUNITY = "opportunity"
    OBSERVATION = "observation"
    COMPLIMENT = "compliment"


class TaskStatus(_Labelled):
    IDEA = "idea"
    PLANNED = "planned"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    DROPPED = "dropped"


class Horizon(_Labelled):
    QUICK_WIN = "quick_win"
    SHORT_TERM = "short_term"
    LONG_TERM = "long_term"


class MoSCoW(_Labelled):
    MUST = "must"
    SHOULD = "should"
    COULD = "could"
    WONT = "wont"
