"""The navigation bar every page shows: the main pages of the packages, once a workspace is
chosen, and what templates ask of the current user (`can_edit`, `has_endpoint`). The
packages name their pages (`NAV_LINKS` beside their Flask blueprints); create_app passes
them in (wsgi.register_template_context), so `accounts` imports none of them."""

from __future__ import annotations

from collections.abc import Iterable

from flask import Flask
from flask_babel import gettext
from flask_login import current_user

from accounts.security import can_edit, current_workspace


def register_navigation(app: Flask, links: Iterable[tuple[str, str]]) -> None:
    """`links` are (endpoint, label) in the bar's order; those the app lacks are left out.
    A label is a lazy string (`lazy_gettext`) or an English text from a catalog: either is
    shown in the reader's language."""
    nav_links = [(e, label) for e, label in links if e in app.view_functions]

    def shown(label) -> str:
        return gettext(label) if isinstance(label, str) else str(label)

    @app.context_processor
    def navigation():
        found = current_workspace() if current_user.is_authenticated else None
        return {
            "has_endpoint": app.view_functions.__contains__,
            "nav_links": [(e, shown(label)) for e, label in nav_links] if found else [],
            "nav_workspace": found[0] if found else None,
            "can_edit": can_edit,
        }
