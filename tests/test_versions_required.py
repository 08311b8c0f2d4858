"""Every edit of a versioned row says the version it was read at: stage renames, "Move to
stage" and the backlog settings carry it like every other form, and a post without it is
refused (409, nothing changed) instead of saving over changes nobody saw."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from accounts.audit import AuditEvent
from backlog import services as backlog_services
from backlog.models import BacklogSettings, ImprovementTask, Insight
from blueprint.models import Element, Link, Persona, RankingSettings, ServiceBlueprint, Stage
from extensions import db
from tests import factories as f


@pytest.fixture
def rows(world, bmap):
    persona = f.bp_services.save_persona(Persona(workspace_id=world.workspace.id), {"name": "P"})
    insight = f.make_insight(world.workspace, "I", bmap.desk)
    task = f.make_task(world.workspace, "T")
    backlog_services.save_settings(world.workspace.id, "ice", 3)
    f.bp_services.save_ranking_settings(world.workspace.id, False)
    f.commit()
    link = db.session.scalar(select(Link.id).filter_by(source_id=bmap.buyer.id))
    return {"persona": persona, "insight": insight, "task": task, "link": link}


def _edits(bmap, rows, workspace_id):
    """(url, form without its version, the row it edits) for every versioned edit."""
    stage, other = bmap.stages
    return [
        (f"/blueprints/{bmap.blueprint.id}/edit", {"name": "X", "state": "current"},
         (ServiceBlueprint, bmap.blueprint.id)),
        (f"/elements/{bmap.desk.id}/edit", {"title": "X"}, (Element, bmap.desk.id)),
        (f"/catalog/{bmap.person.id}/edit", {"title": "X"}, (Element, bmap.person.id)),
        (f"/personas/{rows['persona'].id}/edit", {"name": "X"}, (Persona, rows["persona"].id)),
        (f"/insights/{rows['insight'].id}/edit",
         {"kind": "pain_point", "title": "X", "severity": "3", "frequency": "3"},
         (Insight, rows["insight"].id)),
        (f"/tasks/{rows['task'].id}/edit",
         {"title": "X", "status": "idea", "impact": "3", "effort": "3"},
         (ImprovementTask, rows["task"].id)),
        (f"/tasks/{rows['task'].id}/accept-impact", {}, (ImprovementTask, rows["task"].id)),
        (f"/stages/{stage.id}/rename", {"name": "X"}, (Stage, stage.id)),
        (f"/stages/{stage.id}/move", {"offset": "1"}, (Stage, stage.id)),
        (f"/elements/{bmap.buyer.id}/move", {"offset": "1"}, (Element, bmap.buyer.id)),
        (f"/elements/{bmap.desk.id}/stage", {"stage_id": str(other.id)}, (Element, bmap.desk.id)),
        ("/backlog/settings", {"framework": "rice", "quadrant_threshold": "4"},
         (BacklogSettings, workspace_id)),
        ("/root-causes/settings", {"pain_signals": "y"}, (RankingSettings, workspace_id)),
        ("/backlog/bulk-status", {"task_ids": str(rows["task"].id), "status": "done"},
         (ImprovementTask, rows["task"].id)),
        # the board's own controls
        (f"/elements/{bmap.desk.id}/panel", {"title": "X"}, (Element, bmap.desk.id)),
        (f"/elements/{bmap.desk.id}/place", {"stage_id": str(other.id), "kind": "frontstage"},
         (Element, bmap.desk.id)),
        (f"/stages/{stage.id}/place", {"before_id": ""}, (Stage, stage.id)),
        (f"/elements/{bmap.backoffice.id}/board-delete", {}, (Element, bmap.backoffice.id)),
        (f"/links/{rows['link']}/kind", {"kind": "next"}, (Link, rows["link"])),
        (f"/links/{rows['link']}/unlink", {}, (Link, rows["link"])),
    ]  # fmt: skip


def _version(model, key) -> int:
    db.session.expire_all()
    return db.session.get(model, key).version


def test_every_versioned_edit_posted_without_its_version_is_refused(
    client, world, login, bmap, rows
):
    login(world.editor)
    since = db.session.scalar(select(func.coalesce(func.max(AuditEvent.id), 0)))
    for url, data, (model, key) in _edits(bmap, rows, world.workspace.id):
        before = _version(model, key)
        response = client.post(url, data=data)
        assert response.status_code == 409, (url, response.status_code)
        assert _version(model, key) == before, url
        # a version that is not a number is no version either
        assert client.post(url, data={**data, "version": "x"}).status_code == 409, url
    changes = db.session.scalars(
        select(AuditEvent).where(AuditEvent.id > since, AuditEvent.action != "refused")
    ).all()
    assert changes == []


def test_a_form_without_its_version_says_why_nothing_was_saved(client, world, login, bmap):
    login(world.editor)
    response = client.post(f"/stages/{bmap.stages[0].id}/rename", data={"name": "Ordering"})
    assert response.status_code == 409
    text = response.get_data(as_text=True)
    assert "did not say which version it was read at" in text
    assert f'name="version" value="{bmap.stages[0].version}"' in text  # re-apply on top


@pytest.mark.parametrize(
    "page", ["/stages/{stage}/rename", "/elements/{desk}", "/backlog/settings"]
)
def test_the_forms_carry_the_version_they_were_read_at(client, world, login, bmap, rows, page):
    login(world.editor)
    url = page.format(stage=bmap.stages[0].id, desk=bmap.desk.id)
    text = client.get(url).get_data(as_text=True)
    version = {
        "/stages/{stage}/rename": bmap.stages[0].version,
        "/elements/{desk}": bmap.desk.version,
        "/backlog/settings": db.session.get(BacklogSettings, world.workspace.id).version,
    }[page]
    assert f'name="version" type="hidden" value="{version}"' in text or (
        f'name="version" value="{version}"' in text
    ), text[:3000]


def test_renaming_a_stage_someone_renamed_meanwhile_is_a_conflict(client, world, login, bmap):
    stage = bmap.stages[0]
    read_at = stage.version
    login(world.editor)
    assert (
        client.post(
            f"/stages/{stage.id}/rename", data={"name": "A", "version": read_at}
        ).status_code
        == 302
    )
    late = client.post(f"/stages/{stage.id}/rename", data={"name": "B", "version": read_at})
    assert late.status_code == 409 and "Someone else changed this" in late.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Stage, stage.id).name == "A"


def test_moving_a_step_that_changed_meanwhile_to_another_stage_is_a_conflict(
    client, world, login, bmap
):
    desk, other = bmap.desk, bmap.stages[1]
    read_at = desk.version
    login(world.editor)
    client.post(f"/elements/{desk.id}/edit", data={"title": "Desk 2", "version": read_at})
    response = client.post(
        f"/elements/{desk.id}/stage", data={"stage_id": other.id, "version": read_at}
    )
    assert response.status_code == 409
    db.session.expire_all()
    assert db.session.get(Element, desk.id).stage_id == bmap.stages[0].id
    fresh = db.session.get(Element, desk.id).version
    moved = client.post(f"/elements/{desk.id}/stage", data={"stage_id": other.id, "version": fresh})
    assert moved.status_code == 302


def test_saving_backlog_settings_someone_changed_meanwhile_is_a_conflict(
    client, world, login, rows
):
    read_at = db.session.get(BacklogSettings, world.workspace.id).version
    login(world.editor)
    first = {"framework": "rice", "quadrant_threshold": "4", "version": read_at}
    assert client.post("/backlog/settings", data=first).status_code == 302
    second = {"framework": "wsjf", "quadrant_threshold": "2", "version": read_at}
    assert client.post("/backlog/settings", data=second).status_code == 409
    db.session.expire_all()
    settings = db.session.get(BacklogSettings, world.workspace.id)
    assert (settings.framework, settings.quadrant_threshold) == ("rice", 4)


def test_the_first_settings_of_a_workspace_need_no_version(client, world, login):
    login(world.editor)
    data = {"framework": "ice", "quadrant_threshold": "4"}
    assert client.post("/backlog/settings", data=data).status_code == 302
    assert db.session.get(BacklogSettings, world.workspace.id).framework == "ice"
