"""Every form, fuzzed: over-long, empty, unicode, control characters, numbers out of range,
ids of another workspace. The answer is always a success or a 4xx — never a 500 (the test
client re-raises server errors) — and the database stays consistent."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from backlog.models import BacklogSettings
from blueprint.models import Element
from extensions import db

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

FORMS = {
    "/blueprints/new": [
        "name",
        "goal",
        "scope",
        "persona_id",
        "state",
        "owner_id",
        "review_cadence_days",
        "last_reviewed_on",
    ],
    "/blueprints/{blueprint}/stages": ["name"],
    "/blueprints/{blueprint}/elements/new": [
        "stage_id",
        "kind",
        "title",
        "channel",
        "duration_minutes",
        "tolerance_minutes",
        "emotion",
        "evidence_source",
    ],
    "/elements/{element}/edit": ["title", "emotion", "duration_minutes", "channel"],
    "/elements/{element}/links": ["kind", "target_id"],
    "/elements/{element}/move": ["offset"],
    "/personas/new": ["name", "segment", "buying_role"],
    "/catalog/new": ["kind", "title"],
    "/insights/new": [
        "kind",
        "title",
        "element_id",
        "blueprint_id",
        "severity",
        "frequency",
        "evidence_source",
        "observed_on",
    ],
    "/tasks/new": [
        "title",
        "status",
        "owner_id",
        "due_on",
        "impact",
        "effort",
        "reach",
        "rice_impact",
        "confidence",
        "effort_months",
        "ice_ease",
        "job_size",
        "insight_ids",
        "target_ids",
    ],
    "/backlog/settings": ["framework", "quadrant_threshold"],
    "/backlog/bulk-status": ["task_ids", "status"],
    "/workspaces": ["name"],
}


def read_versions(path: str, ids: dict[str, int], workspace_id: int) -> dict[str, str]:
    """The versions a browser would send with the form, read now: edits posted without
    them are refused with 409 before any field is looked at, which would fuzz nothing."""
    db.session.expire_all()
    if path.startswith("/elements/{element}/") and not path.endswith("/links"):
        return {"version": str(db.session.get(Element, ids["element"]).version)}
    if path == "/backlog/settings":
        row = db.session.get(BacklogSettings, workspace_id)
        return {"version": str(row.version)} if row else {}
    return {}


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_no_form_input_ever_causes_a_server_error(client, world, login, bmap, data):
    login(world.owner)
    ids = {"blueprint": bmap.blueprint.id, "element": bmap.desk.id}
    for path, fields in FORMS.items():
        form = {name: data.draw(NASTY, label=f"{path} {name}") for name in fields}
        if data.draw(st.booleans(), label="use a foreign id"):
            form[fields[-1]] = str(bmap.foreign.id)
        form |= read_versions(path, ids, world.workspace.id)
        response = client.post(path.format(**ids), data=form)
        assert response.status_code < 500, (path, form)
        assert response.status_code in (200, 302, 303, 400, 403, 404, 409, 413, 422), (
            path,
            response.status_code,
        )
    assert_consistent(world)


def test_the_fuzzed_edit_forms_reach_their_fields(client, world, login, bmap):
    """The fuzz above sends each versioned form its version: a valid edit is saved, so
    what the fuzz gets back is the fields' own answer, not the missing version's 409."""
    login(world.owner)
    ids = {"blueprint": bmap.blueprint.id, "element": bmap.desk.id}
    edit = "/elements/{element}/edit"
    form = {"title": "Desk, fuzzed", **read_versions(edit, ids, world.workspace.id)}
    assert client.post(edit.format(**ids), data=form).status_code in (302, 303)
    settings_form = {"framework": "rice", "quadrant_threshold": "4"}
    for _ in range(2):  # the first save makes the row, the second needs its version
        settings_form |= read_versions("/backlog/settings", ids, world.workspace.id)
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
    }
    for name, sql in checks.items():
        assert db.session.execute(text(sql)).scalar() == 0, name


def test_nul_characters_are_refused_with_a_message_on_every_form(client, world, login, bmap):
    login(world.owner)
    ids = {"blueprint": bmap.blueprint.id, "element": bmap.desk.id}
    for path, fields in FORMS.items():
        response = client.post(path.format(**ids), data={name: "a\x00b" for name in fields})
        assert response.status_code == 400, path
        assert "cannot contain NUL characters" in response.get_data(as_text=True)
    assert client.get("/blueprints?q=a%00b").status_code == 400
