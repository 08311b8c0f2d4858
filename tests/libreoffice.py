"""LibreOffice for the tests: find `soffice` (or skip, naming it), and convert a workbook
through it headless, as a meeting that opens and saves the file does."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

TIMEOUT = 180  # seconds; a cold profile's first start is slow


def soffice() -> str:
    """The path of LibreOffice's `soffice`, or skip the test naming what is missing."""
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    return found


def convert(
    content: bytes, folder: Path, to: str = "xlsx", name: str = "book.xlsx", timeout: int = TIMEOUT
) -> bytes:
    """`content` written to `folder`/`name`, converted by LibreOffice headless `--convert-to
    to` (a format, optionally with a filter: "csv:Text - txt - csv (StarCalc):44,34,76"), and
    the converted file's bytes. Its own profile in `folder`, so parallel runs never share one."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    source = folder / name
    source.write_bytes(content)
    out = folder / "out"
    converted = out / f"{source.stem}.{to.split(':', 1)[0]}"
    converted.unlink(missing_ok=True)  # never a previous run's file
    result = subprocess.run(
        [
            soffice(),
            "--headless",
            f"-env:UserInstallation=file://{folder.resolve() / 'profile'}",
            "--convert-to",
            to,
            "--outdir",
            str(out),
            str(source),
        ],
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert result.returncode == 0 and converted.exists(), result.stderr
    return converted.read_bytes()
