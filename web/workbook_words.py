"""The words a workbook is written in, for the pure workbook modules (workbooks/words.py):
the exporter's language for writing, every language Rootline speaks for reading.

Built here, with Flask-Babel's catalogs, because the workbook modules import no Flask. A view
builds it in the user's language; a job in the language its starter had when it was started
(the job runs under `force_locale`, jobs/runner.py), so an export made off the request is
written in the exporter's language too.
"""

from __future__ import annotations

from babel.numbers import format_decimal
from babel.support import NullTranslations
from flask import g
from flask_babel import force_locale, get_locale, get_translations

from web.i18n import DEFAULT_LANGUAGE, SUPPORTED_LANGUAGES
from workbooks.words import Translate, Words

__all__ = ["current_language", "translator", "workbook_words"]


def current_language() -> str:
    """The language of this request (the user's), or the one a job was forced into; a
    command's is the shell's (web.i18n.shell_language); English without an app."""
    language = str(get_locale() or DEFAULT_LANGUAGE).split("_")[0]
    return language if language in SUPPORTED_LANGUAGES else DEFAULT_LANGUAGE


def translator(language: str) -> Translate:
    """English words → `language`, from every catalog (untranslated words stay English)."""
    return _translations(language).gettext


def _translations(language: str):
    """Every catalog of `language` (Flask-Babel's, merged)."""
    if language == DEFAULT_LANGUAGE:
        return NullTranslations()
    babel_state = g.get("_flask_babel")
    forced = getattr(babel_state, "forced_babel_locale", None)
    with force_locale(language):
        translations = get_translations()
    if forced is not None:  # force_locale forgets an outer one (a job's) on its way out
        babel_state.forced_babel_locale = forced
    return translations


def workbook_words(language: str | None = None) -> Words:
    """Workbook words written in `language` (default: `current_language()`) and read in
    any supported language."""
    language = language if language in SUPPORTED_LANGUAGES else current_language()
    translations = _translations(language)
    return Words(
        translations.gettext,
        tuple(translator(lang) for lang in SUPPORTED_LANGUAGES),
        lambda n: format_decimal(n, locale=language),
        translations.ngettext,
        translations.pgettext,
    )
