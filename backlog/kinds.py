"""The backlog's words: kinds of insight, task statuses, horizons and MoSCoW. Plain enums,
no database; `backlog.models` re-exports them for the code that works with rows."""

from __future__ import annotations

from blueprint.kinds import Labelled

__all__ = ["Horizon", "InsightKind", "MoSCoW", "TaskStatus"]


class InsightKind(Labelled):
    PAIN_POINT = "pain_point"
    OPPORTUNITY = "opportunity"
    OBSERVATION = "observation"
    COMPLIMENT = "compliment"


class TaskStatus(Labelled):
    IDEA = "idea"
    PLANNED = "planned"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    DROPPED = "dropped"


class Horizon(Labelled):
    QUICK_WIN = "quick_win"
    SHORT_TERM = "short_term"
    LONG_TERM = "long_term"


class MoSCoW(Labelled):
    MUST = "must"
    SHOULD = "should"
    COULD = "could"
    WONT = "wont"
