"""Round trips of the action plan: an export uploaded again unchanged changes nothing and
has no problem, for generated workspaces with every field set, under every framework."""

from hypothesis import HealthCheck, given, settings

from backlog import updates
from backlog.export import action_plan_bytes
from backlog.scoring import FRAMEWORKS
from extensions import db
from tests import roundtrip

PROPERTY = settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,  # each example rolls its rows back
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)


def reimport(workspace, content: bytes) -> updates.Preview:
    """Read `content` as the upload does and preview it, through the kept JSON rows."""
    rows, problems = updates.read_rows(content)
    assert problems == []
    return updates.preview(workspace.id, updates.from_payload(updates.to_payload(rows)))


@PROPERTY
@given(spec=roundtrip.workspaces())
def test_an_unchanged_action_plan_imports_as_no_change(app, spec):
    try:
        workspace = roundtrip.build(spec)
        for framework in sorted(FRAMEWORKS):
            result = reimport(workspace, action_plan_bytes(workspace, framework))
            assert [str(p) for p in result.problems] == [], framework
            assert [(c.task.title, c.changes) for c in result.changes] == [], framework
            assert result.rows == len(spec.tasks)
    finally:
        db.session.rollback()
