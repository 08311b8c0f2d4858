"""What comes in at the door: text without invisible control characters, ids that fit the
database, numbers that are finite. Pure helpers (no Flask, no database) shared by the URL
map, the form parser, the forms and the workbook writers.

The control-character rule, decided once: C0 control characters other than tab, line feed
and carriage return (U+0001-U+0008, U+000B, U+000C, U+000E-U+001F) and the non-characters
U+FFFE and U+FFFF are removed from every submitted form value and query parameter before any
view sees them. Word and Outlook paste them invisibly (a vertical tab for a soft line break,
a bell, an escape), XML 1.0 cannot carry them, so no workbook could hold them. NUL is
refused with a message instead (see web/input.refuse_nul_characters): a NUL means a broken paste
or a binary file, not text anyone meant. The workbook writers strip them too, as a last
guard for text stored before the rule.
"""

from __future__ import annotations

import math
import re

from werkzeug.routing import IntegerConverter

# Ids are INTEGER columns: 32-bit on PostgreSQL. Anything larger names no row.
MAX_ID = 2**31 - 1

CONTROL_CHARACTERS = re.compile("[\x01-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def strip_control_characters(value: str) -> str:
    """`value` without the control characters no form keeps (see the module docstring)."""
    return CONTROL_CHARACTERS.sub("", value) if CONTROL_CHARACTERS.search(value) else value


def clean_text(value):
    """Strings lose their control characters; anything else passes unchanged."""
    return strip_control_characters(value) if isinstance(value, str) else value


def at_most(limit: int) -> str:
    """A regular expression for the decimal numbers 0..`limit`, ASCII digits, no leading
    zeros: the bound is part of the pattern, so a number past it matches no route at all."""
    digits = str(limit)
    alternatives = ["[0-9]"] if len(digits) > 1 else []
    if len(digits) > 2:
        alternatives.append(f"[1-9][0-9]{{1,{len(digits) - 2}}}")
    for i, digit in enumerate(digits):
        low = "1" if i == 0 and len(digits) > 1 else "0"
        rest = len(digits) - i - 1
        if int(digit) > int(low):
            top = int(digit) - 1
            span = low if top == int(low) else f"[{low}-{top}]"
            alternatives.append(digits[:i] + span + (f"[0-9]{{{rest}}}" if rest else ""))
    alternatives.append(digits)
    return "(?:" + "|".join(alternatives) + ")"


class RecordIdConverter(IntegerConverter):
    """`<int:...>` in every route: ASCII digits only (`\\d` would take ١ or ３ as 1 or 3)
    and at most MAX_ID, so an id the database cannot hold is a 404, not a server error.
    The bound is in the pattern, not only in `to_python`: werkzeug answers 405 rather than
    404 when a pattern matches and the conversion then fails on a route with two methods."""

    regex = at_most(MAX_ID)

    def __init__(self, map, fixed_digits=0, min=None, max=MAX_ID, signed=False):
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


def parse_id(value) -> int:
    """A row id from a form or query string: ASCII digits, 1 to MAX_ID (ValueError if not).
    For WTForms' `coerce`, so a bad id is a field error."""
    if isinstance(value, bool):
        raise ValueError("not an id")
    if isinstance(value, int):
        number = value
    else:
        text = str(value).strip()
        if not (text.isascii() and text.isdigit()):
            raise ValueError(f"{value!r} is not an id")
        number = int(text)
    if not 1 <= number <= MAX_ID:
        raise ValueError(f"{value!r} is not an id")
    return number


def optional_id(value) -> int | None:
    """`parse_id`, with blank meaning none."""
    if value in (None, "", "None"):
        return None
    return parse_id(value)


def id_or_none(value) -> int | None:
    """For query strings and forms read by hand: an id, or None when the value is not one."""
    try:
        return optional_id(value)
    except ValueError:
        return None


# Every number a user types is finite and within this: big enough for any real reach,
# budget or score input, small enough that products and sums of a few stay finite.
MAX_NUMBER = 1e12
MIN_POSITIVE = 1e-6  # the smallest divisor (effort, job size) a score may divide by


def finite_number(value: float) -> bool:
    return isinstance(value, int | float) and math.isfinite(value) and abs(value) <= MAX_NUMBER
