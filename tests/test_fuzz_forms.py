"""Every form, fuzzed: over-long, empty, unicode, control characters, numbers out of range,
ids of another workspace. The answer is always a success or a 4xx — never a 500 (the test
client re-raises server errors) — and the database stays consistent.

The forms come from the app's URL map: each POST route is posted to once with nothing, and
the form its view validates names the fields to fuzz, so a new form is fuzzed without anyone
listing it. A view that reads its fields without a form names them in RAW_FIELDS; a route
that cannot be fuzzed says why in NOT_FUZZED; a POST route that is neither fuzzed nor
excluded fails the suite.
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass

import wtforms
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text
from werkzeug.routing import Rule

from backlog.models import BacklogSettings, ImprovementTask, Insight
from blueprint.models import Element, Persona, RankingSettings, ServiceBlueprint, Stage
from extensions import db
from tests.helpers import fresh_ids, post_routes, route_args, route_url

NASTY = st.one_of(
    st.text(max_size=30),
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=190, max_size=300),
    st.sampled_from(
        [
            "",
            " ",
            "\x00",
            "a\x00b",
            "-1",
            "0",
            "99999999999999999999",
            "1e309",
            "nan",
            "inf",
            "-0.5",
            "３",
            "2026-13-45",
            "=1+1",
            "<script>",
            "'; DROP",
        ]
    ),
    st.integers(-(2**70), 2**70).map(str),
)

NO_FIELDS = "no fields: what it acts on is in its URL (tests/test_fuzz_routes.py walks those)"

# POST routes the fuzz leaves out, and why.
NOT_FUZZED = {
    "accounts.login": "the fuzz is logged in, and the login page sends a user home before "
    "its form (tests/accounts/test_login.py refuses bad logins)",
    "accounts.join": "a setup link is for someone without an account: a logged-in user is "
    "sent home before its form (tests/accounts/test_invitations.py)",
    "accounts.logout": "no fields, and it would end the fuzzing owner's session",
    "accounts.remove_member": NO_FIELDS,
    "accounts.switch_workspace": NO_FIELDS,
    "accounts.withdraw_invitation": NO_FIELDS,
    "backup.start_backup": NO_FIELDS,
    "backlog.accept_impact": NO_FIELDS,
    "backlog.delete_insight": NO_FIELDS,
    "backlog.delete_task": NO_FIELDS,
    "backlog.delete_why": NO_FIELDS,
    "backlog.import_apply": NO_FIELDS,
    "backlog.evidence_apply": NO_FIELDS,
    "backlog.start_summary_pdf": NO_FIELDS,
    "service_blueprints.delete": NO_FIELDS,
    "service_blueprints.delete_persona": NO_FIELDS,
    "service_blueprints.duplicate": NO_FIELDS,
    "service_blueprints.mark_reviewed": NO_FIELDS,
    "service_blueprints.revoke_share_link": NO_FIELDS,
    # the board's: the step or the change is in the URL, a delete carries only its version
    "service_blueprints.board_delete_element": NO_FIELDS,
    "service_blueprints.undo_change": NO_FIELDS,
    "service_blueprints.undo_latest": NO_FIELDS,
    "service_blueprints.start_board_pdf": NO_FIELDS,
}

# Views that read posted fields without a form, and the fields they read.
RAW_FIELDS = {
    "backlog.quick_task": ("source", "insight_id", "element_id", "kind"),
    "service_blueprints.delete_link": ("back_to",),
    "service_blueprints.update_apply": ("token",),
}

# Forms behind the login throttle: after a few wrong passwords their answer is a 429 with
# the message next to the field (README, "Accounts and access").
THROTTLED = {"accounts.change_password"}

# The row whose version a versioned form carries: the one its URL names, by argument...
VERSIONED_ROWS = {
    "blueprint_id": ServiceBlueprint,
    "stage_id": Stage,
    "element_id": Element,
    "persona_id": Persona,
    "insight_id": Insight,
    "task_id": ImprovementTask,
}
# ...or the workspace's own row, for forms whose URL names none.
WORKSPACE_ROWS = {
    "backlog.settings": BacklogSettings,
    "service_blueprints.ranking_settings": RankingSettings,
}


@dataclass(frozen=True)
class Target:
    """A POST route to fuzz: the fields its form has, and whether it carries a version."""

    rule: Rule
    fields: tuple[str, ...]
    versioned: bool = False


class _Validating(Exception):
    """Raised by the first form a view validates: the view stops before it acts."""

    def __init__(self, form):
        super().__init__(type(form).__name__)
        self.form = form


@contextmanager
def _stop_at_validation():
    original = wtforms.Form.validate

    def stop(form, *args, **kwargs):
        raise _Validating(form)

    wtforms.Form.validate = stop
    try:
        yield
    finally:
        wtforms.Form.validate = original


_found: dict[str, tuple[tuple[str, ...], bool] | None] = {}


def form_fields(app, client, rule: Rule, ids: dict) -> tuple[tuple[str, ...], bool] | None:
    """(fields, versioned) of the form the view of `rule` validates when it is posted
    nothing, or None when it validates none. The client must be logged in as an owner."""
    if rule.endpoint not in _found:
        found = None
        with _stop_at_validation():
            try:
                client.post(route_url(app, rule, ids), data={}).close()
            except _Validating as stopped:
                names = [
                    field.name
                    for field in stopped.form
                    if field.type not in ("SubmitField", "CSRFTokenField")
                ]
                found = (tuple(n for n in names if n != "version"), "version" in names)
        _found[rule.endpoint] = found
    return _found[rule.endpoint]


def fuzz_targets(app, client, ids: dict) -> list[Target]:
    """Every POST route but those NOT_FUZZED, with the fields to fuzz. Deletions come last:
    a valid one removes rows the other forms are fuzzed on."""
    targets = []
    for rule in post_routes(app):
        if rule.endpoint in NOT_FUZZED:
            continue
        if rule.endpoint in RAW_FIELDS:
            targets.append(Target(rule, RAW_FIELDS[rule.endpoint]))
            continue
        found = form_fields(app, client, rule, ids)
        assert found and found[0], (
            f"{rule.endpoint} validates no form with fields: name the fields its view reads "
            "in RAW_FIELDS, or say in NOT_FUZZED why it is not fuzzed"
        )
        targets.append(Target(rule, *found))
    return sorted(targets, key=lambda t: t.rule.endpoint.split(".")[-1].startswith("delete"))


def read_versions(target: Target, ids: dict, workspace_id: int) -> dict[str, str]:
    """The version a browser would send with the form, read now: edits posted without
    it are refused with 409 before any field is looked at, which would fuzz nothing."""
    if not target.versioned:
        return {}
    db.session.expire_all()
    named = [a for a in target.rule.arguments if a in VERSIONED_ROWS]
    if len(named) == 1:
        row = db.session.get(VERSIONED_ROWS[named[0]], route_args(target.rule, ids)[named[0]])
    elif target.rule.endpoint in WORKSPACE_ROWS:
        row = db.session.get(WORKSPACE_ROWS[target.rule.endpoint], workspace_id)
    else:
        row = None  # a form that makes a new row
    return {"version": str(row.version)} if row else {}


def test_every_post_route_is_fuzzed_or_says_why_not(app, client, world, login):
    login(world.owner)
    endpoints = {rule.endpoint for rule in post_routes(app)}
    assert set(NOT_FUZZED) - endpoints == set(), "these routes are gone: remove them"
    assert set(RAW_FIELDS) - endpoints == set(), "these routes are gone: remove them"
    assert set(NOT_FUZZED) & set(RAW_FIELDS) == set()
    targets = {t.rule.endpoint: t for t in fuzz_targets(app, client, fresh_ids(world, world.owner))}
    assert set(targets) | set(NOT_FUZZED) == endpoints
    # the fields found are the form's own, versions aside
    edit = targets["service_blueprints.edit_element"]
    assert edit.versioned and {"title", "duration_minutes", "channel"} <= set(edit.fields)
    assert "version" not in edit.fields
    assert {"insight_ids", "target_ids"} <= set(targets["backlog.new_task"].fields)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_no_form_input_ever_causes_a_server_error(app, client, world, login, bmap, data):
    login(world.owner)
    ids = fresh_ids(world, world.owner)
    # the example's nasty values, shared out among every field of every form: drawn one by
    # one, the fields of all forms together would need more data than Hypothesis gives one
    # example
    values = data.draw(st.lists(NASTY, min_size=1, max_size=12), label="nasty values")
    for target in fuzz_targets(app, client, ids):
        endpoint, fields = target.rule.endpoint, target.fields
        form = {
            name: data.draw(st.sampled_from(values), label=f"{endpoint} {name}") for name in fields
        }
        if data.draw(st.booleans(), label="use a foreign id"):
            id_fields = [n for n in fields if n.endswith(("_id", "_ids"))] or list(fields)
            form[data.draw(st.sampled_from(id_fields), label="in")] = str(bmap.foreign.id)
        form |= read_versions(target, ids, world.workspace.id)
        response = client.post(route_url(app, target.rule, ids), data=form)
        assert response.status_code < 500, (endpoint, form)
        allowed = {200, 302, 303, 400, 403, 404, 409, 413, 422}
        assert response.status_code in allowed | ({429} if endpoint in THROTTLED else set()), (
            endpoint,
            response.status_code,
        )
    assert_consistent(world)


def test_the_fuzzed_edit_forms_reach_their_fields(app, client, world, login, bmap):
    """The fuzz above sends each versioned form its version: a valid edit is saved, so
    what the fuzz gets back is the fields' own answer, not the missing version's 409."""
    login(world.owner)
    targets = {t.rule.endpoint: t for t in fuzz_targets(app, client, fresh_ids(world, world.owner))}
    ids = {"element_id": bmap.desk.id}
    edit = targets["service_blueprints.edit_element"]
    form = {"title": "Desk, fuzzed", **read_versions(edit, ids, world.workspace.id)}
    assert client.post(route_url(app, edit.rule, ids), data=form).status_code in (302, 303)
    backlog_settings = targets["backlog.settings"]
    settings_form = {"framework": "rice", "quadrant_threshold": "4"}
    for _ in range(2):  # the first save makes the row, the second needs its version
        settings_form |= read_versions(backlog_settings, ids, world.workspace.id)
        assert client.post("/backlog/settings", data=settings_form).status_code in (302, 303)
    db.session.expire_all()
    assert db.session.get(Element, bmap.desk.id).title == "Desk, fuzzed"


def assert_consistent(world):
    checks = {
        "element in a stage of another blueprint": """
            SELECT count(*) FROM element e JOIN stage s ON s.id = e.stage_id
            WHERE s.blueprint_id <> e.blueprint_id""",
        "link across workspaces": """
            SELECT count(*) FROM link l JOIN element a ON a.id = l.source_id
            JOIN element b ON b.id = l.target_id
            WHERE a.workspace_id <> b.workspace_id OR l.workspace_id <> a.workspace_id""",
        "insight on another workspace's element": """
            SELECT count(*) FROM insight i JOIN element e ON e.id = i.element_id
            WHERE e.workspace_id <> i.workspace_id""",
        "task target in another workspace": """
            SELECT count(*) FROM task_target t JOIN improvement_task k ON k.id = t.task_id
            JOIN element e ON e.id = t.element_id WHERE e.workspace_id <> k.workspace_id""",
        "share link in another workspace than its blueprint": """
            SELECT count(*) FROM share_link l JOIN service_blueprint b ON b.id = l.blueprint_id
            WHERE b.workspace_id <> l.workspace_id""",
    }
    for name, sql in checks.items():
        assert db.session.execute(text(sql)).scalar() == 0, name


def test_nul_characters_are_refused_with_a_message_on_every_form(app, client, world, login, bmap):
    login(world.owner)
    ids = fresh_ids(world, world.owner)
    for target in fuzz_targets(app, client, ids):
        data = {name: "a\x00b" for name in target.fields}
        response = client.post(route_url(app, target.rule, ids), data=data)
        assert response.status_code == 400, target.rule.endpoint
        assert "cannot contain NUL characters" in response.get_data(as_text=True)
    assert client.get("/blueprints?q=a%00b").status_code == 400
