"""Titles folded for search: case, accents and spacing do not matter ("Café  Crème" and
"cafe creme" are the same key). Pure: the models store the key beside the title, the search
folds what the user typed the same way, and both meet in one indexed column.

>>> fold("  Ångström   Straße ")
'angstrom strasse'
>>> fold("Łódź — Øresund")
'lodz — oresund'
"""

from __future__ import annotations

import unicodedata

__all__ = ["KEY_LENGTH", "fold", "prefix_bound"]

KEY_LENGTH = 400  # a 200-character title may grow when ligatures and ß are spelled out

# letters that carry their mark in the letter itself, so NFKD does not split it off
_LETTERS = str.maketrans(
    {
        "ø": "o",
        "Ø": "o",
        "æ": "ae",
        "Æ": "ae",
        "œ": "oe",
        "Œ": "oe",
        "đ": "d",
        "Đ": "d",
        "ð": "d",
        "Ð": "d",
        "ł": "l",
        "Ł": "l",
        "ħ": "h",
        "Ħ": "h",
        "ŧ": "t",
        "Ŧ": "t",
        "þ": "th",
        "Þ": "th",
        "ı": "i",
    }
)


def fold(text: str) -> str:
    """`text` without case, diacritics or repeated spaces, at most KEY_LENGTH characters."""
    # twice: compatibility forms decompose to capitals (𝐴 → A) and case folding makes marks
    # (İ → i̇), each undone by the other step
    return " ".join(_bare(_bare(text)).split())[:KEY_LENGTH].rstrip()


def _bare(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.translate(_LETTERS).casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def prefix_bound(prefix: str) -> str | None:
    """The smallest string greater than every string that starts with `prefix` (in code
    point order, which is byte order in UTF-8), for an index range `>= prefix < bound`;
    None when there is none (an empty prefix, or one ending in the last code point)."""
    if not prefix or prefix[-1] == "\U0010ffff":
        return None
    following = ord(prefix[-1]) + 1
    if 0xD800 <= following <= 0xDFFF:  # surrogates are no characters: skip past them
        following = 0xE000
    return prefix[:-1] + chr(following)
