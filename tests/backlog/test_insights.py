"""Insights: create from an element, edit, delete, filters, confirmed causes, why-chains,
and their weight in the root-cause ranking and on the board."""

from sqlalchemy import func, select

from backlog.models import ConfirmedCause, Insight, WhyStep
from extensions import db
from tests import factories as f

JSON = {"Accept": "application/json"}


def count(model, **where):
    return db.session.scalar(select(func.count()).select_from(model).filter_by(**where))


def test_record_insight_from_an_element(client, world, login, bmap):
    login(world.editor)
    form = client.get(f"/insights/new?element_id={bmap.buyer.id}").get_data(as_text=True)
    assert f'<option selected value="{bmap.buyer.id}">' in form
    response = client.post(
        "/insights/new",
        data={
            "kind": "pain_point",
            "title": "Order never confirmed",
            "element_id": bmap.buyer.id,
            "severity": "4",
            "frequency": "5",
            "evidence_source": "call_centre",
            "evidence_reference": "Ticket 4411",
            "observed_on": "2026-10-01",
        },
    )
    assert response.status_code == 302
    insight = db.session.execute(select(Insight)).scalar_one()
    assert insight.blueprint_id == bmap.blueprint.id  # taken from the element
    assert insight.weight == 20 and insight.author_id == world.editor.id
    page = client.get(f"/insights/{insight.id}").get_data(as_text=True)
    assert "Ticket 4411" in page and "4 × 5 = 20" in page


def test_insight_validation(client, world, login, bmap):
    login(world.editor)
    cases = [
        ({"title": "", "severity": "3", "frequency": "3"}, "This field is required."),
        ({"title": "x", "severity": "6", "frequency": "3"}, "Not a valid choice"),
        ({"title": "x", "severity": "3", "frequency": "0"}, "Not a valid choice"),
        (
            {"title": "x", "severity": "3", "frequency": "3", "element_id": bmap.foreign.id},
            "Choose an element of this workspace.",
        ),
    ]
    for data, message in cases:
        response = client.post("/insights/new", data={"kind": "pain_point", **data})
        assert response.status_code == 422, data
        assert message in response.get_data(as_text=True), data
    assert count(Insight) == 0


def test_edit_and_delete_insight(client, world, login, bmap):
    insight = f.make_insight(world.workspace, "Slow", bmap.buyer)
    f.commit()
    login(world.editor)
    response = client.post(
        f"/insights/{insight.id}/edit",
        data={
            "kind": "observation",
            "version": insight.version,
            "title": "Slow-ish",
            "element_id": bmap.desk.id,
            "severity": "2",
            "frequency": "2",
        },
    )
    assert response.status_code == 302
    db.session.refresh(insight)
    assert (insight.title, insight.kind.value, insight.element_id) == (
        "Slow-ish",
        "observation",
        bmap.desk.id,
    )
    insight_id = insight.id
    assert client.post(f"/insights/{insight_id}/delete").status_code == 302
    assert db.session.get(Insight, insight_id) is None


def test_insight_list_filters(client, world, login, bmap):
    f.make_insight(world.workspace, "Hurts a lot", bmap.buyer, severity=5, evidence_source="survey")
    f.make_insight(world.workspace, "Nice idea", bmap.desk, kind="opportunity", severity=2)
    f.commit()
    login(world.viewer)
    assert "Nice idea" not in client.get("/insights?kind=pain_point").get_data(as_text=True)
    page = client.get("/insights?min_severity=4").get_data(as_text=True)
    assert "Hurts a lot" in page and "Nice idea" not in page
    assert "Hurts a lot" not in client.get("/insights?source=crm").get_data(as_text=True)
    assert "Hurts a lot" not in client.get("/insights?has_cause=yes").get_data(as_text=True)
    assert "Hurts a lot" in client.get(f"/insights?blueprint_id={bmap.blueprint.id}").get_data(
        as_text=True
    )


def test_confirm_causes_from_the_trace(client, world, login, bmap):
    insight = f.make_insight(world.workspace, "Late", bmap.buyer)
    f.commit()
    login(world.editor)
    page = client.get(f"/insights/{insight.id}").get_data(as_text=True)
    assert f'value="{bmap.person.id}"' in page  # a candidate from the trace
    response = client.post(
        f"/insights/{insight.id}/causes", data={"causes": [bmap.person.id, bmap.desk.id]}
    )
    assert response.status_code == 302
    assert set(db.session.scalars(select(ConfirmedCause.element_id))) == {
        bmap.person.id,
        bmap.desk.id,
    }
    # something the element does not rely on cannot be a confirmed cause
    refused = client.post(f"/insights/{insight.id}/causes", data={"causes": [bmap.backoffice.id]})
    assert refused.status_code == 422
    assert count(ConfirmedCause) == 2
    assert "Late" in client.get("/insights?has_cause=yes").get_data(as_text=True)


def test_why_chain(client, world, login, bmap):
    insight = f.make_insight(world.workspace, "Late", bmap.buyer)
    f.commit()
    login(world.editor)
    client.post(f"/insights/{insight.id}/whys", data={"answer": "The desk is slow"})
    client.post(
        f"/insights/{insight.id}/whys",
        data={"answer": "Two seats are empty", "element_id": bmap.person.id},
    )
    empty = client.post(f"/insights/{insight.id}/whys", data={"answer": ""})
    assert empty.status_code == 422
    steps = db.session.scalars(select(WhyStep).order_by(WhyStep.position)).all()
    assert [(s.answer, s.element_id) for s in steps] == [
        ("The desk is slow", None),
        ("Two seats are empty", bmap.person.id),
    ]
    page = client.get(f"/insights/{insight.id}").get_data(as_text=True)
    assert page.index("The desk is slow") < page.index("Two seats are empty")
    step_id = steps[0].id
    client.post(f"/whys/{step_id}/delete")
    assert db.session.get(WhyStep, step_id) is None


def test_insights_weigh_in_the_root_cause_ranking(client, world, login, bmap):
    f.make_insight(world.workspace, "Never confirmed", bmap.buyer, severity=4, frequency=5)
    f.make_insight(world.workspace, "Just an idea", bmap.buyer, kind="opportunity")
    f.commit()
    login(world.viewer)
    data = client.get("/root-causes", headers=JSON).get_json()
    scores = {row["title"]: row["score"] for row in data["ranking"]}
    # the desk (relied on by the buyer) carries the insight's 20 and its own fail point (1,
    # a fail point is evidence that the step breaks); the person and system under the desk
    # carry both as well
    assert scores == {"Desk confirms": 21, "Service desk": 21, "ERP": 21}
    desk = next(r for r in data["ranking"] if r["title"] == "Service desk")
    assert "Insight: Never confirmed" in desk["pain_labels"]
    assert "Insight: Just an idea" not in desk["pain_labels"]
    page = client.get("/root-causes").get_data(as_text=True)
    assert "Insight: Never confirmed" in page


def test_board_and_element_page_show_insight_markers(client, world, login, bmap):
    f.make_insight(world.workspace, "A", bmap.buyer, severity=2)
    f.make_insight(world.workspace, "B", bmap.buyer, severity=5)
    f.commit()
    login(world.viewer)
    board = client.get(f"/blueprints/{bmap.blueprint.id}").get_data(as_text=True)
    card = board[board.index(f'id="el-{bmap.buyer.id}"') :]
    assert "2 insights · worst 5/5" in card[: card.index("</article>")]
    element = client.get(f"/elements/{bmap.buyer.id}").get_data(as_text=True)
    assert "2 insights · worst 5/5" in element
