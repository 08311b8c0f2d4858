"""Extension points: what packages above `blueprint` contribute to its pages, so that
`blueprint` never imports them.

A contributor is any object (a module will do) with the six functions of
`BlueprintContributor`. The backlog's is the module `backlog.contributions`, registered
once at app creation (`wsgi.register_extension_points` calls `register_contributor`).
It contributes:

- **pains** (`PainSource`): pain points with weights beyond the fail points (built in at
  weight 1) and the map's pain signals (built in, when the workspace weighs them): the
  backlog's pain-point insights, weighing severity × frequency, each with the causes the
  team confirmed for it. They enter the root-cause ranking in `blueprint.root_causes`;
- **annotations** (`AnnotationSource`): small badges on the board and element pages
  (insight markers, the tasks that change an element);
- **what is kept at elements** (`ElementDependents`), for the two ways elements go:
  deleting a step or a stage lists it on the confirmation page and keeps it, detached, or
  deletes it (`dependents`, `release`); a workbook update that removes steps describes it in
  its preview and detaches it before the steps go (`detach_notes`, `detach`). Either way
  the contributor records in the audit trail what the database's cascades would otherwise
  remove unseen. A step deleted on the board can be undone: the contributor writes down
  what `release(…, keep=True)` lets go of (`snapshot`, plain JSON-ready data) and puts it
  back once the step exists again (`restore`; see blueprint/undo.py).

The blueprint side calls only the functions below (`contributed_pains`, `annotations`,
`dependents_of`, `release_dependents`, `snapshot_dependents`, `restore_dependents`,
`what_removal_detaches`, `detach`); each asks every registered contributor in turn and
merges the answers.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

from flask import Flask, current_app, url_for
from flask_babel import gettext

__all__ = [
    "Annotation",
    "AnnotationSource",
    "BlueprintContributor",
    "Dependent",
    "ElementDependents",
    "Pain",
    "PAIN_KINDS",
    "PainSource",
    "annotations",
    "contributed_pains",
    "dependents_of",
    "detach",
    "register_contributor",
    "release_dependents",
    "restore_dependents",
    "snapshot_dependents",
    "what_removal_detaches",
]

_KEY = "rootline.blueprint_contributors"


@dataclass(frozen=True)
class Pain:
    """A pain point at an element, with the weight it passes to everything beneath it.

    Pains are built once per change of the workspace and shared by every request
    (blueprint.graph_cache), whoever built them (a page, a job), so a pain keeps the
    endpoint of its page (`link`) and `url` is worked out in the request that shows it."""

    element_id: Hashable
    weight: float
    label: str  # "Insight: Nobody confirms the order", "Fail point: Confirm order"
    link: tuple[str, tuple[tuple[str, Any], ...]] | None = None  # (endpoint, its arguments)
    # the elements the team confirmed as this pain's causes (blueprint.root_causes counts
    # them: confirmed causes rank first)
    confirms: tuple[Hashable, ...] = ()
    kind: str = "insight"  # PAIN_KINDS: where the pain was recorded
    # the label as an English message id and its values ("Insight: %(title)s", (("title",
    # "Nobody confirms"),)), so that `text` says it in the reader's language; a lazy
    # `label` (lazy_gettext) does the same without it
    words: tuple[str, tuple[tuple[str, Any], ...]] | None = None

    @property
    def text(self) -> str:
        """The label in the reader's language."""
        if self.words is None:
            return str(self.label)
        message, values = self.words
        return gettext(message, **dict(values))

    @property
    def url(self) -> str | None:
        if self.link is None:
            return None
        endpoint, arguments = self.link
        return url_for(endpoint, **dict(arguments))


@dataclass(frozen=True)
class Annotation:
    """A badge on an element's card and page."""

    label: str
    css: str = "text-bg-light border"
    url: str | None = None
    title: str | None = None


@dataclass(frozen=True)
class Dependent:
    """Something kept at elements that are about to be deleted, for the confirmation page."""

    label: str  # "Pain point: Nobody confirms the order"
    url: str | None = None
    details: tuple[str, ...] = field(default_factory=tuple)  # "2 why answers", …


PAIN_KINDS = ("fail_point", "insight", "emotion", "slow")  # the last two: pain signals


class PainSource(Protocol):
    def pains(self, workspace_id: int) -> Iterable[Pain]:
        """The workspace's pain points beyond its fail points and pain signals, each with
        the causes the team confirmed for it (pains at elements not in the workspace's
        graph are dropped by the caller)."""
        ...


class AnnotationSource(Protocol):
    def annotations(self, element_ids: list[int]) -> Mapping[int, list[Annotation]]:
        """Per element, the badges to show on it."""
        ...


class ElementDependents(Protocol):
    def dependents(self, element_ids: list[int]) -> Iterable[Dependent]:
        """What is kept at these elements, for the page that confirms their deletion."""
        ...

    def release(self, element_ids: list[int], keep: bool) -> None:
        """In the deleting transaction, before the elements go: detach what `dependents`
        listed (`keep`) or delete it. Flushes, never commits."""
        ...

    def snapshot(self, element_ids: list[int]) -> Any:
        """Before these steps are deleted on the board (with `release(…, keep=True)`):
        what is kept at them, as JSON-ready data for `restore`."""
        ...

    def restore(self, saved: Any) -> None:
        """When their deletion is undone and the steps exist again (with their own ids):
        put back what `snapshot` wrote down, leaving what changed since as it is now.
        Flushes, never commits."""
        ...

    def detach_notes(self, element_ids: list[int]) -> Mapping[int, list[str]]:
        """Per element a workbook update removes, what `detach` lets go of, in words."""
        ...

    def detach(self, blueprint_id: int, element_ids: list[int]) -> None:
        """Before a workbook update removes these steps of `blueprint_id`: let go of them,
        keeping the rows that pointed at them. Flushes, never commits."""
        ...


@runtime_checkable
class BlueprintContributor(PainSource, AnnotationSource, ElementDependents, Protocol):
    """Everything one package contributes to the blueprint (the backlog:
    `backlog.contributions`)."""


def register_contributor(app: Flask, contributor: BlueprintContributor) -> None:
    if not isinstance(contributor, BlueprintContributor):
        raise TypeError(f"{contributor!r} lacks a function of BlueprintContributor")
    app.extensions.setdefault(_KEY, []).append(contributor)


def _contributors() -> list[BlueprintContributor]:
    return current_app.extensions.get(_KEY, [])


def contributed_pains(workspace_id: int) -> list[Pain]:
    """Every contributor's pain points of the workspace (fail points are not among them)."""
    return [pain for c in _contributors() for pain in c.pains(workspace_id)]


def annotations(element_ids: list[int]) -> dict[int, list[Annotation]]:
    merged: dict[int, list[Annotation]] = {}
    if not element_ids:
        return merged
    for contributor in _contributors():
        for element_id, items in contributor.annotations(element_ids).items():
            merged.setdefault(element_id, []).extend(items)
    return merged


def dependents_of(element_ids: list[int]) -> list[Dependent]:
    """Everything kept at these elements by other packages, for the confirmation page."""
    if not element_ids:
        return []
    return [d for c in _contributors() for d in c.dependents(element_ids)]


def release_dependents(element_ids: list[int], keep: bool) -> None:
    """Before the elements are deleted: keep what hangs on them (detached) or delete it."""
    if element_ids:
        for contributor in _contributors():
            contributor.release(element_ids, keep)


def snapshot_dependents(element_ids: list[int]) -> list[Any]:
    """What every contributor keeps at these steps, one entry per contributor in order."""
    return [contributor.snapshot(element_ids) for contributor in _contributors()]


def restore_dependents(saved: list[Any]) -> None:
    """Put back what `snapshot_dependents` wrote down."""
    for contributor, data in zip(_contributors(), saved, strict=False):
        contributor.restore(data)


def what_removal_detaches(element_ids: list[int]) -> dict[int, list[str]]:
    """For a workbook update's preview: per removed step, what lets go of it."""
    merged: dict[int, list[str]] = {}
    if not element_ids:
        return merged
    for contributor in _contributors():
        for element_id, items in contributor.detach_notes(element_ids).items():
            merged.setdefault(element_id, []).extend(items)
    return merged


def detach(blueprint_id: int, element_ids: list[int]) -> None:
    """Before a workbook update removes steps: every contributor lets go of them."""
    if element_ids:
        for contributor in _contributors():
            contributor.detach(blueprint_id, element_ids)
