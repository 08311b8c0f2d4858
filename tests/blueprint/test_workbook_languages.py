"""The blueprint workbook in the exporter's language, read back in any: a Polish workbook
says its sheets, columns, codes, yes / no and drop-downs in Polish; English sheets, columns
and codes mixed into it read the same; problems are said in the reader's language; the
download speaks the user's language."""

import io

import pytest
from openpyxl import load_workbook

from blueprint import transfer, workbook
from blueprint.kinds import BlueprintState, Channel, ElementKind, EvidenceSource, LinkKind
from blueprint.workbook import template
from blueprint.workbook.layout import CODE_WORDS, COLUMN_WORDS, SHEETS
from blueprint.workbook.read import parse
from blueprint.workbook.size import measure
from web.workbook_words import workbook_words
from workbooks.words import fold
from workbooks.xlsxsafe import UnsafeWorkbook, check_xlsx

PL_SHEETS = ["Mapa usługi", "Etapy", "Elementy", "Osoby i systemy", "Powiązania", "Tablica"]


def book(content: bytes):
    return load_workbook(io.BytesIO(content))


def saved(wb) -> bytes:
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


@pytest.fixture
def polish(app):
    return workbook_words("pl")


def test_a_polish_workbook_is_written_in_polish(app, bmap, polish):
    content = workbook.build(transfer.export_data(bmap.blueprint), polish)
    wb = book(content)
    assert wb.sheetnames == [*PL_SHEETS, "Wyeksportowane wiersze"]
    fields = {r[0]: r[1] for r in wb["Mapa usługi"].iter_rows(min_row=2, values_only=True)}
    assert fields["stan"] == "stan obecny" and "nazwa" in fields and "wersja" in fields
    ws = wb["Elementy"]
    header = [c.value for c in ws[1]]
    assert header[:6] == ["klucz", "rodzaj", "etap", "etap końcowy", "pozycja", "tytuł"]
    rows = [dict(zip(header, r, strict=False)) for r in ws.iter_rows(min_row=2, values_only=True)]
    assert {r["rodzaj"] for r in rows} <= {polish(k.value) for k in ElementKind}
    assert "działania klienta" in {r["rodzaj"] for r in rows}
    assert {r["punkt awarii"] for r in rows} <= {"tak", "nie"}
    kinds = [dv for dv in ws.data_validations.dataValidation if str(dv.sqref).startswith("B2:")]
    assert kinds[0].formula1 == (
        '"dowody fizyczne,działania klienta,front,zaplecze,procesy wspierające"'
    )
    assert kinds[0].errorTitle == "Niepoprawna wartość: rodzaj"
    links = [r[2] for r in wb["Powiązania"].iter_rows(min_row=2, values_only=True)]
    assert set(links) <= {polish(k.value) for k in LinkKind} and "zależy od" in links
    assert wb["Tablica"]["A1"].value == "Tor \\ Etap"
    assert wb["Tablica"]["A3"].value == "Działania klienta"
    exported = {r[0] for r in wb["Wyeksportowane wiersze"].iter_rows(min_row=2, values_only=True)}
    assert exported <= {"Etapy", "Elementy", "Osoby i systemy", "Powiązania"}


def test_a_polish_workbook_reads_back_as_the_english_one(app, bmap, polish):
    data = transfer.export_data(bmap.blueprint)
    english = parse(workbook.build(data))
    reader = workbook_words("en")  # an English user reads every language
    assert parse(workbook.build(data, polish), reader) == english
    assert parse(workbook.build(data, polish), polish) == english
    assert measure(workbook.build(data, polish), 10_000, reader).problems == []


def test_both_languages_mixed_in_one_workbook_read_the_same(app, bmap, polish):
    """A Polish workbook in which an English colleague renamed a sheet and some columns
    back, and wrote codes and English words in some rows."""
    data = transfer.export_data(bmap.blueprint)
    english = parse(workbook.build(data))
    wb = book(workbook.build(data, polish))
    wb["Powiązania"].title = "Links"
    ws = wb["Elementy"]
    ws["B1"].value, ws["K1"].value = "kind", "Fail_Point"
    header = [c.value for c in ws[1]]
    for row in range(2, ws.max_row + 1, 2):
        code = {polish(k.value): k.value for k in ElementKind}[ws.cell(row, 2).value]
        ws.cell(row, 2).value = code if row % 4 else ElementKind(code).label
        flag = ws.cell(row, header.index("Fail_Point") + 1)
        flag.value = {"tak": "yes", "nie": "no"}[flag.value]
    wb["Links"]["C2"].value = "relies on"
    assert parse(saved(wb), workbook_words("en")) == english


def test_problems_are_said_in_the_readers_language(app, bmap, polish):
    wb = book(workbook.build(transfer.export_data(bmap.blueprint)))
    ws = wb["Elements"]
    ws["B2"].value = "robot"
    ws["N2"].value = 7  # emotion
    del wb["Links"]
    with pytest.raises(workbook.WorkbookProblems) as refused:
        parse(saved(wb), polish)
    said = [str(p) for p in refused.value.problems]
    assert "Powiązania: brak arkusza" in said
    assert any(
        s.startswith("Elementy, wiersz 2, kolumna rodzaj: 'robot' nie jest żadną z wartości: "
                     "dowody fizyczne, działania klienta")
        for s in said
    ), said  # fmt: skip
    assert "Elementy, wiersz 2, kolumna emocje: 7 jest poza zakresem -2..2" in said
    english = measure(saved(wb), 10_000).problems
    assert [str(p) for p in english] == ["Links: the sheet is missing"]


def test_every_word_of_the_workbook_is_known_and_unambiguous(app, polish):
    codes = [m.value for e in (ElementKind, Channel, EvidenceSource, BlueprintState) for m in e]
    assert set(codes) | {k.value for k in LinkKind} <= set(CODE_WORDS)
    for group in (SHEETS, [m.value for m in ElementKind], [m.value for m in Channel],
                  [m.value for m in EvidenceSource], [m.value for m in LinkKind]):  # fmt: skip
        seen: dict[str, str] = {}
        for word in group:
            for form in polish.forms(word):
                assert seen.setdefault(fold(form), word) == word, (form, word)
    sheets = (workbook.ELEMENT_COLUMNS, workbook.CATALOG_COLUMNS, workbook.LINK_COLUMNS)
    for sheet_columns in sheets:
        said = [fold(polish(c)) for c in (*sheet_columns, "id", "version")]
        assert len(set(said)) == len(said), said
        assert set(sheet_columns) <= set(COLUMN_WORDS)
    lists = [polish(c) for c in EvidenceSource]
    assert all("," not in w for w in lists) and len(",".join(lists)) < 255  # a drop-down


def test_the_download_and_the_template_speak_the_users_language(client, world, login, bmap):
    login(world.viewer)
    url = f"/blueprints/{bmap.blueprint.id}/workbook.xlsx"
    wb = book(client.get(url, headers={"Accept-Language": "pl"}).data)
    assert wb.sheetnames[:2] == ["Mapa usługi", "Etapy"]
    assert book(client.get(url, headers={"Accept-Language": "en"}).data).sheetnames[0] == (
        "Blueprint"
    )
    assert book(template.template(workbook_words("pl"))).sheetnames[2] == "Elementy"


@pytest.mark.parametrize(
    "rows, said",
    [
        ([4], "1 powiązanie „używa” z czymś, co nie jest systemem, zaimportowano jako „zależy od” "
              "(Powiązania, wiersz 4)."),
        ([4, 5], "2 powiązania „używa” z czymś, co nie jest systemem, zaimportowano jako „zależy "
                 "od” (Powiązania, wiersze 4, 5)."),
        (list(range(2, 7)), "5 powiązań „używa” z czymś, co nie jest systemem, zaimportowano "
                            "jako „zależy od” (Powiązania, wiersze 2, 3, 4, 5, 6)."),
    ],
)  # fmt: skip
def test_what_reading_changed_is_said_in_polish_plural_forms(app, polish, rows, said):
    assert workbook.BlueprintData(name="x", notes=rows).summary(polish) == said


def test_a_refused_upload_and_the_template_say_why_in_polish(app, polish):
    with pytest.raises(UnsafeWorkbook, match="^Plik jest pusty.$"):
        check_xlsx(b"", words=polish)
    data = template.template_data(polish)
    assert (data.name, data.stages) == ("Nowa mapa usługi", ["Zamówienie"])
    read = parse(template.template(polish), workbook_words("en"))
    assert (read.name, read.stages, len(read.elements), read.links) == (
        data.name,
        data.stages,
        2,
        data.links,
    )
