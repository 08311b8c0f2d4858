"""Checks an uploaded workbook before any XML is parsed. Pure: bytes in, a verdict out.

An .xlsx is a zip of XML parts. Before openpyxl reads anything, this module checks that the
upload is a real zip, that it declares the spreadsheet (not the macro-enabled) content type,
and that its entry count and total uncompressed size stay under limits read from the zip's
central directory, so a zip bomb is refused without decompressing it. The XML that is read
later goes through defusedxml (openpyxl uses it when installed), so entity-expansion
attacks fail too.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

import defusedxml.ElementTree as SafeET

from workbooks.words import ENGLISH, N_, Words

MAX_ENTRIES = 500
MAX_UNCOMPRESSED = 100 * 1024 * 1024
MAX_RATIO = 200  # uncompressed / compressed for any single entry
SHEET_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
MACRO_TYPE = "application/vnd.ms-excel.sheet.macroEnabled.main+xml"


class UnsafeWorkbook(ValueError):
    """The upload is not a workbook Rootline will read; the message says why, in the
    language of the check's `words`. `message` is the same in English (marked `N_`) and
    `values` fill it in, for a caller that says it in a language of its own."""

    def __init__(self, said: str, message: str = "", **values):
        super().__init__(said)
        self.message, self.values = message or said, values


@dataclass(frozen=True)
class Verdict:
    entries: int
    uncompressed: int


def check_xlsx(
    data: bytes,
    *,
    max_entries: int = MAX_ENTRIES,
    max_uncompressed: int = MAX_UNCOMPRESSED,
    max_ratio: int = MAX_RATIO,
    words: Words = ENGLISH,
) -> Verdict:
    """The upload's verdict, or UnsafeWorkbook saying why not in the language of `words`."""

    def refuse(message: str, **values) -> UnsafeWorkbook:
        return UnsafeWorkbook(words(message, **values), message, **values)

    if not data:
        raise refuse(N_("The file is empty."))
    if data[:2] == b"\xd0\xcf":
        raise refuse(N_("This is an old .xls workbook. Save it as .xlsx and upload again."))
    if not data.startswith(b"PK\x03\x04"):
        raise refuse(
            N_(
                "This is not an .xlsx workbook (a CSV or text file renamed?). "
                "Save it as an Excel workbook (.xlsx) and upload again."
            )
        )
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, OSError) as exc:
        raise refuse(N_("The workbook is damaged and cannot be opened.")) from exc
    if len(infos) > max_entries:
        raise refuse(
            N_("The workbook has %(parts)s parts; at most %(most)s are accepted."),
            parts=len(infos),
            most=max_entries,
        )
    total = sum(info.file_size for info in infos)
    if total > max_uncompressed:
        raise refuse(
            N_("The workbook unpacks to more than %(mb)s MB; it is refused."),
            mb=max_uncompressed // (1024 * 1024),
        )
    for info in infos:
        if info.compress_size and info.file_size / info.compress_size > max_ratio:
            raise refuse(
                N_("The workbook is compressed suspiciously well (a zip bomb?); it is refused.")
            )
    names = {info.filename for info in infos}
    if "[Content_Types].xml" not in names:
        raise refuse(N_("The file is a zip archive but not an Excel workbook."))
    with archive.open("[Content_Types].xml") as handle:
        try:
            types = SafeET.fromstring(handle.read(1024 * 1024))
        except Exception as exc:  # defusedxml refuses entities; any parse error is fatal
            raise refuse(N_("The workbook's content types cannot be read safely.")) from exc
    declared = {el.get("ContentType") for el in types}
    if MACRO_TYPE in declared:
        raise refuse(N_("Macro-enabled workbooks (.xlsm) are refused. Save it as .xlsx."))
    if SHEET_TYPE not in declared:
        raise refuse(N_("The file is not an Excel workbook (.xlsx)."))
    return Verdict(len(infos), total)
