"""What other packages keep at elements, for deleting them: the blueprint's confirmation
pages list it, and the user chooses to keep it (detached from the element) or delete it.

The backlog keeps insights at elements, with their why-chains, confirmed causes and the
tasks that address them. `blueprint` never imports `backlog`, so the backlog registers a
provider at app creation (see wsgi.register_extension_points), as it does for pains:

- `find(element_ids)` lists what is kept at those elements, as plain `Dependent`s;
- `release(element_ids, keep)` runs in the deleting transaction before the elements go:
  it detaches what `find` listed (keep=True) or deletes it (keep=False), and records in the
  audit trail everything that changes with the elements (links of tasks, confirmed causes),
  which the database would otherwise remove silently by its cascades.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from flask import Flask, current_app


@dataclass(frozen=True)
class Dependent:
    label: str  # "Pain point: Nobody confirms the order"
    url: str | None = None
    details: tuple[str, ...] = field(default_factory=tuple)  # "2 why answers", …


Find = Callable[[list[int]], Iterable[Dependent]]
Release = Callable[[list[int], bool], None]
_KEY = "rootline.element_dependents"


def register_dependents(app: Flask, find: Find, release: Release) -> None:
    app.extensions.setdefault(_KEY, []).append((find, release))


def dependents_of(element_ids: list[int]) -> list[Dependent]:
    """Everything kept at these elements by other packages, for the confirmation page."""
    if not element_ids:
        return []
    return [d for find, _ in current_app.extensions.get(_KEY, []) for d in find(element_ids)]


def release_dependents(element_ids: list[int], keep: bool) -> None:
    """Before the elements are deleted: keep what hangs on them (detached) or delete it."""
    if element_ids:
        for _, release in current_app.extensions.get(_KEY, []):
            release(element_ids, keep)
