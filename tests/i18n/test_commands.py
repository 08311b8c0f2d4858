"""Commands speak the language of the shell, as gettext programs do: the first of LANGUAGE,
LC_ALL, LC_MESSAGES and LANG that is set (LANG=pl_PL.UTF-8: Polish; C, POSIX or a language
Rootline does not speak: English), their output for people and their --help alike; what
programs read (--json) stays as it is, and a job keeps the language of its starter."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import click
import pytest
from flask_babel import gettext
from openpyxl import load_workbook

from jobs.runner import in_starters_language
from web.commands import Command, Option
from web.i18n import SHELL_LANGUAGE_VARIABLES
from web.i18n import shell_language as language_of
from web.workbook_words import current_language

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({"LANG": "pl_PL.UTF-8"}, "pl"),
        ({"LANG": "pl"}, "pl"),
        ({"LANG": "pl_PL@euro"}, "pl"),
        ({"LANG": "C"}, "en"),
        ({"LANG": "C.UTF-8"}, "en"),
        ({"LANG": "POSIX"}, "en"),
        ({"LANG": "de_DE.UTF-8"}, "en"),
        ({}, "en"),
        ({"LC_ALL": "pl_PL.UTF-8", "LANG": "en_GB.UTF-8"}, "pl"),
        ({"LC_MESSAGES": "pl_PL.UTF-8", "LANG": "en_GB.UTF-8"}, "pl"),
        ({"LC_ALL": "C", "LANG": "pl_PL.UTF-8"}, "en"),  # the first one set wins
        ({"LANGUAGE": "en", "LC_ALL": "pl_PL.UTF-8"}, "en"),
        ({"LANGUAGE": "de:pl:en", "LANG": "C"}, "pl"),  # its first language Rootline speaks
        ({"LANGUAGE": "", "LC_ALL": "", "LANG": "pl_PL.UTF-8"}, "pl"),  # empty is not set
    ],
)
def test_the_shell_language_is_the_first_variable_set(environ, expected):
    assert language_of(environ) == expected


def test_a_command_says_what_it_did_and_refuses_in_the_shells_language(
    runner, world, shell_language, tmp_path
):
    shell_language("pl_PL.UTF-8")
    made = runner.invoke(
        args=["create-user", "ada@example.com", "--name", "Ada", "--password-stdin"],
        input="a long enough password\n",
    )
    assert made.exit_code == 0, made.output
    assert "Utworzono użytkownika ada@example.com." in made.output
    out = str(tmp_path / "plan.xlsx")
    refused = runner.invoke(args=["export-plan", "--workspace", "Nowhere", "--out", out])
    assert refused.exit_code != 0
    assert "Błąd: Nie ma przestrzeni roboczej o nazwie 'Nowhere'." in refused.output
    missing = runner.invoke(args=["create-user", "bo@example.com"])
    assert missing.exit_code != 0 and "Brak opcji '--name'." in missing.output

    shell_language("C")  # the same app context: the language is chosen afresh
    done = runner.invoke(args=["disable-user", "ada@example.com"])
    assert done.exit_code == 0 and "ada@example.com is disabled." in done.output
    refused = runner.invoke(args=["export-plan", "--workspace", "Nowhere", "--out", out])
    assert "Error: No workspace is called 'Nowhere'." in refused.output
    missing = runner.invoke(args=["create-user", "bo@example.com"])
    assert "Missing option '--name'." in missing.output


def test_a_written_workbook_is_in_the_shells_language(runner, world, shell_language, tmp_path):
    out = tmp_path / "plan.xlsx"
    args = ["export-plan", "--workspace", world.workspace.name, "--out", str(out)]
    shell_language("pl_PL.UTF-8")
    result = runner.invoke(args=args)
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Zapisano plan działań przestrzeni Acme Support")
    assert "Plan działań" in load_workbook(io.BytesIO(out.read_bytes())).sheetnames
    shell_language("C.UTF-8")
    assert runner.invoke(args=args).output.startswith("Wrote the action plan of Acme Support")
    assert "Action plan" in load_workbook(io.BytesIO(out.read_bytes())).sheetnames


def test_help_is_in_the_shells_language(runner, shell_language):
    shell_language("pl_PL.UTF-8")
    polish = runner.invoke(args=["import-evidence", "--help"])
    assert polish.exit_code == 0, polish.output
    assert "Dopasowuje plik z dowodami do kroków mapy usługi" in polish.output
    assert "Kolumna z tekstem." in polish.output  # an option's
    assert "Gdy kilka przestrzeni roboczych ma tę nazwę" in polish.output  # a shared option's
    # click's own frame; its --help option's text is not checked: click keeps that option
    # once made, so its words are those of the first --help the process printed
    assert "Użycie:" in polish.output
    assert "The column holding the text." not in polish.output
    shell_language("C")
    english = runner.invoke(args=["import-evidence", "--help"])
    assert "Match an evidence file to a blueprint's steps" in english.output
    assert "The column holding the text." in english.output and "Usage:" in english.output


def test_the_flask_command_lists_and_explains_commands_in_the_shells_language(tmp_path):
    """The real entry point, as an administrator types it."""
    env = {k: v for k, v in os.environ.items() if k not in SHELL_LANGUAGE_VARIABLES}
    env |= {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'help.db'}",
        "ROOTLINE_JOBS_URL": f"sqlite:///{tmp_path / 'jobs.sqlite'}",
        "SECRET_KEY": "help-test-secret",
        "LANG": "pl_PL.UTF-8",
    }
    flask = [sys.executable, "-m", "flask", "--app", "wsgi"]

    def run(*args: str) -> str:
        done = subprocess.run(
            [*flask, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
        )
        assert done.returncode == 0, done.stderr
        return done.stdout

    listing = run("--help")
    assert "Tworzy użytkownika, który może się logować." in listing
    assert "Create a user who can log in." not in listing
    assert "Wczytaj hasło ze standardowego wejścia." in run("create-user", "--help")


def test_a_job_keeps_its_starters_language_in_a_polish_shell(app, shell_language):
    shell_language("pl_PL.UTF-8")
    assert (gettext("Password"), current_language()) == ("Hasło", "pl")
    with in_starters_language(SimpleNamespace(params={"language": "en"})):
        assert (gettext("Password"), current_language()) == ("Password", "en")


def test_every_command_is_made_to_speak_the_shells_language(app):
    """A new command made with click.command directly would speak English only."""
    ours = {n: c for n, c in app.cli.commands.items() if n != "db"}  # db: Flask-Migrate's
    assert len(ours) >= 14
    for name, made in ours.items():
        assert isinstance(made, Command), name
        for param in made.params:
            if isinstance(param, click.Option) and param.help:
                assert isinstance(param, Option), (name, param.name)
