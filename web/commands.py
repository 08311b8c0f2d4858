"""Commands in the language of the shell (`flask --app wsgi …` under LANG=pl_PL.UTF-8
speaks Polish): `command` and `option` are click's own, with two differences.

- Help texts are lazy strings (`lazy_gettext`), said when `--help` prints them. Click turns
  an option's help into a plain string when the option is made (at import, before any
  language is known), so `Option` keeps the lazy one and says it when it is read. A
  command's help is its `help=`, not its docstring: the catalogs collect marked strings.
- A command parses its arguments (and prints its help) and runs in the shell's language
  (`web.i18n.shell_language`), chosen afresh each time, so an app context that outlives one
  command (a test's) does not keep the language of an earlier one. A job started by a
  command works in that language too; a job's own (jobs/runner.py) still wins inside it.

Click's own words around them ("Usage:", "Options", "Show this message and exit.", its
usage errors) go through the standard library's gettext, in its default domain, which
reads the same variables of the shell; `CLICK_WORDS` marks the ones people meet for the
messages catalog, and a command binds that domain to our catalogs before it parses.

Machine output (`--json`, ids, file paths) is never translated: only what people read.
"""

from __future__ import annotations

import gettext
from typing import Any

import click
from flask_babel import force_locale

from web.i18n import TRANSLATIONS, shell_language

__all__ = ["CLICK_WORDS", "Command", "Option", "command", "option"]


def N_(text: str) -> str:
    """Marks one of click's own texts for the messages catalog."""
    return text


def N_plural(singular: str, plural: str) -> tuple[str, str]:
    return singular, plural


# What click itself says in a command's help and usage errors (its msgids, exactly as
# click writes them), translated in the messages catalog.
CLICK_WORDS = (
    N_("Usage:"), N_("Options"), N_("Commands"), N_("Show this message and exit."),
    N_("required"), N_("default: {default}"), N_("Aborted!"),
    N_("Error: {message}"), N_("Try '{command} {option}' for help."),
    N_("Invalid value: {message}"), N_("Invalid value for {param_hint}: {message}"),
    N_("Missing argument"), N_("Missing option"), N_("Missing parameter"),
    N_("No such option {name!r}."), N_("No such command {name!r}."),
    N_("Repeat for confirmation"), N_("Error: The two entered values do not match."),
    N_plural("{value!r} is not {choice}.", "{value!r} is not one of {choices}."),
    N_("{value!r} is not a valid {number_type}."), N_("{value} is not in the range {range}."),
)  # fmt: skip


def _click_speaks_our_catalogs() -> None:
    # click calls gettext.gettext, the default domain ("messages"), which picks the
    # language from LANGUAGE, LC_ALL, LC_MESSAGES and LANG as shell_language does
    gettext.bindtextdomain(gettext.textdomain(), str(TRANSLATIONS))


class _SaidHelp:
    """`help` kept as given (a lazy string) and read as a string in the language of the
    moment: click measures and wraps it as text."""

    @property
    def help(self) -> str | None:
        return None if self._help is None else str(self._help)

    @help.setter
    def help(self, value) -> None:
        self._help = value


class Command(_SaidHelp, click.Command):
    def make_context(self, info_name, args, parent=None, **extra) -> click.Context:
        _click_speaks_our_catalogs()
        with force_locale(shell_language()):  # --help is printed while parsing
            return super().make_context(info_name, args, parent, **extra)

    def invoke(self, ctx: click.Context) -> Any:
        with force_locale(shell_language()):
            return super().invoke(ctx)


class Option(_SaidHelp, click.Option):
    def __init__(self, *args, help=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)  # without help: click would make it English text
        self.help = help


def command(name: str, help, **attrs):
    """`click.command(name, help=…)` in the shell's language; `help` a lazy string."""
    return click.command(name, cls=Command, help=help, **attrs)


def option(*decls: str, **attrs):
    """`click.option(…)` whose `help=` (a lazy string) is said when help is printed."""
    return click.option(*decls, cls=Option, **attrs)
