"""The board as the editor, on the server: each control's endpoint answers the board's
script (X-Rootline-Board: 1) with the board redrawn and a plain form post with a redirect;
viewers are refused (403), other workspaces' rows are not found (404), a change read at an
older version is refused (409) with its message on the card, and every change is in the
audit trail."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from accounts.audit import AuditEvent
from blueprint.models import BoardChange, Element, ElementKind, Link, Stage
from blueprint.services import ordered_stages
from extensions import db
from tests import factories as f

BOARD = {"X-Rootline-Board": "1"}


def post(client, url, data=None, board=True):
    return client.post(url, data=data or {}, headers=BOARD if board else {})


def lane(stage: Stage, kind: str) -> list[str]:
    db.session.expire_all()
    return list(
        db.session.scalars(
            select(Element.title)
            .where(Element.stage_id == stage.id, Element.kind == ElementKind(kind))
            .order_by(Element.position, Element.id)
        )
    )


def last_event() -> int:
    return db.session.scalar(select(func.coalesce(func.max(AuditEvent.id), 0)))


def events_since(since: int) -> list[tuple[str, str, int | None]]:
    return [
        (e.action, e.entity, e.user_id)
        for e in db.session.scalars(select(AuditEvent).where(AuditEvent.id > since))
    ]


def fresh(row):
    db.session.expire_all()
    return db.session.get(type(row), row.id)


# --- quick add ---------------------------------------------------------------------------


def test_quick_add_puts_the_step_last_in_its_cell_and_answers_with_the_board(
    client, world, login, bmap
):
    login(world.editor)
    since = last_event()
    url = f"/blueprints/{bmap.blueprint.id}/board/steps"
    data = {"stage_id": bmap.stages[0].id, "kind": "customer_action", "title": "Signs the quote"}
    response = post(client, url, data)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    new = db.session.scalar(select(Element).filter_by(title="Signs the quote"))
    assert f'data-element-id="{new.id}"' in page and 'id="board-live"' in page
    assert "“Signs the quote” added to Customer actions in Order." in page
    assert ">Undo</button>" in page
    assert lane(bmap.stages[0], "customer_action") == ["Places order", "Signs the quote"]
    assert events_since(since) == [("create", "element", world.editor.id)]

    # without the board's script: a redirect to the board, whose notice offers the Undo
    response = post(client, url, {**data, "title": "Countersigns"}, board=False)
    assert response.status_code == 302
    change = db.session.scalar(select(func.max(BoardChange.id)))
    assert f"done={change}" in response.location
    board = client.get(response.location).get_data(as_text=True)
    assert "“Countersigns” added to Customer actions in Order." in board
    assert f"/board-changes/{change}/undo" in board


def test_quick_add_refuses_what_does_not_fit_and_writes_nothing(app, client, world, login, bmap):
    login(world.editor)
    url = f"/blueprints/{bmap.blueprint.id}/board/steps"
    count = lambda: db.session.scalar(select(func.count(Element.id)))  # noqa: E731
    before = count()
    blank = post(client, url, {"stage_id": bmap.stages[0].id, "kind": "frontstage", "title": " "})
    assert blank.status_code == 422
    assert "Title of the new step: This field is required." in blank.get_data(as_text=True)
    person = post(client, url, {"stage_id": bmap.stages[0].id, "kind": "person", "title": "X"})
    assert person.status_code == 422
    foreign_stage = db.session.scalar(
        select(Stage.id).where(Stage.workspace_id == world.other_workspace.id)
    )
    assert (
        post(
            client, url, {"stage_id": foreign_stage, "kind": "frontstage", "title": "X"}
        ).status_code
        == 404
    )
    assert (
        post(client, url, {"stage_id": "١", "kind": "frontstage", "title": "X"}).status_code == 422
    )
    assert count() == before

    client.post("/logout")
    login(world.viewer)
    data = {"stage_id": bmap.stages[0].id, "kind": "frontstage", "title": "X"}
    assert post(client, url, data).status_code == 403
    client.post("/logout")
    login(world.outsider)
    assert post(client, url, data).status_code == 404
    assert count() == before


def test_board_changes_need_their_csrf_token(make_app, world, bmap):
    app = make_app(WTF_CSRF_ENABLED=True)
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    client.post(
        "/login", data={"email": world.editor.email, "password": f.PASSWORD, "csrf_token": token}
    )
    board = client.get(f"/blueprints/{bmap.blueprint.id}").get_data(as_text=True)
    token = re.search(r'data-token="([^"]+)"', board).group(1)
    url = f"/blueprints/{bmap.blueprint.id}/board/steps"
    data = {"stage_id": bmap.stages[0].id, "kind": "frontstage", "title": "Forged"}
    assert client.post(url, data=data, headers=BOARD).status_code == 400
    assert client.post(url, data={**data, "csrf_token": token}, headers=BOARD).status_code == 200
    titles = list(db.session.scalars(select(Element.title)))
    assert titles.count("Forged") == 1  # the one with its token
    link = db.session.scalar(select(Link.id))
    for url in (  # and every other control of the board
        f"/elements/{bmap.desk.id}/panel",
        f"/elements/{bmap.desk.id}/place",
        f"/stages/{bmap.stages[0].id}/place",
        f"/elements/{bmap.desk.id}/board-delete",
        f"/elements/{bmap.desk.id}/board-links",
        f"/links/{link}/kind",
        f"/links/{link}/unlink",
        f"/blueprints/{bmap.blueprint.id}/board/undo",
        f"/blueprints/{bmap.blueprint.id}/stages",
        f"/elements/{bmap.desk.id}/move",
    ):
        assert client.post(url, data={"version": "1"}, headers=BOARD).status_code == 400, url


def test_a_stage_added_from_the_header_row_comes_last(client, world, login, bmap):
    login(world.editor)
    response = post(client, f"/blueprints/{bmap.blueprint.id}/stages", {"name": "Invoice"})
    assert response.status_code == 200
    assert "Stage “Invoice” added." in response.get_data(as_text=True)
    assert [s.name for s in ordered_stages(bmap.blueprint.id)] == ["Order", "Deliver", "Invoice"]
    refused = post(client, f"/blueprints/{bmap.blueprint.id}/stages", {"name": "*"})
    assert refused.status_code == 422
    assert "* stands for all stages" in refused.get_data(as_text=True)


# --- the side panel ----------------------------------------------------------------------


def test_the_side_panel_saves_a_cards_title_and_marks(client, world, login, bmap):
    login(world.editor)
    url = f"/elements/{bmap.buyer.id}/panel"
    assert client.get(url).status_code == 302  # without the script: the full form
    panel = client.get(url, headers=BOARD).get_data(as_text=True)
    assert 'value="Places order"' in panel and 'name="emotion"' in panel
    assert 'name="description"' not in panel  # the full form's, one link away
    assert 'name="emotion"' not in client.get(
        f"/elements/{bmap.desk.id}/panel", headers=BOARD
    ).get_data(as_text=True)
    since = last_event()
    data = {
        "title": "Places the order",
        "fail_point": "y",
        "fail_note": "Forms time out",
        "moment_of_truth": "y",
        "emotion": "-1",
        "channel": "web",
        "duration_minutes": "20",
        "tolerance_minutes": "10",
        "evidence_source": "interview",
        "evidence_status": "observed",
        "version": bmap.buyer.version,
    }
    response = post(client, url, data)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "“Places the order” saved." in page and 'id="board-panel-body"' in page
    buyer = fresh(bmap.buyer)
    assert (buyer.title, buyer.fail_point, buyer.moment_of_truth, buyer.emotion) == (
        "Places the order",
        True,
        True,
        -1,
    )
    assert (buyer.channel.value, buyer.duration_minutes, buyer.over_tolerance) == ("web", 20, True)
    assert events_since(since) == [("update", "element", world.editor.id)]
    assert post(client, url, {**data, "emotion": "5", "version": buyer.version}).status_code == 422


def test_a_panel_save_over_a_newer_version_keeps_the_users_values(app, client, world, login, bmap):
    login(world.editor)
    version = bmap.desk.version
    other = app.test_client()
    other.post("/login", data={"email": world.owner.email, "password": f.PASSWORD})
    post(
        other,
        f"/elements/{bmap.desk.id}/place",
        {
            "stage_id": bmap.stages[1].id,
            "kind": "frontstage",
            "version": version,
        },
    )
    response = post(
        client, f"/elements/{bmap.desk.id}/panel", {"title": "Desk calls back", "version": version}
    )
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "“Desk confirms” was changed by someone else since you opened the board" in page
    assert 'class="card-message" role="alert"' in page
    assert 'value="Desk calls back"' in page  # still in the panel, nothing lost
    desk = fresh(bmap.desk)
    assert desk.title == "Desk confirms" and desk.stage_id == bmap.stages[1].id
    assert f'name="version" type="hidden" value="{desk.version}"' in page
    again = post(
        client,
        f"/elements/{bmap.desk.id}/panel",
        {"title": "Desk calls back", "version": desk.version},
    )
    assert again.status_code == 200
    desk = fresh(bmap.desk)
    assert (desk.title, desk.stage_id) == ("Desk calls back", bmap.stages[1].id)


# --- moving ------------------------------------------------------------------------------


def test_a_card_goes_to_any_cell_and_place(client, world, login, bmap):
    order, deliver = bmap.stages
    login(world.editor)
    url = f"/elements/{bmap.buyer.id}/place"
    response = post(
        client,
        url,
        {
            "stage_id": deliver.id,
            "kind": "backstage",
            "before_id": bmap.backoffice.id,
            "version": bmap.buyer.version,
        },
    )
    assert response.status_code == 200
    assert lane(deliver, "backstage") == ["Places order", "Allocate stock"]
    buyer = fresh(bmap.buyer)
    assert buyer.kind is ElementKind.BACKSTAGE and buyer.emotion is None
    assert "its emotion (+1) was cleared" in response.get_data(as_text=True)
    read_at = buyer.version
    post(client, url, {"stage_id": deliver.id, "kind": "backstage", "version": read_at})
    assert lane(deliver, "backstage") == ["Allocate stock", "Places order"]
    stale = post(client, url, {"stage_id": order.id, "kind": "frontstage", "version": read_at})
    assert stale.status_code == 409
    assert "“Places order” was changed by someone else" in stale.get_data(as_text=True)
    assert lane(deliver, "backstage") == ["Allocate stock", "Places order"]
    foreign = db.session.scalar(
        select(Stage.id).where(Stage.workspace_id == world.other_workspace.id)
    )
    buyer = fresh(bmap.buyer)
    assert (
        post(
            client, url, {"stage_id": foreign, "kind": "backstage", "version": buyer.version}
        ).status_code
        == 404
    )
    assert (
        post(
            client,
            f"/elements/{bmap.person.id}/place",
            {
                "stage_id": order.id,
                "kind": "backstage",
                "version": bmap.person.version,
            },
        ).status_code
        == 404
    )  # people and systems have no cell


def test_the_arrows_go_and_say_where(client, world, login, bmap):
    order, deliver = bmap.stages
    later = f.make_element(order, "frontstage", "Desk double-checks")
    f.commit()
    login(world.editor)
    page = client.get(f"/blueprints/{bmap.blueprint.id}").get_data(as_text=True)
    assert 'aria-label="Put Desk confirms after “Desk double-checks”"' in page
    assert 'aria-label="Put Desk double-checks at the start of Deliver"' in page
    for first in ('"Put Desk confirms before', '"Put Desk confirms at the end'):
        assert first not in page  # first in the journey: no ←
    assert 'aria-label="Move stage Order after Deliver"' in page
    assert 'aria-label="Move stage Order before' not in page
    response = post(client, f"/elements/{later.id}/move", {"offset": "1", "version": later.version})
    assert response.status_code == 200
    assert lane(order, "frontstage") == ["Desk confirms"]
    assert lane(deliver, "frontstage") == ["Desk double-checks"]
    later = fresh(later)
    post(client, f"/elements/{later.id}/move", {"offset": "-1", "version": later.version})
    assert lane(order, "frontstage") == ["Desk confirms", "Desk double-checks"]


def test_stages_are_placed_by_their_headers(client, world, login, bmap):
    order, deliver = bmap.stages
    login(world.editor)
    response = post(
        client, f"/stages/{order.id}/place", {"before_id": "", "version": order.version}
    )
    assert response.status_code == 200
    assert [s.name for s in ordered_stages(bmap.blueprint.id)] == ["Deliver", "Order"]
    stale = post(client, f"/stages/{deliver.id}/place", {"before_id": "", "version": "1"})
    assert stale.status_code == 409
    order = fresh(order)
    post(client, f"/stages/{order.id}/place", {"before_id": deliver.id, "version": order.version})
    assert [s.name for s in ordered_stages(bmap.blueprint.id)] == ["Order", "Deliver"]


# --- linking -----------------------------------------------------------------------------


def _kinds(source) -> dict[str, str]:
    db.session.expire_all()
    rows = db.session.execute(
        select(Element.title, Link.kind)
        .join(Element, Element.id == Link.target_id)
        .where(Link.source_id == source.id)
    ).all()
    return {title: kind.value for title, kind in rows}


def test_a_link_takes_its_kind_from_what_it_points_at(client, world, login, bmap):
    login(world.editor)
    url = f"/elements/{bmap.backoffice.id}/board-links"
    panel = client.get(url, headers=BOARD).get_data(as_text=True)
    assert (
        "Links of “Allocate stock”" in panel
        and '<label class="form-label" for="link-search">Relies on</label>' in panel
    )
    for target in (bmap.person, bmap.system, bmap.desk):
        assert post(client, url, {"target_id": target.id}).status_code == 200
    assert _kinds(bmap.backoffice) == {
        "Service desk": "performed_by",
        "ERP": "uses",
        "Desk confirms": "relies_on",
    }
    created = post(client, url, {"new_title": "Warehouse team", "new_kind": "person"})
    assert created.status_code == 200
    assert "“Allocate stock” performed by “Warehouse team” (new)." in created.get_data(as_text=True)
    team = db.session.scalar(select(Element).filter_by(title="Warehouse team"))
    assert team.kind is ElementKind.PERSON and team.blueprint_id is None
    assert post(client, url, {"target_id": bmap.desk.id}).status_code == 422  # once is enough
    assert post(client, url, {"target_id": bmap.desk.id, "kind": "uses"}).status_code == 422
    assert post(client, url, {"target_id": bmap.foreign.id}).status_code == 404
    assert post(client, url, {"new_title": " ", "new_kind": "system"}).status_code == 422

    link = db.session.scalar(
        select(Link).filter_by(source_id=bmap.backoffice.id, target_id=bmap.desk.id)
    )
    changed = post(client, f"/links/{link.id}/kind", {"kind": "next", "version": link.version})
    assert changed.status_code == 200
    assert _kinds(bmap.backoffice)["Desk confirms"] == "next"
    link = fresh(link)
    refused = post(
        client, f"/links/{link.id}/kind", {"kind": "performed_by", "version": link.version}
    )
    assert refused.status_code == 422
    assert (
        post(client, f"/links/{link.id}/kind", {"kind": "relies_on", "version": "1"}).status_code
        == 409
    )
    removed = post(
        client, f"/links/{link.id}/unlink", {"version": link.version, "card_id": bmap.backoffice.id}
    )
    assert removed.status_code == 200
    assert "Desk confirms" not in _kinds(bmap.backoffice)
    assert "Links of “Allocate stock”" in removed.get_data(as_text=True)  # the panel, redrawn


def test_the_link_search_is_the_boards_workspace_even_when_another_is_current(
    client, world, login, bmap
):
    mine = f.make_workspace("Second shop", world.editor)  # the editor's own: current now
    f.make_catalog(mine, "system", "ERP of the second shop")
    f.commit()
    login(world.editor)
    client.post(f"/workspaces/{mine.id}/switch")
    panel = client.get(f"/elements/{bmap.backoffice.id}/board-links", headers=BOARD)
    url = re.search(r'data-search-url="([^"]+)"', panel.get_data(as_text=True)).group(1)
    found = client.get(url.replace("&amp;", "&") + "&q=erp").get_json()
    titles = [o["title"] for g in found["groups"] for o in g["options"]]
    assert titles == ["ERP"]  # the board's, not the current workspace's
    assert (
        client.get(f"/search/elements?q=erp&workspace={world.other_workspace.id}").status_code
        == 404
    )


# --- deleting and undo -------------------------------------------------------------------


def state(workspace_id: int) -> dict:
    """Everything a board change may touch, without versions (undo writes the rows again)."""
    from backlog.models import ConfirmedCause, Insight, WhyStep, task_target

    db.session.expire_all()

    def rows(model, *columns):
        return sorted(
            tuple(
                getattr(r, c).value if hasattr(getattr(r, c), "value") else getattr(r, c)
                for c in columns
            )
            for r in db.session.scalars(select(model).where(model.workspace_id == workspace_id))
        )

    element_columns = [c.key for c in Element.__table__.columns if c.key != "version"]
    return {
        "stages": rows(Stage, "id", "name", "position"),
        "elements": rows(Element, *element_columns),
        "links": rows(Link, "id", "source_id", "target_id", "kind"),
        "insights": rows(Insight, "id", "element_id", "blueprint_id"),
        "causes": rows(ConfirmedCause, "insight_id", "element_id"),
        "whys": rows(WhyStep, "id", "element_id"),
        "targets": sorted(db.session.execute(select(task_target)).all()),
    }


def test_a_step_deleted_on_the_board_comes_back_whole(client, world, login, bmap):
    from backlog import services as backlog_services

    insight = f.make_insight(world.workspace, "Confirmation late", bmap.desk)
    f.make_task(world.workspace, "Faster desk", targets=[bmap.desk])
    at_buyer = f.make_insight(world.workspace, "Buyer unsure", bmap.buyer)
    backlog_services.set_confirmed_causes(at_buyer, [bmap.desk.id], [bmap.desk.id])
    backlog_services.add_why(at_buyer, "The desk is slow", bmap.desk.id)
    f.commit()
    before = state(world.workspace.id)
    desk_id = bmap.desk.id
    login(world.editor)
    since = last_event()
    response = post(client, f"/elements/{desk_id}/board-delete", {"version": bmap.desk.version})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert (
        "“Desk confirms” deleted with its 3 links; 1 insight stays on the blueprint without a step."
        in page
    )
    assert db.session.get(Element, desk_id) is None
    assert fresh(insight).element_id is None
    change = db.session.scalar(select(func.max(BoardChange.id)))
    undone = post(client, f"/board-changes/{change}/undo")
    assert undone.status_code == 200
    assert "Undone: “Desk confirms” deleted" in undone.get_data(as_text=True)
    assert state(world.workspace.id) == before
    actions = {(a, e) for a, e, _ in events_since(since)}
    assert {("delete", "element"), ("create", "element"), ("create", "link")} <= actions
    again = post(client, f"/board-changes/{change}/undo")
    assert again.status_code == 409 and "undone already" in again.get_data(as_text=True)


def test_undo_of_add_move_link_and_delete_returns_the_board_to_where_it_was(
    client, world, login, bmap
):
    order, deliver = bmap.stages
    before = state(world.workspace.id)
    login(world.editor)
    post(
        client,
        f"/blueprints/{bmap.blueprint.id}/board/steps",
        {
            "stage_id": order.id,
            "kind": "backstage",
            "title": "Checks credit",
        },
    )
    post(
        client,
        f"/elements/{bmap.buyer.id}/place",
        {
            "stage_id": deliver.id,
            "kind": "customer_action",
            "version": bmap.buyer.version,
        },
    )
    post(client, f"/elements/{bmap.backoffice.id}/board-links", {"target_id": bmap.system.id})
    post(client, f"/elements/{bmap.desk.id}/board-delete", {"version": bmap.desk.version})
    post(client, f"/blueprints/{bmap.blueprint.id}/stages", {"name": "Invoice"})
    assert state(world.workspace.id) != before
    for _ in range(5):  # Ctrl+Z, five times
        assert post(client, f"/blueprints/{bmap.blueprint.id}/board/undo").status_code == 200
    assert state(world.workspace.id) == before
    nothing = post(client, f"/blueprints/{bmap.blueprint.id}/board/undo")
    assert "Nothing left to undo on this board." in nothing.get_data(as_text=True)


def test_undo_never_overwrites_someone_elses_change(app, client, world, login, bmap):
    login(world.editor)
    post(
        client,
        f"/elements/{bmap.desk.id}/panel",
        {"title": "Desk confirms by phone", "version": bmap.desk.version},
    )
    other = app.test_client()
    other.post("/login", data={"email": world.owner.email, "password": f.PASSWORD})
    desk = fresh(bmap.desk)
    post(
        other,
        f"/elements/{desk.id}/panel",
        {"title": "Desk confirms by mail", "version": desk.version},
    )
    refused = post(client, f"/blueprints/{bmap.blueprint.id}/board/undo")
    assert refused.status_code == 409
    assert "“Desk confirms by mail” was changed since" in refused.get_data(as_text=True)
    assert fresh(bmap.desk).title == "Desk confirms by mail"
    # and one undoes one's own changes only
    mine = db.session.scalar(select(BoardChange.id).where(BoardChange.user_id == world.editor.id))
    assert post(other, f"/board-changes/{mine}/undo").status_code == 404


def test_the_stamp_says_when_someone_else_changed_the_board(app, client, world, login, bmap):
    login(world.editor)
    page = client.get(f"/blueprints/{bmap.blueprint.id}").get_data(as_text=True)
    stamp = int(re.search(r'data-stamp="(\d+)"', page).group(1))
    url = f"/blueprints/{bmap.blueprint.id}/board/stamp"
    assert client.get(url).get_json() == {"stamp": stamp}
    other = app.test_client()
    other.post("/login", data={"email": world.owner.email, "password": f.PASSWORD})
    post(
        other,
        f"/blueprints/{bmap.blueprint.id}/board/steps",
        {
            "stage_id": bmap.stages[0].id,
            "kind": "support",
            "title": "Credit policy",
        },
    )
    assert client.get(url).get_json()["stamp"] > stamp
    live = client.get(f"/blueprints/{bmap.blueprint.id}/board/live", headers=BOARD)
    assert "Credit policy" in live.get_data(as_text=True)


def test_viewers_get_none_of_the_editor(client, world, login, bmap):
    login(world.viewer)
    page = client.get(f"/blueprints/{bmap.blueprint.id}").get_data(as_text=True)
    for editor_only in (
        "board-edit.js",
        "data-quick-add",
        "data-move",
        "data-link ",
        "Undo",
        "data-token",
    ):
        assert editor_only not in page
    for url in (
        f"/elements/{bmap.desk.id}/place",
        f"/elements/{bmap.desk.id}/board-delete",
        f"/elements/{bmap.desk.id}/board-links",
        f"/blueprints/{bmap.blueprint.id}/board/undo",
    ):
        assert post(client, url, {"version": "1"}).status_code == 403, url
