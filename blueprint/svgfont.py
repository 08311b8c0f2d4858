"""Text in a standalone SVG: measure it with the real font, wrap it, and embed the font.

SVG has no text wrapping and a file opened elsewhere may not have our fonts, so the board's
SVG is laid out with DejaVu Sans's own advance widths and carries a subset of the font (only
the characters it uses) as a data: URI. Pure: no Flask, no database.
"""

from __future__ import annotations

import base64
import io
import re
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont

FONT_DIR = Path(__file__).parent / "fonts"
FAMILY = "Rootline DejaVu Sans"
FILES = {400: "DejaVuSans.ttf", 700: "DejaVuSans-Bold.ttf"}

# Characters XML 1.0 does not allow; imported titles may carry them.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def clean(text: str) -> str:
    """`text` without the characters an XML file cannot hold, on one line."""
    return _NOT_XML.sub("", " ".join(str(text).split()))


@dataclass(frozen=True)
class _Metrics:
    advances: dict[int, int]  # code point -> advance width in font units
    fallback: int
    units_per_em: int


@cache
def _metrics(weight: int) -> _Metrics:
    with TTFont(io.BytesIO(_font_file(weight))) as font:
        hmtx = font["hmtx"]
        advances = {code: hmtx[glyph][0] for code, glyph in font.getBestCmap().items()}
        return _Metrics(advances, hmtx[".notdef"][0], font["head"].unitsPerEm)


@cache
def _font_file(weight: int) -> bytes:
    return (FONT_DIR / FILES[weight]).read_bytes()


@lru_cache(maxsize=1 << 16)  # words and badges repeat across a board's cards
def text_width(text: str, size: float, bold: bool = False) -> float:
    m = _metrics(700 if bold else 400)
    units = sum(m.advances.get(ord(ch), m.fallback) for ch in text)
    return units * size / m.units_per_em


def wrap(text: str, width: float, size: float, bold: bool = False, max_lines: int = 3) -> list[str]:
    """Greedy word wrap to `width` pixels; words longer than a line are broken, and text
    beyond `max_lines` ends the last line with an ellipsis. Widths add up (no kerning), so
    each word is measured once."""
    lines: list[str] = []
    current, current_w = "", 0.0
    space = text_width(" ", size, bold)
    for word in clean(text).split(" "):
        word_w = text_width(word, size, bold)
        candidate_w = current_w + space + word_w if current else word_w
        if candidate_w <= width:
            current, current_w = (f"{current} {word}" if current else word), candidate_w
            continue
        if current:
            lines.append(current)
        current, current_w = word, word_w
        while current_w > width and len(current) > 1:
            cut = _fit(current, width, size, bold)
            lines.append(current[:cut])
            current = current[cut:]
            current_w = text_width(current, size, bold)
    if current:
        lines.append(current)
    if len(lines) > max_lines:
        last = lines[max_lines - 1]
        while last and text_width(last + "…", size, bold) > width:
            last = last[:-1].rstrip()
        lines = [*lines[: max_lines - 1], last + "…"]
    return lines


def _fit(word: str, width: float, size: float, bold: bool) -> int:
    cut = 1
    while cut < len(word) and text_width(word[: cut + 1], size, bold) <= width:
        cut += 1
    return cut


def font_face_css(texts: dict[int, str]) -> str:
    """@font-face rules embedding, per weight, a subset of DejaVu Sans holding every
    character of `texts[weight]` (names and licence kept, as the font's licence asks)."""
    rules = []
    for weight, text in sorted(texts.items()):
        data = base64.b64encode(_subset(weight, "".join(sorted(set(text))))).decode("ascii")
        rules.append(
            f'@font-face{{font-family:"{FAMILY}";font-weight:{weight};font-style:normal;'
            f'src:url(data:font/ttf;base64,{data}) format("truetype")}}'
        )
    return "\n".join(rules)


def _subset(weight: int, characters: str) -> bytes:
    options = subset.Options()
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.name_legacy = True
    options.notdef_outline = True
    options.drop_tables += ["FFTM"]  # FontForge timestamps: nothing to draw with
    options.layout_features = ["kern", "liga"]
    font = TTFont(io.BytesIO(_font_file(weight)))
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=characters + " …")
    subsetter.subset(font)
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()
