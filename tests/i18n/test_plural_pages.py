"""Polish plural forms on a page: the backlog counts its scored tasks (ngettext with the
backlog's own string) as 1 ocenione zadanie, 2 ocenione zadania, 5 ocenionych zadań, and
22 and 25 as Polish does; in English, 1 scored task and 2 scored tasks."""

from __future__ import annotations

import re

import pytest
from flask_babel import force_locale, ngettext

from tests import factories as f


def _count(client) -> str:
    page = client.get("/backlog").get_data(as_text=True)
    found = re.search(r'id="task-count"[^>]*>\s*([^<;,(]*)', page)
    assert found, "the backlog says how many tasks it ranks"
    return " ".join(found.group(1).split())


@pytest.mark.parametrize(
    "n, polish, english",
    [
        (1, "1 ocenione zadanie", "1 scored task"),
        (2, "2 ocenione zadania", "2 scored tasks"),
        (5, "5 ocenionych zadań", "5 scored tasks"),
    ],
)
def test_the_backlog_counts_its_tasks_in_polish_plural_forms(
    client, world, login, n, polish, english
):
    for i in range(n):
        f.make_task(world.workspace, f"Zadanie {i}", impact=3, effort=2)
    f.commit()
    login(world.viewer)
    assert _count(client).startswith(english)
    client.post("/account", data={"language": "pl", "time_zone": "Europe/Warsaw"})
    assert _count(client).startswith(polish)


def test_the_real_string_takes_each_polish_form(app):
    def counted(n):
        return ngettext("%(num)d scored task", "%(num)d scored tasks", n)

    with app.test_request_context(), force_locale("pl"):
        assert [counted(n) for n in (1, 2, 4, 5, 12, 22, 25)] == [
            "1 ocenione zadanie",
            "2 ocenione zadania",
            "4 ocenione zadania",
            "5 ocenionych zadań",
            "12 ocenionych zadań",
            "22 ocenione zadania",
            "25 ocenionych zadań",
        ]
