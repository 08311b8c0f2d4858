"""The house rules that hold the code together, checked on the code itself.

1. Pure modules import neither Flask nor the database: each of `PURE_MODULES`, imported in a
   fresh interpreter, leaves no `flask`, `sqlalchemy`, `flask_sqlalchemy` or `extensions` in
   `sys.modules`. They take plain values and return plain values, so they are tested without
   an app and reused by views, CLI commands, jobs and benchmarks alike.
2. Imports point one way, `backlog -> blueprint -> jobs -> accounts -> the neutral bottom`:
   every import statement of the app (lazy ones inside functions too) is read with `ast`, and
   none may reach a layer above its own module's. `backup/` and `demo/` sit above all and may
   import everything; `wsgi.py` wires everything and nothing imports it.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

# The modules that promise to stay pure: the one list (README and docs/architecture.md
# name the rule, not the modules). A new pure module goes here; a module that needs Flask
# or the database is not pure and does not belong here (split the pure part out instead).
PURE_MODULES = (
    # the method's words, and the board drawn from plain data
    "blueprint.kinds",
    "blueprint.words",
    "blueprint.board",
    "blueprint.board_routing",
    "blueprint.board_svg",
    "blueprint.board_svg_parts",
    "blueprint.board_print",
    "blueprint.svgfont",
    # titles folded for the type-ahead search (stored beside the title, and the query)
    "blueprint.folding",
    # graph algorithms on a networkx graph the caller built
    "blueprint.analysis.trace",
    "blueprint.analysis.ranking",
    "blueprint.analysis.blast_radius",
    "blueprint.analysis.handoffs",
    "blueprint.analysis.health",
    "blueprint.analysis.dependencies",
    "blueprint.diagrams",
    # what the analysis pages show: their JSON twins and the rows their templates receive
    "blueprint.analysis_json",
    "blueprint.analysis_rows",
    # what a page opened through a share link may show
    "blueprint.sharing.pages",
    # the blueprint workbook: building, reading, diffing (all of it but blueprint.workbook.apply)
    "blueprint.workbook",
    "blueprint.workbook.layout",
    "blueprint.workbook.write",
    "blueprint.workbook.drop_downs",
    "blueprint.workbook.template",
    "blueprint.workbook.read",
    "blueprint.workbook.update",
    "blueprint.workbook.changes",
    "blueprint.workbook.size",
    # evidence files read, their rows matched to steps, an insight proposed per step
    "blueprint.evidence",
    "blueprint.evidence.files",
    "blueprint.evidence.rows",
    "blueprint.evidence.matching",
    "blueprint.evidence.proposals",
    # the backlog's words, scoring and the action plan workbook
    "backlog.kinds",
    "backlog.scoring",
    "backlog.matrix",
    "backlog.impact",
    "backlog.workbook",
    "backlog.workbook_matrix",
    "backlog.plan_file",
    # neutral helpers at the bottom
    "clock",
    "config",
    "safeinput",
    "pdfprint",
    # the workbook kit under both workbooks
    "workbooks.cells",
    "workbooks.problems",
    "workbooks.reading",
    "workbooks.xlsxsafe",
    "workbooks.words",
)
IMPURE = ("flask", "sqlalchemy", "flask_sqlalchemy", "extensions")

# The direction, bottom to top: a package may import the ones before it, never after.
DIRECTION = ("accounts", "jobs", "blueprint", "backlog")
# Shared and neutral, below every package: they import none of the packages above (only
# one another), and every package may use them.
BOTTOM = frozenset(
    {
        "clock",
        "config",
        "database",
        "dbtypes",
        "downloads",
        "extensions",
        "pdfprint",
        "safeinput",
        "tokens",
        "web",
        "workbooks",
    }
)
# Above all: they put the packages to work (a workspace's backup, the demo data) and may
# import every one of them; no package imports them.
ABOVE_ALL = frozenset({"backup", "demo"})
# The composition root: create_app wires every package; nothing imports it.
WIRING = frozenset({"wsgi"})
# Not the app: they may import anything, and are not walked.
NOT_APP = frozenset(
    {"tests", "benchmarks", "devsupport", "migrations", "docs", "static", "templates"}
)
# What tests and benchmarks run on: the app never imports it.
SUPPORT = frozenset({"tests", "benchmarks", "devsupport"})


def _app_units() -> dict[str, Path]:
    """Every top-level package and root module of the app, by import name."""
    units = {}
    for path in sorted(ROOT.iterdir()):
        if path.name.startswith(".") or path.name in NOT_APP:
            continue
        if path.is_dir() and (path / "__init__.py").exists():
            units[path.name] = path
        elif path.suffix == ".py":
            units[path.stem] = path
    return units


def _may_import(importer: str, imported: str) -> bool:
    if importer == imported or importer in WIRING:
        return True
    if imported in WIRING or imported in ABOVE_ALL:
        return False
    if importer in ABOVE_ALL:
        return True
    if imported in BOTTOM:
        return True
    if importer in BOTTOM:
        return False
    return DIRECTION.index(imported) < DIRECTION.index(importer)


def imports_against_direction(unit: str, source: str, known: set[str]) -> list[tuple[int, str]]:
    """(line, imported module) of every import in `source`, a file of `unit`, that runs
    against the direction. Only the app's own units count; relative imports stay inside."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        for name in names:
            top = name.split(".")[0]
            if top in known and not _may_import(unit, top):
                found.append((node.lineno, name))
    return found


def _files(unit_path: Path) -> list[Path]:
    return sorted(unit_path.rglob("*.py")) if unit_path.is_dir() else [unit_path]


def test_every_package_has_its_place_in_the_direction():
    placed = set(DIRECTION) | BOTTOM | ABOVE_ALL | WIRING
    unplaced = sorted(set(_app_units()) - placed)
    assert not unplaced, f"tell tests/test_house.py where these sit: {unplaced}"


def test_imports_point_one_way():
    units = _app_units()
    wrong = [
        f"{path.relative_to(ROOT)}:{line} imports {name}"
        for unit, unit_path in units.items()
        for path in _files(unit_path)
        for line, name in imports_against_direction(unit, path.read_text(), set(units))
    ]
    assert not wrong, "imports against backlog -> blueprint -> jobs -> accounts:\n" + "\n".join(
        wrong
    )


def test_the_app_imports_nothing_of_its_tests_or_benchmarks():
    wrong = [
        f"{path.relative_to(ROOT)}:{node.lineno} imports {name}"
        for unit_path in _app_units().values()
        for path in _files(unit_path)
        for node in ast.walk(ast.parse(path.read_text()))
        for name in (
            [a.name for a in node.names]
            if isinstance(node, ast.Import)
            else [node.module or ""]
            if isinstance(node, ast.ImportFrom) and node.level == 0
            else []
        )
        if name.split(".")[0] in SUPPORT
    ]
    assert not wrong, "the app imports what only tests and benchmarks use:\n" + "\n".join(wrong)


@pytest.mark.parametrize(
    ("unit", "source", "wrong"),
    [
        ("accounts", "from blueprint.models import Element", True),
        ("accounts", "def f():\n    import backlog.queries", True),  # lazy imports count
        ("jobs", "from blueprint import services", True),
        ("blueprint", "from backlog.models import Insight", True),
        ("extensions", "from accounts.models import User", True),
        ("backlog", "from demo import seed_demo_command", True),
        ("blueprint", "import wsgi", True),
        ("backlog", "from blueprint.models import Element\nimport jobs\nimport accounts", False),
        ("accounts", "from extensions import db\nfrom clock import utcnow", False),
        ("blueprint", "from .models import Element\nimport networkx", False),
        ("demo", "from backlog.models import Insight", False),
        ("wsgi", "from demo import seed_demo_command", False),
    ],
)
def test_the_direction_check_sees_an_import_upwards(unit, source, wrong):
    known = set(DIRECTION) | BOTTOM | ABOVE_ALL | WIRING
    assert bool(imports_against_direction(unit, source, known)) is wrong


_PROBE = """
import importlib, json, sys
impure = {impure!r}
loaded = {{}}
for name in {modules!r}:
    try:
        importlib.import_module(name)
    except ModuleNotFoundError as error:
        if not (name == error.name or name.startswith(error.name + ".")):
            raise
        loaded[name] = ["(no such module: moved? update PURE_MODULES)"]
    else:
        loaded[name] = sorted(m for m in impure if m in sys.modules)
print(json.dumps(loaded))
"""


def _probe(modules: tuple[str, ...]) -> dict[str, list[str]]:
    """Import `modules` in order in a fresh interpreter: which impure modules each leaves
    loaded (cumulatively)."""
    done = subprocess.run(
        [sys.executable, "-c", _PROBE.format(impure=IMPURE, modules=modules)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_pure_modules_load_neither_flask_nor_the_database():
    loaded = _probe(PURE_MODULES)
    if any(loaded.values()):
        # one interpreter per module, only now, to name the culprits
        culprits = {name: found for name in PURE_MODULES if (found := _probe((name,))[name])}
        pytest.fail(f"pure modules that load Flask or the database: {culprits}")
