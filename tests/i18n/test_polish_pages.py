"""Every page in Polish says so: each GET page of the app (the route walk of the access
matrix) for a Polish owner, and the public pages for a visitor who chose Polish, carry
lang="pl". (tests/i18n/test_catalog.py checks their words, as owner, editor and viewer.)"""

from __future__ import annotations

from tests.catalogs import not_polish, polish_pages, visible_text


def test_every_page_says_it_is_polish(app, client, world, login, bmap):
    pages = dict(polish_pages(app, client, world, login, "owner"))
    assert len(pages) >= 40
    assert not_polish(pages) == {}


def test_the_visible_text_is_what_people_read():
    page = """<html><head><title>Tablica</title><script>var x = "Save changes";</script>
    <style>.a{}</style></head><body><button title="Open the board">Otwórz</button>
    <input type="submit" value="Save the form"><p>Zapisz <b>zmiany</b></p></body></html>"""
    text = visible_text(page)
    assert "Save changes" not in text
    assert "Open the board" in text and "Save the form" in text and "Zapisz zmiany" in text
    assert not_polish({"/a": '<html lang="en">', "/b": '<html lang="pl">'}) == {"/a": "en"}
