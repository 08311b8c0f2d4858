"""The user's language and time zone (Flask-Babel). English is the source language; the
Polish catalog lives in translations/pl and is compiled by `make install` (the Makefile's
translations target), so a fresh machine needs no hand step.

Which language a request gets: the signed-in user's own setting, else the language chosen
on the login page (a cookie), else the browser's Accept-Language, else English. A command
speaks the language of the shell it runs in, as gettext programs do (`shell_language`); a
job, its starter's (jobs/runner.py forces it). Times are stored in UTC and shown in the
user's time zone (their setting, else UTC)."""

from __future__ import annotations

import math
import os
from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo, available_timezones

from babel.dates import format_datetime as format_datetime_in
from flask import Flask, has_request_context, request
from flask_babel import (
    Babel,
    format_date,
    format_datetime,
    format_decimal,
    get_locale,
    get_timezone,
    gettext,
)
from flask_login import current_user

import clock
import pdfprint

SUPPORTED_LANGUAGES = ("en", "pl")
# Each language by its own name, as a switch shows it (never translated).
LANGUAGE_NAMES = {"en": "English", "pl": "Polski"}
DEFAULT_LANGUAGE = "en"
LANGUAGE_COOKIE = "rootline_lang"
TRANSLATIONS = Path(__file__).resolve().parent.parent / "translations"
# One catalog per area (translations/config/DOMAIN.cfg); a page's strings may come from any.
DOMAINS = ("messages", "blueprint", "backlog", "workbooks")
# Where a shell says its language, in gettext's order: the first one set wins.
SHELL_LANGUAGE_VARIABLES = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")

babel = Babel()


def shell_language(environ: Mapping[str, str] | None = None) -> str:
    """The language of the shell, from the first of LANGUAGE, LC_ALL, LC_MESSAGES and LANG
    that is set ("pl_PL.UTF-8" is Polish; LANGUAGE may list several, "pl:en", and the first
    one Rootline speaks is taken); English when it names none Rootline speaks (C, POSIX)."""
    environ = os.environ if environ is None else environ
    for variable in SHELL_LANGUAGE_VARIABLES:
        value = environ.get(variable, "").strip()
        if not value:
            continue
        for name in value.split(":"):
            language = name.split(".")[0].split("@")[0].replace("-", "_").split("_")[0]
            if language.lower() in SUPPORTED_LANGUAGES:
                return language.lower()
        return DEFAULT_LANGUAGE
    return DEFAULT_LANGUAGE


def select_language() -> str:
    if not has_request_context():  # a command: the shell's (a job forces its starter's)
        return shell_language()
    own = getattr(current_user, "language", None) if current_user else None
    if own in SUPPORTED_LANGUAGES:
        return own
    chosen = request.cookies.get(LANGUAGE_COOKIE)
    if chosen in SUPPORTED_LANGUAGES:
        return chosen
    return request.accept_languages.best_match(SUPPORTED_LANGUAGES) or DEFAULT_LANGUAGE


def select_time_zone() -> str | None:
    if not has_request_context():
        return None
    own = getattr(current_user, "time_zone", None) if current_user else None
    return own if own in time_zones() else None


@cache
def time_zones() -> frozenset[str]:
    """The IANA zones a user may choose (Europe/Warsaw…), without the database's aliases
    for the local clock."""
    return frozenset(z for z in available_timezones() if "/" in z or z == "UTC") - {"posixrules"}


def format_number(value: object) -> object:
    """A number, or a number's exact decimal text (a score as `format_score` rounds it,
    '2.68', with as many decimals), in the reader's language ('2,68'); anything else ('—')
    as it is."""
    if isinstance(value, str):
        try:
            number = Decimal(value)
        except InvalidOperation:
            return value
        if not number.is_finite() or "e" in value.lower():
            return value  # as format_score wrote it ('inf', '1e+15')
        places = -number.as_tuple().exponent
        # as many decimals as the text has ('2.00' stays two)
        return format_decimal(number, "#,##0." + "0" * places if places > 0 else "#,##0")
    if not isinstance(value, int | float | Decimal) or isinstance(value, bool):
        return value
    if not math.isfinite(value):
        return str(value)
    try:
        return format_decimal(value)
    except InvalidOperation:  # beyond what a decimal pattern rounds (1e308, saved long ago)
        return str(value)


def local_now() -> datetime:
    """Now on the reader's clock: in their time zone (their setting, a job's starter's,
    else UTC)."""
    return clock.utcnow().astimezone(get_timezone())


def local_today() -> date:
    """Today where the reader is: the date in their time zone (their setting, a job's
    starter's, else UTC), for what is due or overdue and the dates files say."""
    return local_now().date()


def file_stamp() -> str:
    """Now by the reader's clock as an exported file's name carries it ("20261203-0030"),
    so a file is named for the time its exporter saw."""
    return f"{local_now():%Y%m%d-%H%M}"


def local_zone() -> ZoneInfo:
    """The reader's time zone (their setting, a job's starter's, else UTC), for a moment
    worked out from their calendar: where their day starts, say."""
    return ZoneInfo(str(get_timezone() or "UTC"))


def format_day(value: date) -> str:
    """A date as the reader's language writes it ("Dec 2, 2026", "2 gru 2026")."""
    return format_date(value, "medium")


def format_when(value: datetime | None, zone: str | None = None) -> str:
    """A stored (UTC) time in the user's zone and language: the medium date and the short
    time, joined as the language joins them. `zone` (an IANA name) shows it in that zone
    instead of the reader's, for words written to someone else (an invitation's e-mail)."""
    if value is None:
        return ""
    locale = get_locale()
    pattern = locale.datetime_formats["medium"].format(
        locale.time_formats["short"].pattern, locale.date_formats["medium"].pattern
    )
    if zone:
        return format_datetime_in(value, pattern, tzinfo=ZoneInfo(zone), locale=locale)
    return format_datetime(value, pattern)


def register_i18n(app: Flask) -> None:
    app.config.setdefault("BABEL_DEFAULT_LOCALE", DEFAULT_LANGUAGE)
    app.config.setdefault("BABEL_DEFAULT_TIMEZONE", "UTC")
    app.config.setdefault("BABEL_DOMAIN", ";".join(DOMAINS))
    app.config.setdefault(
        "BABEL_TRANSLATION_DIRECTORIES", ";".join([str(TRANSLATIONS)] * len(DOMAINS))
    )
    babel.init_app(app, locale_selector=select_language, timezone_selector=select_time_zone)
    pdfprint.use_translator(gettext)  # a pure module: its messages through our catalogs

    # Templates format with Flask-Babel's filters, in the user's language and time zone:
    # `when|datetimeformat` (a stored UTC time shown in the user's zone), `day|dateformat`,
    # and `value|number` (2,5 in Polish, 2.5 in English; the stored value stays exact).
    app.jinja_env.filters["number"] = format_number
    # `when|when`: a stored time as people read it, in the user's zone ('2 gru 2026, 05:33',
    # 'Dec 2, 2026, 5:33 AM'); a day alone is `day|dateformat` ('2 gru 2026').
    app.jinja_env.filters["when"] = format_when

    @app.context_processor
    def language():
        return {
            "html_lang": str(get_locale() or DEFAULT_LANGUAGE),
            "language_names": LANGUAGE_NAMES,
        }
