"""Evidence files read as exported: encodings, delimiters, workbooks; rows matched to steps
by every path with its reason; proposals with their documented thresholds."""

from __future__ import annotations

import io
from datetime import date, datetime

import pytest
from openpyxl import Workbook

from blueprint.evidence import files, matching, proposals, rows
from blueprint.evidence.matching import Matcher, Step

POLISH = (
    "nr;data;kategoria;treść\r\n"
    "Z-1;05.03.2026;Płatności;Płatność kartą nie przeszła, żółta strona błędu\r\n"
    'Z-2;06.03.2026;Dostawa;"Kurier; spóźniony o dwa dni"\r\n'
    "Z-3;07.03.2026;;Zażółć gęślą jaźń\r\n"
)


def test_a_windows_1250_semicolon_file_keeps_its_polish_letters():
    table = files.read_file(POLISH.encode("cp1250"), "zgloszenia.csv")
    assert (table.encoding, table.delimiter, table.delimiter_name) == ("cp1250", ";", "semicolon")
    assert table.headers == ["nr", "data", "kategoria", "treść"]
    assert table.rows[0][3] == "Płatność kartą nie przeszła, żółta strona błędu"
    assert table.rows[1][3] == "Kurier; spóźniony o dwa dni"  # a quoted delimiter stays
    assert table.rows[2][3] == "Zażółć gęślą jaźń"
    assert table.numbers == [2, 3, 4]


@pytest.mark.parametrize(
    ("encoded", "encoding"),
    [
        (POLISH.replace(";", ",").encode("utf-8"), "utf-8"),
        (b"\xef\xbb\xbf" + POLISH.replace(";", "\t").encode("utf-8"), "utf-8-sig"),
    ],
)
def test_utf8_with_or_without_bom_and_any_delimiter(encoded, encoding):
    table = files.read_file(encoded, "x.csv")
    assert table.encoding == encoding
    assert table.headers[0] == "nr"  # never "\ufeffnr"
    assert table.rows[2][3] == "Zażółć gęślą jaźń"


def test_tab_and_comma_are_told_apart():
    assert files.detect_delimiter("a\tb\tc\n1\t2,5\t3\n") == "\t"
    assert files.detect_delimiter("a,b\n1,2\n") == ","
    assert files.detect_delimiter("a;b;c\n1;2,5;3\n") == ";"


def test_blank_rows_are_skipped_but_row_numbers_stay_the_files():
    table = files.read_file(b"text,n\nfirst,1\n\n,\nsecond,2\n", "x.csv")
    assert [r[0] for r in table.rows] == ["first", "second"]
    assert table.numbers == [2, 5]


def test_an_empty_or_hostile_file_is_refused_with_a_reason():
    with pytest.raises(files.EvidenceFileError, match="empty"):
        files.read_file(b"", "x.csv")
    with pytest.raises(files.EvidenceFileError, match="damaged"):
        files.read_file(b"PK\x03\x04garbage", "x.xlsx")
    with pytest.raises(files.EvidenceFileError, match="more than 2"):
        files.read_file(b"t\n1\n2\n3\n", "x.csv", max_rows=2)


def test_a_refusal_is_said_in_the_words_it_is_shown_with():
    """The module keeps its refusals in English (marked for the catalog); whoever shows one
    says it in the reader's language, with the counts as that language writes them."""

    class Loud:  # a language of its own: every message in capitals
        @staticmethod
        def gettext(message, **values):
            return (message % values).upper()

    with pytest.raises(files.EvidenceFileError) as caught:
        files.read_file(b"t\n1\n2\n3\n", "x.csv", max_rows=2)
    refusal = caught.value
    assert refusal.code == "too_long" and refusal.values == {"max": 2}
    assert refusal.said(Loud(), number=lambda n: f"<{n}>") == (
        "THE FILE HAS MORE THAN <2> ROWS; IMPORT AT MOST <2> AT A TIME (SPLIT IT)."
    )
    with pytest.raises(files.EvidenceFileError) as caught:  # the upload check's own refusal
        files.read_file(b"PK\x03\x04garbage", "x.xlsx")
    assert caught.value.code == "unsafe"
    assert caught.value.said(Loud()) == "THE WORKBOOK IS DAMAGED AND CANNOT BE OPENED."
    assert (
        str(caught.value) == caught.value.said() == "The workbook is damaged and cannot be opened."
    )


def test_an_xlsx_keeps_its_date_cells():
    wb = Workbook()
    ws = wb.active
    ws.append(["ID", "Created", "Score", "Verbatim"])
    ws.append(["T-9", datetime(2026, 2, 1, 0, 0), 9, "Świetna obsługa"])
    ws.append([None, None, None, None])
    ws.append([10, date(2026, 2, 3), 2.5, "Slow"])
    buffer = io.BytesIO()
    wb.save(buffer)
    table = files.read_file(buffer.getvalue(), "survey.xlsx")
    assert table.kind == "xlsx" and table.encoding is None
    assert table.rows[0] == ["T-9", date(2026, 2, 1), 9, "Świetna obsługa"]
    assert table.numbers == [2, 4]
    mapping = rows.ColumnMapping(text="Verbatim", reference="ID", date="Created", score="Score")
    read, problems = rows.read_rows(table, mapping)
    assert problems == []
    assert read[1] == rows.EvidenceRow(4, "Slow", "10", date(2026, 2, 3), score=2.5)


# --- the mapping and the rows -------------------------------------------------------------


def test_a_first_mapping_is_guessed_from_the_column_names():
    guess = rows.guess_mapping(["nr", "data", "kategoria", "treść"])
    assert guess == rows.ColumnMapping(
        text="treść", reference="nr", date="data", category="kategoria"
    )
    survey = rows.guess_mapping(["Response ID", "Date", "NPS score", "Verbatim"])
    assert (survey.text, survey.score, survey.date) == ("Verbatim", "NPS score", "Date")


def test_the_shape_is_the_column_names_whatever_their_case_or_accents():
    assert rows.shape_of(["Treść", "Data"]) == rows.shape_of(["tresc", "DATA "])
    assert rows.shape_of(["a", "b"]) != rows.shape_of(["b", "a"])


def test_a_bad_date_or_score_or_an_empty_row_is_a_problem_with_its_row():
    table = files.read_file(
        b"text;date;score;cat\nok;2026-01-02;5;\nbad;yesterday;x;\n;2026-01-02;;\n", "x.csv"
    )
    mapping = rows.ColumnMapping(text="text", date="date", score="score", category="cat")
    read, problems = rows.read_rows(table, mapping)
    assert [(p.number, p.code) for p in problems] == [(3, "date"), (3, "score"), (4, "empty")]
    assert read[0].day == date(2026, 1, 2) and read[0].score == 5.0
    assert rows.ColumnMapping(text="").problems(["a"]) == {"text": "required"}
    assert rows.ColumnMapping(text="zz").problems(["a"]) == {"text": "unknown"}


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("2026-03-05", date(2026, 3, 5)),
        ("2026-03-05 14:02", date(2026, 3, 5)),
        ("2026-03-05T14:02:00+01:00", date(2026, 3, 5)),
        ("05.03.2026", date(2026, 3, 5)),
        ("05/03/2026", date(2026, 3, 5)),
        ("", None),
    ],
)
def test_dates_as_exports_write_them(text, day):
    assert rows.parse_date(text) == day


@pytest.mark.parametrize("text", ["31.02.2026", "2026-13-01", "yesterday", "05.03.26x"])
def test_a_date_that_is_no_date_is_refused(text):
    with pytest.raises(ValueError):
        rows.parse_date(text)


def test_the_same_row_is_the_same_hash_and_a_reference_decides():
    a = rows.EvidenceRow(2, "Płatność  nie działa", "", date(2026, 1, 1))
    b = rows.EvidenceRow(9, "płatność nie działa", "", date(2026, 1, 1))
    assert a.content_hash == b.content_hash
    assert (
        rows.EvidenceRow(2, "x", "T-1").content_hash == rows.EvidenceRow(3, "y", "T-1").content_hash
    )
    assert (
        a.content_hash
        != rows.EvidenceRow(2, "Płatność nie działa", "", date(2026, 1, 2)).content_hash
    )


# --- matching -------------------------------------------------------------------------------

STEPS = [
    Step(1, "Płatność online", "Klient płaci kartą lub BLIKiem"),
    Step(2, "Dostawa paczki", aliases=("Kurier",)),
    Step(3, "Faktura"),
]


def test_every_match_path_says_why():
    m = Matcher(STEPS, {"Reklamacje faktur": 3, "Elsewhere": 99})
    by_step = m.match("anything", step="  KURIER ")
    assert (by_step.kind, by_step.element_id, by_step.via) == (matching.STEP, 2, "Kurier")
    by_title = m.match("", step="faktura")
    assert (by_title.kind, by_title.element_id) == (matching.STEP, 3)
    by_category = m.match("nothing alike", category="reklamacje FAKTUR")
    assert (by_category.kind, by_category.element_id) == (matching.CATEGORY, 3)
    fuzzy = m.match("Nie mogę zapłacić, płatności online nie działają")
    assert (fuzzy.kind, fuzzy.element_id, fuzzy.threshold) == (matching.FUZZY, 1, 65)
    assert fuzzy.score == 100.0
    none = m.match("Zażółć gęślą jaźń")
    assert none.kind == matching.UNMATCHED and none.element_id is None
    assert none.score < none.threshold == matching.FUZZY_THRESHOLD


def test_an_unknown_step_cell_falls_through_to_the_category_then_the_text():
    m = Matcher(STEPS, {"platnosci": 1})
    assert m.match("x", step="No such step", category="Płatności").kind == matching.CATEGORY
    assert m.match("korekta faktury", step="No such step").kind == matching.FUZZY


def test_a_category_mapped_to_another_blueprints_step_is_ignored():
    m = Matcher(STEPS, {"Other": 99})
    assert m.match("Zażółć", category="Other").kind == matching.UNMATCHED


@pytest.mark.parametrize(
    ("text", "step"),
    [
        ("Problem z fakturą za marzec", 3),
        ("Nie dostałem faktury", 3),
        ("W fakturze jest błąd", 3),
        ("Płatności online odrzucone", 1),
        ("Dostawy paczek zawsze spóźnione", 2),
    ],
)
def test_polish_endings_do_not_defeat_matching(text, step):
    assert Matcher(STEPS).match(text).element_id == step


def test_a_title_wins_over_another_steps_alias():
    m = Matcher([Step(1, "Kurier"), Step(2, "Dostawa", aliases=("kurier",))])
    assert m.match("", step="kurier").element_id == 1


# --- proposals ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rows_", "customers", "level"),
    [(200, 1000, 5), (199, 1000, 4), (50, 1000, 4), (10, 1000, 3), (2, 1000, 2), (1, 1000, 1)],
)
def test_frequency_from_rows_per_customer(rows_, customers, level):
    assert proposals.frequency_from_customers(rows_, customers) == level


@pytest.mark.parametrize(
    ("share", "level"), [(0.3, 5), (0.29, 4), (0.15, 4), (0.05, 3), (0.01, 2), (0.009, 1)]
)
def test_frequency_from_share_of_the_file(share, level):
    assert proposals.frequency_from_share(share) == level


def _rows(*specs):
    return [rows.EvidenceRow(n, t, f"T-{n}", d, score=s) for n, (t, d, s) in enumerate(specs, 2)]


def test_a_proposal_per_step_with_its_figures():
    read = _rows(
        ("a long complaint about paying", date(2026, 1, 5), None),
        ("short", date(2026, 1, 1), None),
        ("short", date(2026, 1, 9), None),
        ("unrelated", None, None),
    )
    ms = [
        matching.Match(matching.FUZZY, 1, 90, 65),
        matching.Match(matching.CATEGORY, 1, 100),
        matching.Match(matching.STEP, 1, 100),
        matching.Match(matching.UNMATCHED, None, 10, 65),
    ]
    (p,) = proposals.propose(read, ms, {1: "Pay"}, severities={1: 4})
    assert (p.rows, p.share, p.first_day, p.last_day) == (
        3,
        0.75,
        date(2026, 1, 1),
        date(2026, 1, 9),
    )
    assert p.examples == ["a long complaint about paying", "short"]
    assert p.references == ["T-2", "T-3", "T-4"]
    assert (p.kind, p.frequency, p.severity, p.severity_from_scores) == ("pain_point", 5, 4, False)
    assert p.numbers == [2, 3, 4]


def test_scores_give_severity_and_high_ones_a_compliment():
    read = _rows(("bad", None, 0), ("bad", None, 2), ("great", None, 9), ("great", None, 10))
    ms = [matching.Match(matching.STEP, e, 100) for e in (1, 1, 2, 2)]
    low, high = sorted(proposals.propose(read, ms, {1: "A", 2: "B"}), key=lambda p: p.element_id)
    assert (low.kind, low.severity, low.severity_from_scores) == ("pain_point", 5, True)
    assert (high.kind, high.average_score) == ("compliment", 9.5)
    csat = _rows(("ok", None, 3), ("ok", None, 3))
    (mid,) = proposals.propose(csat, [matching.Match(matching.STEP, 1, 100)] * 2, {1: "A"})
    assert (mid.kind, mid.severity) == ("pain_point", 3)  # 3 of 1–5 is half way: 5 - 2


@pytest.mark.libreoffice
def test_an_xlsx_saved_by_libreoffice_keeps_its_date_cells_and_polish_text(tmp_path):
    from tests.libreoffice import convert

    wb = Workbook()
    ws = wb.active
    ws.append(["Nr", "Utworzono", "Ocena", "Treść"])
    ws.append(["Z-1", datetime(2026, 3, 5, 14, 2), 2, "Płatność kartą nie przeszła"])
    ws.append(["Z-2", date(2026, 3, 6), 9, "Dostawa paczki na czas, dziękuję"])
    for row in (2, 3):
        ws.cell(row, 2).number_format = "DD.MM.YYYY"
    buffer = io.BytesIO()
    wb.save(buffer)
    saved = convert(buffer.getvalue(), tmp_path)  # opened and saved by LibreOffice
    table = files.read_file(saved, "saved.xlsx")
    mapping = rows.ColumnMapping(text="Treść", reference="Nr", date="Utworzono", score="Ocena")
    read, problems = rows.read_rows(table, mapping)
    assert problems == []
    assert [(r.reference, r.day, r.score, r.text) for r in read] == [
        ("Z-1", date(2026, 3, 5), 2.0, "Płatność kartą nie przeszła"),
        ("Z-2", date(2026, 3, 6), 9.0, "Dostawa paczki na czas, dziękuję"),
    ]
    assert Matcher(STEPS).match(read[0].text).element_id == 1
