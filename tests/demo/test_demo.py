"""`seed-demo` builds the demo workspace once; `--if-empty` leaves it alone afterwards."""

from sqlalchemy import func, select

from accounts.models import Membership, Workspace
from blueprint.sharing.models import ShareLink
from extensions import db
from web.i18n import format_when


def test_seed_demo_creates_workspace_with_three_roles(runner, client):
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    workspace = db.session.execute(
        select(Workspace).filter_by(name="Northwind Wholesale")
    ).scalar_one()
    roles = sorted(
        m.role.value
        for m in db.session.scalars(select(Membership).filter_by(workspace_id=workspace.id))
    )
    assert roles == ["editor", "owner", "viewer"]
    login = client.post("/login", data={"email": "demo@example.com", "password": "rootline-demo"})
    assert login.status_code == 302
    # Dana lands in the demo workspace and is told of Eli's invitation to his own
    page = client.get("/blueprints").get_data(as_text=True)
    assert "Workspace: <strong>Northwind Wholesale</strong>" in page
    assert "Eli Editor (editor@example.com) invites you to join" in page
    assert "Northwind Field Service" in page


def test_seed_demo_if_empty_runs_once(runner, app):
    assert runner.invoke(args=["seed-demo", "--if-empty"]).exit_code == 0
    again = runner.invoke(args=["seed-demo", "--if-empty"])
    assert again.exit_code == 0 and "leaving it as it is" in again.output
    assert db.session.scalar(select(func.count()).select_from(Workspace)) == 2  # and Eli's
    refused = runner.invoke(args=["seed-demo"])
    assert refused.exit_code != 0


def test_the_demo_lists_a_share_link_with_its_label_and_last_use(runner, client, app):
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    link = db.session.execute(select(ShareLink)).scalar_one()
    assert link.label == "For the steering group" and link.last_used_at is not None
    client.post("/login", data={"email": "demo@example.com", "password": "rootline-demo"})
    page = client.get(f"/blueprints/{link.blueprint_id}/share").get_data(as_text=True)
    assert "For the steering group" in page and "Works" in page
    with app.test_request_context():  # as the page shows it, in English and UTC
        assert format_when(link.last_used_at) in page
    history = client.get(f"/blueprints/{link.blueprint_id}/history").get_data(as_text=True)
    assert "viewed the summary" in history


def test_the_demo_editor_edits_the_demo_board_in_place(runner, client):
    from blueprint.models import Element, ServiceBlueprint, Stage

    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    client.post("/login", data={"email": "editor@example.com", "password": "rootline-demo"})
    blueprint = db.session.scalars(select(ServiceBlueprint).order_by(ServiceBlueprint.id)).first()
    page = client.get(f"/blueprints/{blueprint.id}").get_data(as_text=True)
    assert "board-edit.js" in page and "data-quick-add" in page and "data-move" in page
    stage = db.session.scalars(select(Stage).filter_by(blueprint_id=blueprint.id)).first()
    added = client.post(
        f"/blueprints/{blueprint.id}/board/steps",
        data={"stage_id": stage.id, "kind": "support", "title": "Workshop note"},
        headers={"X-Rootline-Board": "1"},
    )
    assert added.status_code == 200 and ">Undo</button>" in added.get_data(as_text=True)
    assert db.session.scalar(select(Element.id).filter_by(title="Workshop note")) is not None


def test_the_demo_insights_show_the_evidence_they_came_from(runner, client, tmp_path):
    from backlog.evidence.models import EvidenceImport, EvidenceRow
    from backlog.models import Insight
    from blueprint.evidence.files import read_file
    from demo import evidence_files

    # the generator is seeded: the same bytes every time, in the encodings exports use
    assert evidence_files.tickets_csv() == evidence_files.tickets_csv()
    tickets = read_file(evidence_files.tickets_csv(), "t.csv")
    assert (tickets.encoding, tickets.delimiter_name) == ("cp1250", "semicolon")
    survey = read_file(evidence_files.survey_csv(), "s.csv")
    assert (survey.encoding, survey.delimiter_name) == ("utf-8-sig", "comma")
    assert evidence_files.main(["x", str(tmp_path)]) == 0
    assert (tmp_path / "northwind-tickets.csv").read_bytes() == evidence_files.tickets_csv()

    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    names = set(db.session.scalars(select(EvidenceImport.file_name)))
    assert names == {"northwind-tickets.csv", "northwind-nps.csv"}
    imported = db.session.scalar(select(func.count()).select_from(EvidenceRow))
    assert imported == len(tickets.rows) + len(survey.rows)
    insight = db.session.scalar(
        select(Insight).where(Insight.title.like("Reports a short delivery%tickets"))
    )
    assert insight.evidence_reference.startswith(f"{insight_rows(insight)} rows 2026-01-")
    client.post("/login", data={"email": "demo@example.com", "password": "rootline-demo"})
    page = client.get(f"/insights/{insight.id}").get_data(as_text=True)
    assert "Evidence rows" in page and "northwind-tickets.csv" in page
    assert "category “Dostawa” is mapped to Reports a short delivery" in page


def insight_rows(insight) -> int:
    from backlog.evidence.models import EvidenceRow

    return db.session.scalar(
        select(func.count()).select_from(EvidenceRow).where(EvidenceRow.insight_id == insight.id)
    )
