"""HTML to PDF through Chromium headless on this machine (no service on the internet), for
the blueprint's summary and its board. Pure of Flask and the database: it takes a page (and
the files it refers to by name) and returns its PDF bytes."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path

TIMEOUT = 25  # seconds: a page prints in one or two; stay inside gunicorn's 30

# The app's translator (web/i18n.py gives Flask-Babel's gettext at app creation), so the
# messages below reach the user in their language while this module stays pure.
_translate: Callable[[str], str] = str


def use_translator(translate: Callable[[str], str]) -> None:
    global _translate
    _translate = translate


def _(text: str) -> str:
    return _translate(text)


class PdfUnavailable(Exception):
    """No PDF could be made; `message` says what the user can do instead."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


def print_to_pdf(html: str, files: Mapping[str, bytes] | None = None) -> bytes:
    """The PDF of a standalone HTML page (its stylesheets as file:// addresses); `files`
    are written beside it under their names, for the page to refer to (an image, say)."""
    browser = chromium()
    if browser is None:
        raise PdfUnavailable(_("Making a PDF needs Chromium on the server."))
    with tempfile.TemporaryDirectory() as tmp:
        page, pdf = Path(tmp) / "page.html", Path(tmp) / "page.pdf"
        page.write_text(html, encoding="utf-8")
        for name, content in (files or {}).items():
            (Path(tmp) / Path(name).name).write_bytes(content)
        try:
            subprocess.run(
                [
                    browser,
                    "--headless",
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-background-networking",
                    "--no-first-run",
                    f"--user-data-dir={Path(tmp) / 'profile'}",
                    "--no-pdf-header-footer",
                    f"--print-to-pdf={pdf}",
                    page.as_uri(),
                ],
                check=True,
                capture_output=True,
                timeout=TIMEOUT,
            )
        except (subprocess.SubprocessError, OSError) as exc:
            raise PdfUnavailable(_("The PDF could not be made just now.")) from exc
        if not pdf.exists():
            raise PdfUnavailable(_("The PDF could not be made just now."))
        return pdf.read_bytes()
