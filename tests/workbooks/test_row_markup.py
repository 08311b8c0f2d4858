"""The kit's sheet writes each row's XML as text (workbooks/row_markup.py): it must be byte
for byte what openpyxl's own write-only sheet writes for the same rows, for every kind of
value a row can hold, and leave the cells it does not spell out to openpyxl in their place."""

import io
import math
import zipfile
from datetime import date, datetime

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont
from openpyxl.comments import Comment

from workbooks.cells import Formula, RowWriter, create_sheet

VALUES = st.one_of(
    st.none(),
    st.text(max_size=12),
    st.sampled_from(["", " ", "  lead", "trail ", "a & b < c > d \" ' ", "#N/A", "=1+1", "\r\n\t"]),
    st.integers(min_value=-(10**18), max_value=10**18),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([0.1, 1e-300, 1e300, -0.0, 2.5, math.pi]),
    st.booleans(),
    st.dates(min_value=date(1900, 3, 1), max_value=date(9999, 12, 31)),
    st.datetimes(min_value=datetime(1900, 3, 1), max_value=datetime(9999, 12, 31)),
    st.sampled_from([Formula("=A2*2"), Formula('=IF(A2>1,"x & y",B2)')]),
)
ROWS = st.lists(
    st.tuples(
        st.lists(VALUES, max_size=8), st.one_of(st.none(), st.sampled_from([15.5, 30, 116.5]))
    ),
    max_size=6,
)


def _xml(make_sheet, rows, styled: bool, sheet_rows=None) -> bytes:
    """The worksheet XML `make_sheet(wb)` writes for `rows` (each with its height or None),
    through RowWriter when `styled`, as plain values when not."""
    wb = Workbook(write_only=True)
    ws = make_sheet(wb)
    write = RowWriter(ws, number_format={2: "0.00"}) if styled else list
    for r, (values, height) in enumerate(rows, start=1):
        if height is not None:
            ws.row_dimensions[r].height = height
        ws.append(write(values) if sheet_rows is None else sheet_rows(ws, values))
    out = io.BytesIO()
    wb.save(out)
    with zipfile.ZipFile(io.BytesIO(out.getvalue())) as z:
        return z.read("xl/worksheets/sheet1.xml")


def ours(rows, **kw):
    return _xml(lambda wb: create_sheet(wb, "Sheet"), rows, **kw)


def theirs(rows, **kw):
    return _xml(lambda wb: wb.create_sheet("Sheet"), rows, **kw)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ROWS, st.booleans())
def test_every_kind_of_row_is_written_as_openpyxl_writes_it(rows, styled):
    if not styled:  # plain values: what openpyxl refuses (control characters) it refuses alike
        rows = [([v for v in values if not _illegal(v)], h) for values, h in rows]
    assert ours(rows, styled=styled) == theirs(rows, styled=styled)


def _illegal(value) -> bool:
    return isinstance(value, str) and any(ord(c) < 32 and c not in "\t\n\r" for c in value)


def test_the_rows_are_written_at_all():
    rows = [(["Fix onboarding", 3, Formula("=B1*2"), date(2026, 12, 2)], 30), ([None, "x"], None)]
    xml = ours(rows, styled=True)
    assert xml == theirs(rows, styled=True)
    assert b'<row r="1" ht="30" customHeight="1">' in xml
    assert b"Fix onboarding" in xml and b"<f>B1*2</f>" in xml and b'<c r="B2"' in xml


def _special_cells(ws, values):
    """A row mixing plain values with cells the kit leaves to openpyxl: a hyperlink, a
    comment, rich text, a date with a time zone's absence made explicit by ISO dates."""
    link = WriteOnlyCell(ws, value="site")
    link.hyperlink = "https://example.com/a?b=1&c=2"
    noted = WriteOnlyCell(ws, value="noted")
    noted.comment = Comment("a comment", "Rootline")
    rich = WriteOnlyCell(ws, value=CellRichText(["plain ", TextBlock(InlineFont(b=True), "bold")]))
    return [*values, link, "between", noted, rich, 7]


def test_cells_left_to_openpyxl_are_written_by_it_in_their_place():
    rows = [(["first", 1.5], None), ([date(2026, 1, 31)], 20)]
    xml = ours(rows, styled=False, sheet_rows=_special_cells)
    assert xml == theirs(rows, styled=False, sheet_rows=_special_cells)
    assert b'<rPr><b val="1" /></rPr><t>bold</t>' in xml  # the rich text, by openpyxl
    assert b'ref="C1"' in xml and b"<legacyDrawing" in xml  # the link and the comment
    assert xml.index(b"between") < xml.index(b"noted")


def test_a_workbook_with_iso_dates_writes_them_as_openpyxl_does():
    def make(create):
        def sheet(wb):
            wb.iso_dates = True
            return create(wb)

        return sheet

    rows = [([date(2026, 12, 2), datetime(2026, 12, 2, 17, 30), "x"], None)]
    mine = _xml(make(lambda wb: create_sheet(wb, "Sheet")), rows, styled=True)
    assert mine == _xml(make(lambda wb: wb.create_sheet("Sheet")), rows, styled=True)
    assert b"2026-12-02" in mine


def test_the_kits_sheet_writes_its_rows_as_text(monkeypatch):
    """The comparisons above hold only if the kit's sheet writes its rows itself."""
    import workbooks.cells as cells

    written = []
    real = cells.write_row

    def counted(raw, xf, ws, row_idx, row_cells):
        written.append(row_idx)
        real(raw, xf, ws, row_idx, row_cells)

    monkeypatch.setattr(cells, "write_row", counted)
    ours([(["a", 1], None), (["b", 2], None), ([], None)], styled=True)
    assert written == [1, 2, 3]
