"""A workbook's words: written in the exporter's language, read in any. Pure.

Workbook modules write English words marked with `N_` (so `make translations` collects them
into the workbooks catalog) and receive a `Words`, built by the view or the job
(web/workbook_words.py, with Flask-Babel): `words("Action plan")` says a word in the
exporter's language, `words("%(n)s rows", n=3)` fills in its values, and `words.lookup`
maps what a cell says, in any language Rootline speaks (or several mixed in one file), back
to the English word the code works with. Without one, a module writes and reads English.

>>> polish = Words({"Done": "Zrobione"}.get, ({"Done": "Zrobione"}.get,))
>>> polish("Done"), polish("Idea")
('Zrobione', 'Idea')
>>> polish.lookup(["Done", "Idea"])["zrobione"]
'Done'
>>> ENGLISH.lookup(["In progress"])[fold("  in   PROGRESS ")]
'In progress'
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

__all__ = ["ENGLISH", "N_", "Translate", "Words", "fold"]

# a word in English → the same word in one language (None or the word itself: untranslated)
Translate = Callable[[str], "str | None"]


def N_(text: str) -> str:
    """Marks an English word of a workbook for the workbooks catalog; says it unchanged."""
    return text


def _english(text: str) -> str:
    return text


def fold(text: object) -> str:
    """A cell or a word as readers compare them: outer and doubled spaces gone, any case."""
    return " ".join(str(text).split()).casefold() if text is not None else ""


@dataclass(frozen=True)
class Words:
    """The exporter's language (`say`) and every language a reader accepts (`languages`,
    English always among them)."""

    say: Translate = _english
    languages: tuple[Translate, ...] = ()
    number: Callable[[int], str] = "{:,}".format  # a count as the language writes it
    # (singular, plural, n) → the form for n in the exporter's language (Polish has three)
    plural: Callable[[str, str, int], str] | None = None
    context: Callable[[str, str], str] | None = None  # (context, word) → the word there

    def __call__(self, text: str, **values) -> str:
        said = self.say(text) or text
        return said % values if values else said

    def pgettext(self, context: str, text: str) -> str:
        """`text` in its `context`, for a word that says different things in different places
        (the About sheet's "Order", the example stage "Order")."""
        if self.context is None:
            return text
        return self.context(context, text) or text

    def ngettext(self, singular: str, plural: str, n: int, **values) -> str:
        """The form of a word for `n` things, with its values (`n` among them)."""
        if self.plural is not None:
            said = self.plural(singular, plural, n)
        else:
            said = singular if n == 1 else plural
        return said % {"n": n, **values}

    def forms(self, text: str) -> list[str]:
        """`text` in English and in every language readers accept, each once."""
        found = [text]
        for translate in self.languages:
            form = translate(text) or text
            if form not in found:
                found.append(form)
        return found

    def lookup(self, texts: Iterable[str]) -> dict[str, str]:
        """Every form of every English word of `texts`, folded (see `fold`) → the word."""
        return {fold(form): text for text in texts for form in self.forms(text)}


ENGLISH = Words()
