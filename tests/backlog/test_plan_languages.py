"""The action plan in the exporter's language, read back in any: a Polish plan says its
sheets, headers, words, lists and About in Polish; Polish status words, an English
colleague's edits in a Polish plan and both languages mixed in one file all import; problems
are said in the reader's language; and the export job writes its starter's language."""

import io
import re
import uuid

import pytest
from flask_babel import force_locale
from openpyxl import load_workbook
from sqlalchemy import select

from accounts.models import Workspace
from backlog import plan_file, updates
from backlog.export import action_plan_bytes
from backlog.kinds import Horizon, InsightKind, MoSCoW, TaskStatus
from backlog.models import ImprovementTask
from backlog.scoring import QUADRANTS
from backlog.workbook import (
    HORIZON_WORDS,
    INPUT_WORDS,
    MOSCOW_WORDS,
    QUADRANT_WORDS,
    STATUS_WORDS,
    plan_headers,
)
from blueprint.kinds import EvidenceSource
from demo import DEMO_WORKSPACE, seed_demo
from extensions import db
from tests import factories as f
from tests.helpers import finished_job
from tests.libreoffice import convert, soffice
from web.workbook_words import workbook_words
from workbooks.words import fold

PL_SHEETS = ["Plan działań", "Listy", "Spostrzeżenia", "Przyczyny źródłowe", "Macierz", "O pliku"]


def polish_plan(workspace, framework="value_effort") -> bytes:
    return action_plan_bytes(workspace, framework, words=workbook_words("pl"))


def reimport(workspace, content: bytes, reader="en") -> updates.Preview:
    """Read and preview `content` as a user of the `reader` language does."""
    with force_locale(reader):
        rows, problems = updates.read_rows(content)
        assert [str(p) for p in problems] == []
        return updates.preview(workspace.id, updates.from_payload(updates.to_payload(rows)))


def columns(ws) -> dict[str, int]:
    return {c.value: c.column for c in ws[1]}


def saved(wb) -> bytes:
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


@pytest.fixture
def plan_tasks(world):
    a = f.make_task(world.workspace, "Zażółć gęślą jaźń", impact=4, effort=2, pinned=True)
    b = f.make_task(world.workspace, "ŻÓŁW Ćma Źdźbło", impact=2, effort=4, status="planned")
    f.commit()
    return a, b


def test_a_polish_plan_is_written_in_polish(app, world, plan_tasks):
    wb = load_workbook(io.BytesIO(polish_plan(world.workspace)))
    assert wb.sheetnames == PL_SHEETS
    ws = wb["Plan działań"]
    header = [c.value for c in ws[1]]
    assert header[:11] == ["Pozycja", "Zadanie", "Status", "Właściciel", "Zespół", "Termin",
                           "Horyzont", "MoSCoW", "Ćwiartka", "Wpływ", "Nakład pracy"]  # fmt: skip
    assert {"Wynik", "ID zadania", "Wersja", "Przypięte", "Opis"} <= set(header)
    col = columns(ws)
    rows = {ws.cell(r, 2).value: r for r in range(2, ws.max_row + 1)}
    zazolc = rows["Zażółć gęślą jaźń"]  # diacritics survive, capitals too
    assert "ŻÓŁW Ćma Źdźbło" in rows
    assert ws.cell(zazolc, col["Status"]).value == "Pomysł"
    assert ws.cell(rows["ŻÓŁW Ćma Źdźbło"], col["Status"]).value == "Zaplanowane"
    assert ws.cell(zazolc, col["Przypięte"]).value == "tak"
    assert ws.cell(zazolc, col["Ćwiartka"]).value == "Szybka wygrana"
    assert ws.cell(zazolc, col["Wynik"]).data_type == "f"  # a formula in either language
    lists = [[c for c in row if c] for row in wb["Listy"].iter_cols(values_only=True)]
    assert lists[0] == ["Pomysł", "Zaplanowane", "W toku", "Zrobione", "Porzucone"]
    assert lists[1] == ["Szybka wygrana", "Krótki termin", "Długi termin"]
    assert lists[2] == ["Musi", "Powinno", "Może", "Nie teraz"]
    validations = {str(dv.sqref): dv for dv in ws.data_validations.dataValidation}
    status = validations[f"C2:C{ws.max_row}"]
    assert status.formula1 == "Listy!$A$1:$A$5"
    assert status.errorTitle == "Nieznana wartość: Status"
    rule = ws.conditional_formatting
    formulas = [r.formula[0] for cf in rule for r in cf.rules if r.formula]
    assert any('"Zrobione"' in x and '"Done"' in x for x in formulas)  # late: either word
    about = {r[0]: r[1] for r in wb["O pliku"].iter_rows(values_only=True)}
    assert about["Metoda oceny"] == "Wartość ÷ nakład pracy"
    assert about["Kolejność"].startswith("Najpierw zadania przypięte")
    assert wb["Macierz"]["A1"].value.startswith("Wpływ względem nakładu pracy")
    assert wb["Plan działań"].oddFooter.center.text == "&A — strona &P"


def test_english_stays_english(app, world, plan_tasks):
    wb = load_workbook(io.BytesIO(action_plan_bytes(world.workspace, "value_effort")))
    assert wb.sheetnames == ["Action plan", "Lists", "Insights", "Root causes", "Matrix", "About"]
    assert [c.value for c in wb["Action plan"][1]][:3] == ["Rank", "Task", "Status"]


def test_polish_status_words_and_an_english_colleagues_edits_import(app, world, plan_tasks):
    a, b = plan_tasks
    wb = load_workbook(io.BytesIO(polish_plan(world.workspace)))
    ws = wb["Plan działań"]
    col = columns(ws)
    rows = {ws.cell(r, col["ID zadania"]).value: r for r in range(2, ws.max_row + 1)}
    ws.cell(rows[a.id], col["Status"]).value = "W toku"
    ws.cell(rows[a.id], col["Horyzont"]).value = "  długi   TERMIN "  # any case and spacing
    ws.cell(rows[a.id], col["Przypięte"]).value = "nie"
    ws.cell(rows[b.id], col["Status"]).value = "Done"  # an English colleague's words
    ws.cell(rows[b.id], col["MoSCoW"]).value = "Won't"
    ws.cell(rows[b.id], col["Przypięte"]).value = "yes"
    result = reimport(world.workspace, saved(wb), reader="en")
    assert result.problems == []
    found = {(c.task.id, label, new) for c in result.changes for label, _, new in c.changes}
    assert found == {
        (a.id, "Status", "In progress"),
        (a.id, "Horizon", "Long term"),
        (a.id, "Pinned", "no"),
        (b.id, "Status", "Done"),
        (b.id, "MoSCoW", "Wont"),
        (b.id, "Pinned", "yes"),
    }
    # the same file previewed by a Polish reader: the changes in Polish
    result = reimport(world.workspace, saved(wb), reader="pl")
    found = {(c.task.id, label, new) for c in result.changes for label, _, new in c.changes}
    assert (a.id, "Status", "W toku") in found and (b.id, "MoSCoW", "Nie teraz") in found
    updates.apply(result)
    db.session.flush()
    assert db.session.get(ImprovementTask, a.id).status is TaskStatus.IN_PROGRESS
    assert db.session.get(ImprovementTask, b.id).moscow is MoSCoW.WONT


def test_both_languages_mixed_in_one_file_import(app, world, plan_tasks):
    """An English plan whose sheet and half its headers were renamed in Polish, with Polish
    and English words in the same column: every cell is read, nothing is changed."""
    a, b = plan_tasks
    wb = load_workbook(io.BytesIO(action_plan_bytes(world.workspace, "value_effort")))
    ws = wb["Action plan"]
    ws.title = "Plan działań"
    polish = workbook_words("pl")
    col = columns(ws)
    for name in ("Status", "Horizon", "Pinned", "Task ID", "Due", "Effort"):
        ws.cell(1, col[name]).value = polish(name)
    rows = {ws.cell(r, col["Task ID"]).value: r for r in range(2, ws.max_row + 1)}
    ws.cell(rows[a.id], col["Status"]).value = "Pomysł"  # unchanged, in Polish
    ws.cell(rows[a.id], col["Pinned"]).value = "TAK"
    ws.cell(rows[b.id], col["Status"]).value = "planned"  # its code
    result = reimport(world.workspace, saved(wb))
    assert (result.problems, result.changes, result.rows) == ([], [], 2)
    ws.cell(rows[b.id], col["Status"]).value = "Zrobione"
    ws.cell(rows[b.id], col["Effort"]).value = 5
    result = reimport(world.workspace, saved(wb))
    found = {(c.task.id, label, new) for c in result.changes for label, _, new in c.changes}
    assert found == {(b.id, "Status", "Done"), (b.id, "Effort", 5)}


def test_problems_are_said_in_the_readers_language(app, world, plan_tasks):
    a, _ = plan_tasks
    wb = load_workbook(io.BytesIO(action_plan_bytes(world.workspace, "value_effort")))
    ws = wb["Action plan"]
    col = columns(ws)
    ws.cell(2, col["Status"]).value = "Może kiedyś"
    ws.cell(2, col["Pinned"]).value = "perhaps"
    ws.cell(2, col["Impact"]).value = 9
    result = reimport(world.workspace, saved(wb), reader="pl")
    assert sorted(str(p) for p in result.problems) == [
        "Plan działań, wiersz 2, kolumna Przypięte: 'perhaps' to ani „tak”, ani „nie”",
        "Plan działań, wiersz 2, kolumna Status: 'Może kiedyś' nie jest statusem",
        "Plan działań, wiersz 2, kolumna Wpływ: musi być liczbą całkowitą od 1 do 5",
    ]
    del wb["Action plan"]
    problems = plan_file.check_structure(saved(wb), workbook_words("pl"))
    assert [p.message for p in problems] == ["brak arkusza"]
    assert problems[0].sheet == "Plan działań"


def test_every_word_of_the_plan_is_known_and_unambiguous(app):
    """The marked words cover the enums they stand for, and no two words of the plan read
    the same in any language (or a Polish word could be read as another English one)."""
    assert list(STATUS_WORDS) == [s.label for s in TaskStatus]
    assert list(HORIZON_WORDS) == [h.label for h in Horizon]
    assert list(MOSCOW_WORDS) == [m.label for m in MoSCoW]
    assert list(QUADRANT_WORDS) == list(QUADRANTS.values())
    assert set(INPUT_WORDS) <= set(plan_headers("rice"))
    words = workbook_words("pl")
    for group in (plan_file.HEADERS, STATUS_WORDS, HORIZON_WORDS, MOSCOW_WORDS):
        forms = [fold(form) for word in group for form in words.forms(word)]
        seen: dict[str, str] = {}
        for word in group:
            for form in words.forms(word):
                assert seen.setdefault(fold(form), word) == word, (form, word)
        assert len(set(forms)) <= len(forms)
        assert all(words(w) != w or w in ("Status", "MoSCoW", "CRM") for w in group), group
    assert {words(k.label) for k in InsightKind} == {"Problem", "Szansa", "Obserwacja", "Pochwała"}
    assert all(words(s.label) for s in EvidenceSource)


def test_the_export_job_writes_its_starters_language(client, world, login, plan_tasks):
    login(world.viewer)
    started = client.post("/backlog/export", headers={"Accept-Language": "pl"})
    state = finished_job(client, started)
    assert state["status"] == "done", state
    wb = load_workbook(io.BytesIO(client.get(state["download"]).data), read_only=True)
    assert wb.sheetnames[0] == "Plan działań"
    statuses = {r[2] for r in wb["Plan działań"].iter_rows(min_row=2, values_only=True)}
    assert statuses == {"Pomysł", "Zaplanowane"}
    english = client.post("/backlog/export", headers={"Accept-Language": "en"})
    state = finished_job(client, english)
    wb = load_workbook(io.BytesIO(client.get(state["download"]).data), read_only=True)
    assert wb.sheetnames[0] == "Action plan"


@pytest.mark.libreoffice
def test_a_polish_plan_saved_by_libreoffice_imports_as_no_change_then_its_edits(app, tmp_path):
    """The demo's plan in Polish, opened and saved by LibreOffice: its formulas (scores over
    the row's cells, lists on the Polish Listy sheet) still work, it re-imports with 0
    changes and no problems, and edits made in Polish and English words are exactly those."""
    soffice()
    seed_demo()
    db.session.commit()
    workspace = db.session.scalar(select(Workspace).where(Workspace.name == DEMO_WORKSPACE))
    first = convert(polish_plan(workspace, "rice"), tmp_path / "first", name="plan.xlsx")
    result = reimport(workspace, first, reader="pl")
    assert (result.problems, result.changes) == ([], [])
    values = load_workbook(io.BytesIO(first), data_only=True)  # what LibreOffice computed
    assert values.sheetnames == PL_SHEETS
    sheet = values["Plan działań"]
    col = columns(sheet)
    scores = [sheet.cell(r, col["Wynik"]).value for r in range(2, sheet.max_row + 1)]
    assert any(isinstance(s, int | float) and s > 0 for s in scores), scores
    wb = load_workbook(io.BytesIO(first))
    ws = wb["Plan działań"]
    assert ws.cell(2, col["Wynik"]).data_type == "f"
    lists = [dv.formula1 for dv in ws.data_validations.dataValidation if dv.type == "list"]
    assert lists and all(re.fullmatch(r"'?Listy'?!\$[ABC]\$1:\$[ABC]\$\d", x) for x in lists)

    rows = range(2, ws.max_row + 1)
    by_id = {ws.cell(r, col["ID zadania"]).value: r for r in rows}
    first_row, second_row = (by_id[i] for i in sorted(by_id)[:2])
    now = ws.cell(first_row, col["Status"]).value
    status, english = ("W toku", "In progress") if now != "W toku" else ("Pomysł", "Idea")
    ws.cell(first_row, col["Status"]).value = status  # in Polish
    ws.cell(second_row, col["Status"]).value = "Dropped"  # and in English, in one file
    ws.cell(second_row, col["Zadanie"]).value = "Łączność z zapleczem — ąćęłńóśźż ĄĆĘŁŃÓŚŹŻ"
    again = convert(saved(wb), tmp_path / "second", name=f"plan-{uuid.uuid4().hex[:6]}.xlsx")
    result = reimport(workspace, again)
    assert result.problems == []
    ids = {r: i for i, r in by_id.items()}
    assert {(c.task.id, label, new) for c in result.changes for label, _, new in c.changes} == {
        (ids[first_row], "Status", english),
        (ids[second_row], "Status", "Dropped"),
        (ids[second_row], "Task", "Łączność z zapleczem — ąćęłńóśźż ĄĆĘŁŃÓŚŹŻ"),
    }
