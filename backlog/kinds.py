"""The backlog's words: kinds of insight, task statuses, horizons and MoSCoW. Plain enums,
no database; `backlog.models` re-exports them for the code that works with rows.

A member's `english` is its English name (LABELS, which `N_` marks for the catalog, `make
translations`): pages show it in the reader's language, `gettext(member.english)`, at
render time; this module stays pure."""

from __future__ import annotations

from blueprint.kinds import Labelled

__all__ = [
    "FIELD_WORDS",
    "LABELS",
    "Horizon",
    "InsightKind",
    "MoSCoW",
    "N_",
    "TaskStatus",
    "VALUE_WORDS",
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


# The fields of the backlog's rows as the activity feed names them when they change
# (accounts.audit_words.register_field_words, at app creation).
FIELD_WORDS = {
    "element_id": N_("Element"),
    "insight_id": N_("Insight"),
    "kind": N_("Kind"),
    "title": N_("Title"),
    "description": N_("Description"),
    "severity": N_("Severity"),
    "frequency": N_("Frequency"),
    "evidence_source": N_("Evidence source"),
    "evidence_reference": N_("Evidence reference"),
    "observed_on": N_("Observed on"),
    "author_id": N_("Author"),
    "status": N_("Status"),
    "owner_id": N_("Owner"),
    "team": N_("Team"),
    "due_on": N_("Due date"),
    "horizon": N_("Horizon"),
    "moscow": N_("MoSCoW"),
    "pinned": N_("Pinned"),
    "impact": N_("Impact"),
    "effort": N_("Effort"),
    "reach": N_("RICE reach"),
    "rice_impact": N_("RICE impact"),
    "confidence": N_("RICE confidence"),
    "effort_months": N_("RICE effort (person-months)"),
    "ice_impact": N_("ICE impact"),
    "ice_confidence": N_("ICE confidence"),
    "ice_ease": N_("ICE ease"),
    "business_value": N_("WSJF business value"),
    "time_criticality": N_("WSJF time criticality"),
    "risk_reduction": N_("WSJF risk reduction / opportunity enablement"),
    "job_size": N_("WSJF job size"),
    "framework": N_("Default framework"),
    "quadrant_threshold": N_("Quadrant threshold (1–5)"),
    "why_step.position": N_("Step of the why-chain"),
    "why_step.answer": N_("Why?"),
    # what the backlog records itself (its link tables are written in bulk)
    "insights": N_("Insights it addresses"),
    "targets": N_("Elements it changes"),
    "confirmed_causes": N_("Confirmed causes"),
    "causes": N_("Confirmed causes"),
    "alias": N_("Alias"),
    "category": N_("Category"),
}


# The stored values of the backlog's coded fields as the activity feed says them when they
# change: the pages' labels (accounts.audit_words.register_value_words, at app creation; the
# default framework's words are backlog.scoring's).
VALUE_WORDS = {
    "insight.kind": {k.value: k.english for k in InsightKind},
    "improvement_task.status": {s.value: s.english for s in TaskStatus},
    "horizon": {h.value: h.english for h in Horizon},
    "moscow": {m.value: m.english for m in MoSCoW},
}
