"""The workbook kit's one rule for user text (workbooks/cells.py), without an app: every
text is a text cell with the quote prefix, an empty text is a blank cell, and only the app's
own `Formula` is a formula."""

import io
import zipfile
from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from workbooks.cells import MAX_TEXT, Formula, RowWriter, add_sheet, create_sheet, text_cell

TEXT = st.one_of(
    st.sampled_from(["=1+1", "+SUM(A1)", "-2", "@cmd", "\t=1", "\n=1", "＝1", "12", "1/2", "#N/A"]),
    st.text(alphabet=st.sampled_from("=+-@\t\n＝AB1(),!'\" #/"), min_size=1, max_size=12),
)


def written(rows) -> Workbook:
    wb = Workbook(write_only=True)
    add_sheet(wb, "Sheet", ["Text", "More", "Score"], rows, [10, 10, 10])
    out = io.BytesIO()
    wb.save(out)
    return load_workbook(io.BytesIO(out.getvalue()))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(TEXT, TEXT), min_size=1, max_size=6))
def test_every_text_is_a_quoted_text_cell_and_only_the_apps_formula_is_one(texts):
    rows = [[a, b, Formula(f"=LEN(A{i})")] for i, (a, b) in enumerate(texts, start=2)]
    ws = written(rows).active
    for r, (a, b) in enumerate(texts, start=2):
        for column, text in ((1, a), (2, b)):
            cell = ws.cell(r, column)
            assert cell.data_type == "s" and cell.quotePrefix, (text, cell.data_type)
            assert cell.value == text.replace("\r\n", "\n").replace("\r", "\n")
        assert ws.cell(r, 3).data_type == "f" and ws.cell(r, 3).value == f"=LEN(A{r})"
    assert all(c.quotePrefix for c in ws[1])  # the header too


def test_empty_text_is_blank_and_plain_values_pass():
    ws = written([["", 3, None], ["\x01", date(2026, 12, 2), True]]).active
    assert ws["A2"].value is None and ws["A2"].data_type == "n"
    assert ws["A3"].value is None  # a control character alone leaves nothing
    assert ws["B2"].value == 3 and not ws["B2"].quotePrefix
    assert ws["B3"].value.date() == date(2026, 12, 2) and ws["B3"].number_format == "yyyy-mm-dd"
    assert ws["C3"].value is True


def test_a_column_cell_is_reused_without_carrying_values_over():
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Sheet")
    write = RowWriter(ws)
    ws.append(write(["first", 1]))
    ws.append(write([None, "second"]))
    ws.append([text_cell(ws, "=not a formula")])
    out = io.BytesIO()
    wb.save(out)
    values = [list(r) for r in load_workbook(io.BytesIO(out.getvalue())).active.values]
    assert values == [["first", 1], [None, "second"], ["=not a formula", None]]


def _sheet_xml(make_sheet, rows) -> bytes:
    """The worksheet XML that `make_sheet(wb)` writes for `rows` (through RowWriter)."""
    wb = Workbook(write_only=True)
    ws = make_sheet(wb)
    write = RowWriter(ws, number_format={3: "0.00"})
    for row in rows:
        ws.append(write(row))
    out = io.BytesIO()
    wb.save(out)
    with zipfile.ZipFile(io.BytesIO(out.getvalue())) as z:
        return z.read("xl/worksheets/sheet1.xml")


def test_the_kits_sheet_writes_the_same_xml_as_openpyxls_own():
    """create_sheet's sheet hands styled cells straight to the writer (openpyxl's own way
    tries each as a value first); what it writes must be byte for byte what openpyxl's own
    sheet writes, for text, numbers, dates, formulas, blanks and their mixtures."""
    rows = [
        ["Fix onboarding", 3, date(2026, 12, 2), 2.5, None, "=1+1"],
        [None, "", Formula("=B2*2"), 7, "Team ąę", date(2027, 1, 1)],
        [1.5, date(2026, 1, 31), "x", Formula("=D2+1"), True, None],
        ["a\nb", None, None, None, None, "last"],
    ]
    ours = _sheet_xml(lambda wb: create_sheet(wb, "Sheet"), rows)
    theirs = _sheet_xml(lambda wb: wb.create_sheet("Sheet"), rows)
    assert ours == theirs
    assert b"Fix onboarding" in ours and b"B2*2" in ours  # the rows were written at all


def test_text_no_cell_may_hold_is_cleaned_and_cut_to_a_cells_length():
    long_text = "é" * (MAX_TEXT + 10)
    ws = written([["a\x00b\x07c", long_text, Formula("=1")], ["\x00\x01", "ok", None]]).active
    assert ws.cell(2, 1).value == "abc"
    assert ws.cell(2, 2).value == "é" * MAX_TEXT
    assert ws.cell(3, 1).value is None  # nothing left of it: a blank cell
