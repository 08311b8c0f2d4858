"""Translating without Flask: the pure modules that write words for people (the board's SVG
and print, the board's buttons, the analysis) take a `words` object with `gettext` and
`ngettext` (flask_babel itself is one: views pass it), and fall back to `ENGLISH`, the
source language, so tests, commands and benchmarks need no app. `N_` marks a string for the
catalog where it is defined and translated where it is shown (`make translations` extracts
it). Placeholders are named, as in Flask-Babel: `words.gettext("%(n)s steps", n=3)`;
`ngettext` also fills `%(num)d`."""

from __future__ import annotations

from typing import Any, Protocol

__all__ = ["ENGLISH", "N_", "Words"]


def N_(message: str) -> str:
    """A string for the catalog, left as it is here: it is translated where it is shown."""
    return message


class Words(Protocol):
    def gettext(self, string: str, **variables: Any) -> str: ...

    def ngettext(self, singular: str, plural: str, num: int, **variables: Any) -> str: ...


class _English:
    """The source language: each string as written, its placeholders filled."""

    @staticmethod
    def gettext(string: str, **variables: Any) -> str:
        return string % variables if variables else string

    @staticmethod
    def ngettext(singular: str, plural: str, num: int, **variables: Any) -> str:
        variables.setdefault("num", num)
        return (singular if num == 1 else plural) % variables


ENGLISH: Words = _English()
