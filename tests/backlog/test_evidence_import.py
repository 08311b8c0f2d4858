"""Importing evidence onto a blueprint: the preview changes nothing, the apply creates or
updates insights all or nothing, a row is never counted twice, and the CLI prints the
preview and its JSON as README says."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy import func, select

from backlog.evidence import services
from backlog.evidence.models import EvidenceImport, EvidenceRow
from backlog.models import Insight, InsightKind
from blueprint.evidence.files import read_file
from blueprint.evidence.rows import ColumnMapping
from blueprint.kinds import EvidenceSource
from extensions import db
from tests import factories as f

TICKETS = (
    "nr;utworzono;kategoria;krok;treść\r\n"
    "Z-1;05.03.2026;;;Płatność kartą nie przeszła, płatności online nie działają\r\n"
    "Z-2;06.03.2026;;;Płatności online odrzucone drugi raz\r\n"
    "Z-3;07.03.2026;Reklamacje faktur;;Proszę o korektę\r\n"
    "Z-4;08.03.2026;;Kurier;Paczka uszkodzona\r\n"
    "Z-5;09.03.2026;;;Zażółć gęślą jaźń\r\n"
)
MAPPING = ColumnMapping(
    text="treść", reference="nr", date="utworzono", category="kategoria", step="krok"
)


@pytest.fixture
def shop(world):
    blueprint, stages = f.make_blueprint(world.workspace, "Zakupy", ("Kupno", "Dostawa"))
    pay = f.make_element(stages[0], "customer_action", "Płatność online")
    invoice = f.make_element(stages[0], "backstage", "Faktura")
    delivery = f.make_element(stages[1], "frontstage", "Dostawa paczki")
    f.commit()
    services.save_category(blueprint, "Reklamacje faktur", invoice.id)
    services.save_alias(blueprint, delivery.id, "kurier")
    f.commit()
    return blueprint, pay, invoice, delivery


def _table(text=TICKETS):
    return read_file(text.encode("cp1250"), "zgloszenia.csv")


def _count(model):
    return db.session.scalar(select(func.count()).select_from(model))


def test_the_preview_matches_every_row_with_its_reason_and_writes_nothing(shop):
    blueprint, pay, invoice, delivery = shop
    result = services.preview(blueprint, _table(), services.Settings(MAPPING))
    kinds = [
        (r.number, m.kind, m.element_id) for r, m in zip(result.rows, result.matches, strict=True)
    ]
    assert kinds == [
        (2, "fuzzy", pay.id),
        (3, "fuzzy", pay.id),
        (4, "category", invoice.id),
        (5, "step", delivery.id),
        (6, "unmatched", None),
    ]
    assert [r.number for r, _m in result.unmatched_rows] == [6]
    assert [(p.element_id, p.rows) for p in result.proposals][0] == (pay.id, 2)
    assert result.categories == [("Reklamacje faktur", 1, invoice.id)]
    assert _count(Insight) == 0 and _count(EvidenceRow) == 0 and _count(EvidenceImport) == 0


def test_apply_creates_insights_with_their_evidence_and_reimport_counts_nothing_twice(shop, world):
    blueprint, pay, invoice, delivery = shop
    settings = services.Settings(MAPPING, source=EvidenceSource.CALL_CENTRE)
    applied = services.apply(blueprint, world.editor.id, "z.csv", _table(), settings)
    f.commit()
    assert (len(applied.created), applied.rows) == (3, 5)
    insight = db.session.scalar(select(Insight).where(Insight.element_id == pay.id))
    assert insight.kind is InsightKind.PAIN_POINT
    assert insight.evidence_source is EvidenceSource.CALL_CENTRE
    assert insight.evidence_reference == "2 rows 2026-03-05 – 2026-03-06: Z-1, Z-2"
    assert insight.observed_on == date(2026, 3, 6)
    count, rows, imports = services.insight_evidence(insight)
    assert count == 2 and [r.match_kind for r in rows] == ["fuzzy", "fuzzy"]
    assert [i.file_name for i in imports] == ["z.csv"]
    unmatched = db.session.scalars(select(EvidenceRow).where(EvidenceRow.insight_id.is_(None)))
    assert [(r.row_number, r.match_kind) for r in unmatched] == [(6, "unmatched")]

    # the same file again: every row known, nothing added
    again = services.preview(blueprint, _table(), settings)
    assert (again.known, again.proposals) == (5, [])
    services.apply(blueprint, world.editor.id, "z.csv", _table(), settings)
    f.commit()
    assert _count(EvidenceRow) == 5 and _count(Insight) == 3

    # a later export with one new row adds only it, to the same insight
    later = TICKETS + "Z-6;10.03.2026;;;Płatności online znowu nie działają\r\n"
    result = services.apply(blueprint, world.editor.id, "z2.csv", _table(later), settings)
    f.commit()
    assert (result.rows, len(result.created), len(result.updated)) == (1, 0, 1)
    db.session.refresh(insight)
    assert insight.evidence_reference == "3 rows 2026-03-05 – 2026-03-10: Z-1, Z-2, Z-6"
    assert services.preview(blueprint, _table(later), settings).file_rows == 6


def test_a_bad_row_means_nothing_is_imported(shop, world):
    blueprint, *_ = shop
    bad = TICKETS + "Z-7;wczoraj;;;Płatność\r\n"
    with pytest.raises(services.EvidenceProblems) as caught:
        services.apply(blueprint, world.editor.id, "z.csv", _table(bad), services.Settings(MAPPING))
    db.session.rollback()
    assert [(p.number, p.code, p.value) for p in caught.value.problems] == [(7, "date", "wczoraj")]
    assert _count(Insight) == 0 and _count(EvidenceRow) == 0 and _count(EvidenceImport) == 0


def test_merge_rename_drop_and_severity_are_applied(shop, world):
    blueprint, pay, invoice, delivery = shop
    settings = services.Settings(
        MAPPING,
        severities={pay.id: 5},
        titles={pay.id: "Płatności zawodzą"},
        merged={invoice.id: pay.id},
        dropped={delivery.id},
    )
    applied = services.apply(blueprint, world.editor.id, "z.csv", _table(), settings)
    f.commit()
    (insight,) = applied.created
    assert (insight.title, insight.severity, insight.element_id) == ("Płatności zawodzą", 5, pay.id)
    count, rows, _ = services.insight_evidence(insight)
    assert count == 3  # its own two and the invoice's, which keeps its own match
    assert {r.element_id for r in rows} == {pay.id, invoice.id}
    dropped = db.session.scalar(select(EvidenceRow).where(EvidenceRow.element_id == delivery.id))
    assert dropped.insight_id is None and dropped.match_kind == "step"


def test_survey_scores_give_severity_and_a_compliment(shop, world):
    blueprint, pay, invoice, delivery = shop
    survey = (
        "date,score,comment\n"
        "2026-02-01,1,Płatność online nie działa\n"
        "2026-02-02,2,Płatności online odrzucone\n"
        "2026-02-03,10,Dostawa paczki błyskawiczna\n"
    )
    table = read_file(survey.encode("utf-8"), "nps.csv")
    settings = services.Settings(
        ColumnMapping(text="comment", date="date", score="score"), source=EvidenceSource.SURVEY
    )
    services.apply(blueprint, world.editor.id, "nps.csv", table, settings)
    f.commit()
    by_element = {i.element_id: i for i in db.session.scalars(select(Insight))}
    # an average of 1.5 of 10: 5 - round(4 × 0.15) = 4
    assert (by_element[pay.id].kind, by_element[pay.id].severity) == (InsightKind.PAIN_POINT, 4)
    assert by_element[delivery.id].kind is InsightKind.COMPLIMENT


def test_the_mapping_is_remembered_per_workspace_and_shape(shop, world):
    blueprint, *_ = shop
    services.apply(blueprint, world.editor.id, "z.csv", _table(), services.Settings(MAPPING))
    f.commit()
    headers = _table().headers
    assert services.remembered(world.workspace.id, headers) == (MAPPING, "call_centre")
    assert services.remembered(world.other_workspace.id, headers) is None
    assert services.remembered(world.workspace.id, ["other"]) is None


def test_rows_of_one_workspace_never_hide_anothers(shop, world):
    blueprint, *_ = shop
    services.apply(blueprint, world.editor.id, "z.csv", _table(), services.Settings(MAPPING))
    f.commit()
    theirs, stages = f.make_blueprint(world.other_workspace, "Theirs", ("X",))
    f.make_element(stages[0], "customer_action", "Płatność online")
    f.commit()
    result = services.preview(theirs, _table(), services.Settings(MAPPING))
    assert result.known == 0 and result.matched == 2


def test_the_cli_prints_the_preview_as_json_and_applies(runner, shop, tmp_path):
    blueprint, pay, invoice, delivery = shop
    path = tmp_path / "zgloszenia.csv"
    path.write_bytes(TICKETS.encode("cp1250"))
    args = ["import-evidence", str(path), "--workspace", "Acme Support"]
    args += ["--blueprint", str(blueprint.id), "--text", "treść", "--ref", "nr"]
    args += ["--date", "utworzono", "--category", "kategoria", "--step", "krok"]
    result = runner.invoke(args=[*args, "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert (data["rows"], data["matched"], data["unmatched"]) == (5, 4, 1)
    assert data["unmatched_rows"] == [6]
    first = data["steps"][0]
    assert set(first) >= {"element_id", "title", "rows", "frequency", "severity", "examples"}
    assert (first["element_id"], first["rows"]) == (pay.id, 2)
    assert _count(Insight) == 0
    plain = runner.invoke(args=args)
    assert "cp1250, semicolon" in plain.output and "Unmatched rows: 6" in plain.output
    applied = runner.invoke(args=[*args, "--apply"])
    assert applied.exit_code == 0, applied.output
    assert "3 insights created" in applied.output
    assert _count(Insight) == 3
    wrong = runner.invoke(args=[*args[:6], "--text", "nope"])
    assert wrong.exit_code != 0 and "no such column" in wrong.output


def test_the_cli_speaks_the_shells_language_and_its_json_stays_as_it_is(
    runner, shop, tmp_path, shell_language
):
    blueprint, pay, *_ = shop
    path = tmp_path / "zgloszenia.csv"
    path.write_bytes(TICKETS.encode("cp1250"))
    args = ["import-evidence", str(path), "--workspace", "Acme Support"]
    args += ["--blueprint", str(blueprint.id), "--text", "treść", "--ref", "nr"]
    args += ["--date", "utworzono", "--category", "kategoria", "--step", "krok"]
    shell_language("pl_PL.UTF-8")
    plain = runner.invoke(args=args)
    assert plain.exit_code == 0, plain.output
    lines = plain.output.splitlines()
    assert lines[0] == (
        "5 wierszy (csv, cp1250, średnik): dopasowane: 4, niedopasowane: 1, "
        "zaimportowane wcześniej: 0."
    )
    assert lines[1].startswith(f"  Płatność online (id {pay.id}): 2 wiersze (40%), 5 mar 2026")
    assert lines[1].endswith(" – 6 mar 2026; problem, częstość 5, dotkliwość 3")
    assert "Niedopasowane wiersze: 6" in lines
    data = json.loads(runner.invoke(args=[*args, "--json"]).output)
    assert (data["rows"], data["matched"], data["steps"][0]["kind"]) == (5, 4, "pain_point")
    applied = runner.invoke(args=[*args, "--apply"])
    assert applied.exit_code == 0, applied.output
    assert "utworzone spostrzeżenia: 3, zaktualizowane: 0" in applied.output
    wrong = runner.invoke(args=[*args[:6], "--text", "nope"])
    assert "W pliku nie ma takiej kolumny." in wrong.output
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    refused = runner.invoke(args=["import-evidence", str(empty), *args[2:]])
    assert refused.exit_code != 0 and "Błąd: Plik jest pusty." in refused.output
    shell_language("C")
    refused = runner.invoke(args=["import-evidence", str(empty), *args[2:]])
    assert "Error: The file is empty." in refused.output
