"""The Polish catalog is complete: every string the code and templates mark for translation
is in the catalog of its area, translated (every plural form) and not fuzzy, so a new
English string without its Polish twin fails here; and no page shown in Polish, to its
owner, editor or viewer, carries an English phrase of the catalogs (user data aside: the
phrases are the catalogs' own, two words or more)."""

from __future__ import annotations

import pytest

from tests.catalogs import (
    catalog_problems,
    english_phrases,
    extracted,
    homonyms,
    not_polish,
    polish_pages,
    visible_text,
)
from web.i18n import DOMAINS


@pytest.mark.parametrize("domain", DOMAINS)
def test_every_string_has_its_polish_translation(domain):
    assert extracted(domain), f"nothing extracted for {domain}: the mapping is broken"
    problems = catalog_problems(domain)
    assert problems == [], f"{len(problems)} strings of {domain}:\n" + "\n".join(problems)


def test_no_english_word_has_two_polish_words_without_a_context():
    # merged, one of them would show in the other's place: give each use a pgettext context
    assert homonyms() == {}


@pytest.mark.parametrize("who", ["owner", "editor", "viewer"])
def test_no_polish_page_shows_an_english_phrase(app, client, world, login, bmap, who):
    phrases = english_phrases()
    assert len(phrases) > 50
    pages = dict(polish_pages(app, client, world, login, who))
    assert len(pages) >= 25
    assert not_polish(pages) == {}
    found = {}
    for url, page in pages.items():
        text = visible_text(page)
        if english := sorted(p for p in phrases if p in text):
            found[url] = english
    assert found == {}, "English on Polish pages:\n" + "\n".join(
        f"{url}: {english}" for url, english in sorted(found.items())
    )
