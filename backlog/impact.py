"""Suggested impact of a task from the graph. Pure: plain values in.

The pain a task addresses is the severity × frequency of the insights it addresses plus
those whose element relies on one of the task's targets (or sits on one): fixing a cause
helps every pain above it. Mapped onto 1–5 against the workspace's largest cause. A task
that addresses no pain (only opportunities, observations or compliments, or nothing above
its targets) gets no suggestion, and the reason, instead of the lowest impact.

What relies on the targets comes from the root-cause ranking, which already knows the pain
points above every element (`blueprint.root_causes.RootCauses.pains_reached`), so a
suggestion costs what it counts, not a search of the graph.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from backlog.scoring import suggested_impact

PainRow = tuple[Hashable, Hashable | None, Hashable | None, float]


@dataclass(frozen=True)
class PainIndex:
    """The workspace's pain-point insights as (insight id, element id, blueprint id,
    weight), by insight and by element. Read-only: it is shared (blueprint.graph_cache)."""

    by_insight: Mapping[Hashable, PainRow] = field(default_factory=dict)
    by_element: Mapping[Hashable, tuple[PainRow, ...]] = field(default_factory=dict)

    @classmethod
    def of(cls, rows: Iterable[PainRow]) -> PainIndex:
        by_insight: dict[Hashable, PainRow] = {}
        by_element: dict[Hashable, list[PainRow]] = {}
        for row in rows:
            by_insight[row[0]] = row
            if row[1] is not None:
                by_element.setdefault(row[1], []).append(row)
        return cls(
            MappingProxyType(by_insight),
            MappingProxyType({e: tuple(found) for e, found in by_element.items()}),
        )


def N_(message: str) -> str:
    """Marks a message for the catalogs (babel extracts ``N_``); the page translates it."""
    return message


def N_plural(singular: str, plural: str) -> tuple[str, str]:
    """Marks a message and its plural for the catalogs as one entry with its plural forms
    (babel extracts ``N_plural:1,2``), which the page's ngettext finds."""
    return singular, plural


# Why a task has no suggested impact, or what it sits under: messages for the catalogs,
# translated by the page (`Suggestion.reason`). Each is (singular, plural or None, count
# or None, values): a plural message goes through ngettext with its count as ``num``.
Message = tuple[str, str | None, int | None, dict[str, str]]
NO_PAIN_ADDRESSED = N_(
    "No impact suggested: the insights it addresses are opportunities, observations or "
    "compliments, which carry no pain, and no recorded pain relies on what it changes."
)
NO_PAIN_ABOVE = N_("No impact suggested: no recorded pain sits above it yet.")
UNDER_PAINS = N_plural("It sits under %(num)s pain point.", "It sits under %(num)s pain points.")
IN_JOURNEYS = N_plural("They are in %(num)s journey.", "They are in %(num)s journeys.")
AGAINST_LARGEST = N_("Their pain is %(pain)s against the largest cause's %(largest)s.")


@dataclass(frozen=True)
class Suggestion:
    impact: int | None  # None: no pain is addressed, so nothing to suggest (`reason` says why)
    pain: float
    pain_points: int
    journeys: int
    largest: float
    insights: tuple[Hashable, ...] = ()  # the pain insights counted, addressed or reached
    without_pain: int = 0  # insights it addresses that carry no pain (opportunities, …)

    @property
    def reason(self) -> list[Message]:
        """The explanation as messages, for the page to translate (`explanation` in
        English)."""
        if self.impact is None:
            return [(NO_PAIN_ADDRESSED if self.without_pain else NO_PAIN_ABOVE, None, None, {})]
        return [
            (*UNDER_PAINS, self.pain_points, {}),
            (*IN_JOURNEYS, self.journeys, {}),
            (
                AGAINST_LARGEST,
                None,
                None,
                {"pain": f"{self.pain:g}", "largest": f"{self.largest:g}"},
            ),
        ]

    @property
    def explanation(self) -> str:
        """The explanation in English (`reason`, untranslated)."""
        return " ".join(render(message) for message in self.reason)


def render(message: Message, gettext=None, ngettext=None) -> str:
    """One message of `Suggestion.reason` as text, through the given gettext and ngettext
    (untranslated without them)."""
    singular, plural, count, values = message
    if plural is not None:
        if ngettext is not None:
            return ngettext(singular, plural, count, **values)
        return (singular if count == 1 else plural) % {"num": count, **values}
    if gettext is not None:
        return gettext(singular, **values)
    return singular % values if values else singular


def suggest(
    pains: PainIndex,
    addressed: Iterable[Hashable],
    reached: Iterable[Hashable],
    largest: float,
) -> Suggestion:
    """The suggestion for a task addressing the insights `addressed` whose targets are
    relied on by the elements `reached` (the targets themselves among them). A task that
    addresses no pain (only opportunities or observations, or nothing) gets no suggested
    impact (None) rather than the lowest: there is nothing to weigh."""
    addressed = list(addressed)
    chosen = {pains.by_insight[i] for i in addressed if i in pains.by_insight}
    without_pain = sum(1 for i in dict.fromkeys(addressed) if i not in pains.by_insight)
    for element in reached:
        chosen.update(pains.by_element.get(element, ()))
    ordered = sorted(chosen, key=lambda p: p[0])  # by insight id
    pain = float(sum(p[3] for p in ordered))
    journeys = len({p[2] for p in ordered if p[2] is not None})
    return Suggestion(
        suggested_impact(pain, largest) if pain > 0 else None,
        pain,
        len(ordered),
        journeys,
        largest,
        tuple(p[0] for p in ordered),
        without_pain,
    )
