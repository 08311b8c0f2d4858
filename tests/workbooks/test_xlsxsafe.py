"""Uploads checked before any XML is parsed (workbooks/xlsxsafe.py): hostile and broken
files are refused with a message, a zip bomb from its directory alone."""

import io
import zipfile

import pytest

from workbooks.xlsxsafe import UnsafeWorkbook, check_xlsx


def _zip(entries: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return out.getvalue()


CONTENT_TYPES = (
    b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/'
    b'package/2006/content-types"><Override PartName="/xl/workbook.xml" '
    b'ContentType="%s"/></Types>'
)


@pytest.mark.parametrize(
    "content, message",
    [
        (b"", "The file is empty."),
        (b"name,goal\nx,y\n", "not an .xlsx workbook"),
        (b"\xd0\xcf\x11\xe0" + b"\x00" * 100, "old .xls workbook"),
        (_zip({"a.txt": b"hi"}), "not an Excel workbook"),
        (
            _zip({"[Content_Types].xml": CONTENT_TYPES % workbook_type})
            if (workbook_type := b"application/vnd.ms-excel.sheet.macroEnabled.main+xml")
            else b"",
            "Macro-enabled workbooks (.xlsm) are refused",
        ),
        (_zip({f"f{i}.xml": b"x" for i in range(600)}), "at most 500 are accepted"),
        (
            _zip(
                {
                    "[Content_Types].xml": b"<?xml version='1.0'?><!DOCTYPE x [<!ENTITY a 'aaaa'>"
                    b"<!ENTITY b '&a;&a;&a;'>]><Types>&b;</Types>"
                }
            ),
            "cannot be read safely",
        ),
    ],
)
def test_hostile_files_are_refused_before_parsing(content, message):
    with pytest.raises(UnsafeWorkbook, match=message.replace("(", r"\(").replace(")", r"\)")):
        check_xlsx(content)


def test_a_zip_bomb_is_refused_from_the_directory_without_unpacking():
    bomb = _zip({"[Content_Types].xml": b"<Types/>", "xl/huge.xml": b"\0" * (50 * 1024 * 1024)})
    assert len(bomb) < 200_000  # small on disk, 50 MB inside
    with pytest.raises(UnsafeWorkbook, match="zip bomb"):
        check_xlsx(bomb)
    with pytest.raises(UnsafeWorkbook, match="unpacks to more than"):
        check_xlsx(bomb, max_ratio=10**9, max_uncompressed=10 * 1024 * 1024)
