"""The translation catalogs as tests read them: every string the code and templates mark for
translation (Babel's own extraction, with the mapping of translations/config/DOMAIN.cfg that
`make translations` uses), and the Polish catalog of each area; and every page of the app as
a Polish user reads it (the route walk of the access matrix, and the text people see)."""

from __future__ import annotations

import re
from functools import cache
from html.parser import HTMLParser
from pathlib import Path

from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po
from flask_babel import force_locale, gettext

from accounts.models import User
from extensions import db
from jobs.models import Job
from tests.helpers import every_route, fresh_ids, route_url
from web.i18n import DOMAINS

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "translations"
# as the Makefile's translations target passes them to pybabel extract
KEYWORDS = {
    **DEFAULT_KEYWORDS,
    "_l": None,
    "lazy_gettext": None,
    "lazy_ngettext": (1, 2),
    "N_plural": (1, 2),
}


@cache
def extracted(domain: str) -> dict[str | tuple[str, ...], list[str]]:
    """Each message id of `domain` (a plural's is the tuple of its forms) and where it is; a
    message with a context (pgettext) is keyed "context\x04id", as gettext keeps it."""
    with open(TRANSLATIONS / "config" / f"{domain}.cfg") as cfg:
        method_map, options_map = parse_mapping_cfg(cfg, cfg.name)
    found: dict[str | tuple[str, ...], list[str]] = {}
    for filename, lineno, message, _comments, _context in extract_from_dir(
        ROOT, method_map, options_map, keywords=KEYWORDS
    ):
        if isinstance(message, tuple):
            message = tuple(m for m in message if m)
            if len(message) == 1:
                message = message[0]
        if message and _context:
            message = f"{_context}\x04{message}"
        if message:
            found.setdefault(message, []).append(f"{filename}:{lineno}")
    return found


@cache
def polish(domain: str):
    with open(TRANSLATIONS / "pl" / "LC_MESSAGES" / f"{domain}.po", "rb") as po:
        return read_po(po, locale="pl", domain=domain)


def catalog_problems(domain: str) -> list[str]:
    """What the Polish catalog of `domain` lacks: strings missing, untranslated or fuzzy."""
    catalog = polish(domain)
    problems = []
    for message, where in sorted(extracted(domain).items(), key=lambda kv: str(kv[0])):
        key = message[0] if isinstance(message, tuple) else message
        context, _, key = key.rpartition("\x04")
        entry = catalog.get(key, context=context or None)
        if entry is None:
            problems.append(f"missing: {message!r} ({where[0]})")
        elif entry.fuzzy:
            problems.append(f"fuzzy: {message!r} ({where[0]})")
        elif isinstance(message, tuple) and (
            not isinstance(entry.string, tuple)
            or len(entry.string) != catalog.num_plurals
            or not all(entry.string)
        ):
            problems.append(f"plural forms not all translated: {message!r} ({where[0]})")
        elif not (all(entry.string) if isinstance(entry.string, tuple) else entry.string):
            problems.append(f"untranslated: {message!r} ({where[0]})")
    return problems


PLACEHOLDER = re.compile(r"%\([^)]*\)[sdifg]|%[sdifg]|\{[^}]*\}|<[^>]*>|\s*\n\s*")


@cache
def english_phrases() -> frozenset[str]:
    """The English UI phrases a Polish page must not show: each message id cut at its
    placeholders and markup, the pieces of two words or more, less any the Polish
    catalogs use too (a name, an abbreviation kept as it is)."""
    polish_text = " ".join(
        " ".join(m.string) if isinstance(m.string, tuple) else m.string or ""
        for domain in DOMAINS
        for m in polish(domain)
        if m.id
    )
    phrases = set()
    for domain in DOMAINS:
        for message in extracted(domain):
            for text in message if isinstance(message, tuple) else (message,):
                for piece in PLACEHOLDER.split(text.rpartition("\x04")[2]):
                    piece = " ".join(piece.split()).strip(" .,:;·()—–-")
                    if len(re.findall(r"[A-Za-z]{2,}", piece)) >= 2 and piece not in polish_text:
                        phrases.add(piece)
    return frozenset(phrases)


# --- every page, in Polish ---------------------------------------------------------------

SKIPPED = {"static", "bootstrap.static", "healthz"}
# attributes people read or hear: tooltips, names for screen readers, confirmations
READ_ATTRIBUTES = {"title", "aria-label", "placeholder", "alt", "data-confirm"}


class VisibleText(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._hidden += 1
        a = dict(attrs)
        self.parts += [v for k, v in attrs if k in READ_ATTRIBUTES and v]
        if tag == "input" and a.get("type") in ("submit", "button") and a.get("value"):
            self.parts.append(a["value"])

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._hidden = max(0, self._hidden - 1)

    def handle_data(self, data):
        if not self._hidden:
            self.parts.append(data)


def visible_text(page: str) -> str:
    parser = VisibleText()
    parser.feed(page)
    return " ".join(" ".join(parser.parts).split())


def polish_pages(app, client, world, login, who):
    """(url, html) of every GET page `who` is shown, in Polish."""
    user = getattr(world, who)
    db.session.get(User, user.id).language = "pl"
    db.session.commit()
    ids = fresh_ids(world, user)
    # the walk's job as a Polish user's start leaves it: its label in the starter's words
    with force_locale("pl"):
        label = gettext("Action plan export")
    db.session.get(Job, ids["job_id"]).label = label
    db.session.commit()
    login(user)
    for rule, method in every_route(app):
        if method != "GET" or rule.endpoint in SKIPPED:
            continue
        url = route_url(app, rule, ids)
        response = client.get(url)
        if response.status_code == 200 and response.mimetype == "text/html":
            yield url, response.get_data(as_text=True)
    client.post("/logout")
    client.set_cookie("rootline_lang", "pl")  # the visitor who chose Polish on the login page
    for url in ("/login", f"/s/{ids['share_token']}/", f"/join/{ids['token']}"):
        response = client.get(url)
        assert response.status_code == 200, url
        yield url, response.get_data(as_text=True)


def not_polish(pages: dict[str, str]) -> dict[str, str | None]:
    """The pages whose <html lang> is not "pl", with what they say instead."""
    langs = {url: re.search(r'<html lang="([^"]*)"', page) for url, page in pages.items()}
    return {url: m and m.group(1) for url, m in langs.items() if not m or m.group(1) != "pl"}


def homonyms() -> dict[str, dict[str, str]]:
    """Each message id without a context that two areas' Polish catalogs translate
    differently → its Polish word per area. The catalogs are merged at run time (one area's
    word replaces the others'), so every such word is wrong in all but one place."""
    said: dict[str, dict[str, str]] = {}
    for domain in DOMAINS:
        for message in polish(domain):
            if message.id and not message.context and message.string:
                key = message.id if isinstance(message.id, str) else message.id[0]
                said.setdefault(key, {})[domain] = str(message.string)
    return {key: words for key, words in said.items() if len(set(words.values())) > 1}
