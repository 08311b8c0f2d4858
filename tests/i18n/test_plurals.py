"""Polish has three plural forms (1 zadanie, 2 zadania, 5 zadań; 22 zadania, 25 zadań): every
Polish catalog says so in its header, choosing the form as Babel's Polish plural rules do."""

from __future__ import annotations

import gettext

import pytest
from babel import Locale

from tests.catalogs import polish
from web.i18n import DOMAINS

FORMS = {"one": 0, "few": 1, "many": 2}


@pytest.mark.parametrize("domain", DOMAINS)
def test_every_polish_catalog_chooses_the_plural_form_as_babel_does(domain):
    catalog = polish(domain)
    assert catalog.num_plurals == 3
    choose = gettext.c2py(catalog.plural_expr)
    rules = Locale.parse("pl").plural_form
    assert [choose(n) for n in range(300)] == [FORMS[rules(n)] for n in range(300)]
    assert [choose(n) for n in (1, 2, 4, 5, 12, 22, 25, 101, 112)] == [0, 1, 1, 2, 2, 1, 2, 2, 2]
