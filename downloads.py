"""Files the browser saves: one way to name them.

Every download goes through `attachment`, which lets werkzeug write the Content-Disposition
header: a plain `filename=` for ASCII names and, for any other name ("Заказ 注文"), an ASCII
fallback plus the RFC 5987 `filename*=UTF-8''…` form. A header built by hand with such a
name cannot even be sent (HTTP headers are Latin-1), which was a server error.
"""

from __future__ import annotations

import io
import re

from flask import Response, send_file

from safeinput import strip_control_characters


def file_name(text: str, suffix: str = "", fallback: str = "download") -> str:
    """A file name from user text: letters and digits of any script kept, every run of
    anything else one hyphen, lower case; `suffix` ("-board.svg") appended."""
    stem = re.sub(r"[\W_]+", "-", strip_control_characters(text)).strip("-").lower()
    return f"{stem or fallback}{suffix}"


def attachment(content: bytes | str, name: str, mimetype: str) -> Response:
    """`content` as a download called `name` (any script; see the module docstring)."""
    data = content.encode() if isinstance(content, str) else content
    return send_file(io.BytesIO(data), mimetype=mimetype, as_attachment=True, download_name=name)
