"""Matching evidence rows to the steps of one blueprint, with the reason for every row.
Pure: plain rows and steps in, a `Match` per row out.

Each row is tried in this order, and the first that answers wins:

1. **step column** (`STEP`): the row's step cell, normalised, equals a step's title or an
   alias the team saved for it. Score 100.
2. **category** (`CATEGORY`): the row's category, normalised, is one the team mapped to a
   step of this blueprint (the category → step mapping kept per workspace). Score 100.
3. **fuzzy** (`FUZZY`): the row's text against every step's title, description and
   aliases, by rapidfuzz's `token_set_ratio` on normalised text; the best choice wins if its
   score reaches `FUZZY_THRESHOLD`.
4. **unmatched** (`UNMATCHED`): nothing reached the threshold; the best fuzzy score and the
   step it was for are kept, so the preview can say how close it came.

**Normalised text**: case folded and diacritics removed (`blueprint.folding.fold`: "Płatność"
is "platnosc"), everything but letters and digits a space, words of fewer than three
letters and a short list of Polish and English function words dropped, and every word cut
to its first `STEM` (6) letters, and always by its last letter (at least three kept). The
cut is a deliberately light stemmer: Polish endings change the end of a word ("faktura",
"faktury", "fakturze", "fakturą" all become "faktur"; "płatności", "płatnością" become
"platno"; "paczka", "paczki" become "paczk"), as English ones do ("delivery", "delivered":
"delive"). A dictionary lemmatiser (Morfeusz, spaCy's Polish model) would need hundreds of
megabytes and still miss the slang of tickets; the cut is measured by tests/blueprint/
test_evidence_matching.py.

**The threshold** (`FUZZY_THRESHOLD` = 65): `token_set_ratio` scores 100 when every word of
the shorter side appears in the other, so a step title whose words are all in a ticket
matches at 100 however long the ticket; a ticket holding one word of a two-word title
scores about 60 to 70 ("Dostawy zawsze spóźnione" against "Dostawa paczki": 67), and text
sharing no word with any step stays under 40. 65 takes the first and leaves what shares a
word only by chance to the team's aliases and category mapping, which always win.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from blueprint.folding import fold

__all__ = [
    "CATEGORY",
    "FUZZY",
    "FUZZY_THRESHOLD",
    "KINDS",
    "STEM",
    "STEP",
    "UNMATCHED",
    "Match",
    "Matcher",
    "Step",
    "key_of",
    "normalise",
]

STEP = "step"
CATEGORY = "category"
FUZZY = "fuzzy"
UNMATCHED = "unmatched"
KINDS = (STEP, CATEGORY, FUZZY, UNMATCHED)

FUZZY_THRESHOLD = 65
STEM = 6

_NON_WORD = re.compile(r"[^0-9a-z]+")
STOP_WORDS = frozenset(
    # Polish and English function words of three letters or more (shorter ones go anyway)
    """and are but for from has have not the this that was were with you your our can will
    all any its his her they them then than there when what which who why how into out
    nie jest sie czy jak ale lub oraz dla przez przy jako tak tylko juz jeszcze byl byla
    bylo bardzo mam mnie moje moja moj nas was ich jego jej ten tym tego tej sa ktory
    ktora ktore gdy aby zeby bo""".split()
)


def normalise(text: str) -> str:
    """`text` as the fuzzy match compares it (see the module's docstring).

    >>> normalise("Płatność kartą nie przeszła!")
    'platno kart przesz'
    >>> normalise("The DELIVERY was delivered late")
    'delive delive lat'
    """
    words = _NON_WORD.sub(" ", fold(text)).split()
    return " ".join(
        w[: max(3, min(STEM, len(w) - 1))] for w in words if len(w) > 2 and w not in STOP_WORDS
    )


def key_of(text: str) -> str:
    """A title, alias or category as the exact paths compare it: folded, spaces single."""
    return " ".join(_NON_WORD.sub(" ", fold(text)).split())


@dataclass(frozen=True)
class Step:
    """A step a row may match: its element id, title, description and saved aliases."""

    element_id: int
    title: str
    description: str = ""
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Match:
    """Where one row went and why. `element_id` None: unmatched. `score` and `threshold`
    are the fuzzy match's (for an unmatched row: the best score and the step it was for,
    `element_id` still None; `near_id` names it); `via` is the title, alias or category that
    matched exactly."""

    kind: str
    element_id: int | None
    score: float | None = None
    threshold: int | None = None
    via: str = ""
    near_id: int | None = None


class Matcher:
    """The steps of one blueprint with the team's aliases and category → step mapping,
    prepared once; `match` then answers one row at a time."""

    def __init__(
        self,
        steps: Iterable[Step],
        categories: Mapping[str, int] | None = None,
        threshold: int = FUZZY_THRESHOLD,
    ):
        self.steps = {s.element_id: s for s in steps}
        self.threshold = threshold
        self.exact: dict[str, tuple[int, str]] = {}
        self.choices: list[str] = []
        self.owners: list[int] = []
        for step in self.steps.values():
            for alias in step.aliases:  # a title wins over another step's alias
                self.exact.setdefault(key_of(alias), (step.element_id, alias))
        for step in self.steps.values():
            self.exact[key_of(step.title)] = (step.element_id, step.title)
            for text in (step.title, step.description, *step.aliases):
                choice = normalise(text)
                if choice:
                    self.choices.append(choice)
                    self.owners.append(step.element_id)
        self.categories = {
            key_of(c): e for c, e in (categories or {}).items() if e in self.steps and key_of(c)
        }

    def match(self, text: str, step: str = "", category: str = "") -> Match:
        if step:
            found = self.exact.get(key_of(step))
            if found:
                return Match(STEP, found[0], 100.0, None, found[1])
        if category:
            element_id = self.categories.get(key_of(category))
            if element_id is not None:
                return Match(CATEGORY, element_id, 100.0, None, category)
        query = normalise(text)
        best = (
            process.extractOne(query, self.choices, scorer=fuzz.token_set_ratio, processor=None)
            if query and self.choices
            else None
        )
        if best is None:
            return Match(UNMATCHED, None, 0.0, self.threshold)
        _, score, index = best
        score = round(float(score), 1)
        if score >= self.threshold:
            return Match(FUZZY, self.owners[index], score, self.threshold)
        return Match(UNMATCHED, None, score, self.threshold, near_id=self.owners[index])

    def match_all(self, rows: Sequence, progress=None) -> list[Match]:
        """`match` for rows with `.text`, `.step` and `.category`; `progress(done, total)`
        hears every thousand rows."""
        out = []
        total = len(rows)
        for n, row in enumerate(rows, 1):
            out.append(self.match(row.text, row.step, row.category))
            if progress is not None and n % 1000 == 0:
                progress(n, total)
        return out


def content_hash(reference: str, text: str, day) -> str:
    """What a row is remembered by in its workspace, so importing it again never counts it
    twice: its reference (ticket id) when it has one, else its normalised text and date."""
    if reference:
        key = "ref\x1f" + reference.strip()
    else:
        key = "text\x1f" + " ".join(fold(text).split()) + "\x1f" + (str(day) if day else "")
    return hashlib.sha256(key.encode("utf-8")).hexdigest()
