"""The backlog, the matrix, a task, an insight and the summary in Polish: the words come from
the Polish catalog, counts take Polish plural forms, scores show a decimal comma while the
exact value stays in the page, and the English pages stay as they were."""

import re

import pytest

from backlog.models import TaskStatus
from tests import factories as f

PL = {"Accept-Language": "pl"}


def _count_line(page: str) -> str:
    return re.sub(r"\s+", " ", re.search(r'id="task-count">(.*?)</p>', page, re.S).group(1))


@pytest.mark.parametrize(
    ("tasks", "polish", "english"),
    [
        (1, "1 ocenione zadanie.", "1 scored task."),
        (2, "2 ocenione zadania.", "2 scored tasks."),
        (5, "5 ocenionych zadań.", "5 scored tasks."),
        (22, "22 ocenione zadania.", "22 scored tasks."),
        (25, "25 ocenionych zadań.", "25 scored tasks."),
    ],
)
def test_the_task_count_takes_polish_plural_forms(client, world, login, tasks, polish, english):
    for n in range(tasks):
        f.make_task(world.workspace, f"Task {n}", impact=3, effort=3)
    f.commit()
    login(world.viewer)
    assert _count_line(client.get("/backlog", headers=PL).get_data(as_text=True)) == polish
    assert _count_line(client.get("/backlog").get_data(as_text=True)) == english


def test_the_backlog_in_polish(client, world, login, bmap):
    f.make_task(world.workspace, "Fewer calls", impact=5, effort=2, status=TaskStatus.IN_PROGRESS)
    f.make_task(world.workspace, "Needs reach", impact=2, effort=4)
    f.commit()
    login(world.editor)
    page = client.get("/backlog?framework=rice", headers=PL).get_data(as_text=True)
    assert 'lang="pl"' in page
    for words in ("Backlog usprawnień", "Eksportuj do Excela", "Nakład pracy", "Ćwiartka"):
        assert words in page, words
    assert "Bez wyniku w RICE" in page and ", 2 bez wyniku w RICE" in _count_line(page)
    assert "W toku" in page and "Pomysł" in page  # statuses
    assert "Szybka wygrana" in page and "Niewdzięczne zadanie" in page  # quadrants
    for english in ("Improvement backlog", "Export to Excel", "Quick win", "In progress"):
        assert english not in page, english

    page = client.get("/backlog", headers=PL).get_data(as_text=True)
    # 5 ÷ 2: the page says 2,50, the exact score stays underneath
    assert re.search(r'data-score="2.5"><strong>2,50</strong>', page)
    english = client.get("/backlog").get_data(as_text=True)
    assert re.search(r'data-score="2.5"><strong>2.50</strong>', english)


def test_a_task_and_its_explanation_in_polish(client, world, login, bmap):
    pain = f.make_insight(world.workspace, "Slow", bmap.buyer, severity=4, frequency=4)
    task = f.make_task(world.workspace, "Faster desk", [pain], impact=3, effort=2)
    f.commit()
    login(world.editor)
    page = client.get(f"/tasks/{task.id}", headers=PL).get_data(as_text=True)
    assert "Sugerowany wpływ według grafu" in page
    assert "Leży pod 1 problemem. Są na 1 ścieżce klienta." in page
    assert "Wartość ÷ nakład pracy" in page and "<strong>1,50</strong>" in page
    assert "It sits under" not in page and "Value ÷ effort" not in page


def test_a_scoring_rule_is_named_in_polish(client, world, login):
    login(world.editor)
    data = {"title": "T", "status": "idea", "impact": "3", "effort": "3", "ice_ease": "11"}
    page = client.post("/tasks/new", data=data, headers=PL).get_data(as_text=True)
    assert "Łatwość ICE musi mieścić się w przedziale od 1 do 10." in page
    page = client.post("/tasks/new", data={**data, "ice_ease": "", "job_size": "0"}, headers=PL)
    assert "Rozmiar pracy musi mieć wartość większą od 0." in page.get_data(as_text=True)


def test_the_matrix_and_the_summary_in_polish(client, world, login, bmap):
    pain = f.make_insight(world.workspace, "Slow", bmap.buyer, severity=4, frequency=4)
    f.make_task(world.workspace, "Faster desk", [pain], [bmap.desk], impact=4, effort=2)
    f.commit()
    login(world.viewer)
    matrix = client.get("/backlog/matrix", headers=PL).get_data(as_text=True)
    assert "Macierz wpływu i nakładu pracy" in matrix
    assert "Wpływ 4 · nakład pracy 2" in matrix  # the tooltip, measured in Polish
    assert ">Uzupełnienie</text>" in matrix and ">Fill-in</text>" not in matrix
    summary = client.get(f"/blueprints/{bmap.blueprint.id}/summary", headers=PL)
    text = summary.get_data(as_text=True)
    assert "Mapa usługi · stan obecny · podsumowanie z" in text
    assert "Najdotkliwsze problemy" in text and "The worst pain points" not in text
    assert "Najważniejsze zadania według Wartość ÷ nakład pracy" in text
