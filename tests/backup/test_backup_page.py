"""The owners' backup page: a workspace's backup downloaded as a job (the file the command line
writes), and a backup restored as a new workspace by a job, all or nothing, inviting the
other members instead of adding them."""

from __future__ import annotations

import io
import json

import pytest
from sqlalchemy import func, select

from accounts.audit import AuditEvent
from accounts.models import Invitation, Membership, Role, User, Workspace
from backup.workspace import export_workspace
from blueprint.models import PendingBlueprintUpdate, ServiceBlueprint
from demo import DEMO_PASSWORD, DEMO_WORKSPACE, seed_demo
from extensions import db
from jobs.models import Job, JobStatus
from tests import factories as f


def _count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def _job_of(response) -> Job:
    assert response.status_code == 303, response.get_data(as_text=True)
    job_id = int(response.headers["Location"].rsplit("/", 1)[1])
    db.session.expire_all()
    return db.session.get(Job, job_id)


def _upload(client, workspace_id, content: bytes, name="", file_name="backup.json"):
    return client.post(
        f"/workspaces/{workspace_id}/restore",
        data={"file": (io.BytesIO(content), file_name), "name": name},
        content_type="multipart/form-data",
    )


@pytest.fixture
def demo(app, client):
    workspace = seed_demo()
    db.session.commit()
    client.post("/login", data={"email": "demo@example.com", "password": DEMO_PASSWORD})
    return workspace


def _document(workspace) -> dict:
    db.session.expire_all()
    return json.loads(json.dumps(export_workspace(workspace)))


def test_only_the_workspaces_owners_reach_its_backup_page(client, world, login):
    ws = world.workspace.id
    login(world.owner)
    page = client.get(f"/workspaces/{ws}/backup")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Download a backup" in text and "Restore a backup as a new workspace" in text
    assert "invited to the new workspace" in text  # the rule for members, said on the page
    assert "at most 50 MB" in text
    members = client.get(f"/workspaces/{ws}/members").get_data(as_text=True)
    assert f"/workspaces/{ws}/backup" in members
    for who, status in ((world.editor, 403), (world.viewer, 403), (world.outsider, 404)):
        client.post("/logout")
        login(who)
        assert client.get(f"/workspaces/{ws}/backup").status_code == status
        assert client.post(f"/workspaces/{ws}/backup").status_code == status
        assert _upload(client, ws, b"{}").status_code == status
        if who is not world.outsider:
            members = client.get(f"/workspaces/{ws}/members").get_data(as_text=True)
            assert f"/workspaces/{ws}/backup" not in members
    assert _count(Job) == 0


def test_the_backup_download_is_the_file_the_command_line_writes(
    app, client, demo, runner, tmp_path
):
    earlier = client.post(f"/workspaces/{demo.id}/backup")  # a job row now exists
    assert _job_of(earlier).status is JobStatus.DONE
    blueprint = db.session.scalar(
        select(ServiceBlueprint).where(ServiceBlueprint.workspace_id == demo.id)
    )
    db.session.add(  # an upload waiting for its preview: not in a backup either
        PendingBlueprintUpdate(
            workspace_id=demo.id,
            blueprint_id=blueprint.id,
            user_id=demo.created_by_id,
            content=b"PK",
        )
    )
    db.session.commit()
    out = tmp_path / "cli.json"
    result = runner.invoke(args=["export-workspace", DEMO_WORKSPACE, "--out", str(out)])
    assert result.exit_code == 0, result.output

    job = _job_of(client.post(f"/workspaces/{demo.id}/backup"))
    assert job.status is JobStatus.DONE, job.message
    assert job.total == job.done == len(json.loads(out.read_bytes())["tables"])  # table by table
    page = client.get(f"/jobs/{job.id}").get_data(as_text=True)
    assert f"/jobs/{job.id}/download" in page
    download = client.get(f"/jobs/{job.id}/download")
    assert download.status_code == 200 and download.mimetype == "application/json"
    assert "northwind-wholesale-backup-" in download.headers["Content-Disposition"]
    assert download.data == out.read_bytes()  # byte for byte
    document = json.loads(download.data)
    assert {"job", "pending_blueprint_update", "invitation", "membership"}.isdisjoint(
        document["tables"]
    )
    # audited as the owner's, after the reading
    event = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
    assert (event.action, event.entity, event.user_id) == (
        "backup",
        "workspace",
        demo.created_by_id,
    )
    # only its starter gets the file
    client.post("/logout")
    client.post("/login", data={"email": "editor@example.com", "password": DEMO_PASSWORD})
    assert client.get(f"/jobs/{job.id}/download").status_code == 404


def test_a_restore_makes_a_new_workspace_equal_to_the_source_and_invites_its_members(client, demo):
    source = _document(demo)
    backup = _job_of(client.post(f"/workspaces/{demo.id}/backup"))
    content = client.get(f"/jobs/{backup.id}/download").data
    users_before = _count(User)

    job = _job_of(_upload(client, demo.id, content, name="Northwind (restored)"))
    assert job.status is JobStatus.DONE, (job.message, job.problems)
    if db.engine.dialect.name == "postgresql":  # table by table, while it writes
        assert job.done == job.total == len(source["tables"])
    restored = db.session.scalar(select(Workspace).where(Workspace.name == "Northwind (restored)"))
    page = client.get(f"/jobs/{job.id}").get_data(as_text=True)
    assert f"/workspaces/{restored.id}/members" in page and "Open Northwind (restored)" in page
    assert "The backup&#39;s 2 other members are invited" in page

    copy = _document(restored)
    assert {k: v for k, v in copy["tables"].items() if k != "audit_event"} == {
        k: v for k, v in source["tables"].items() if k != "audit_event"
    }
    history = source["tables"]["audit_event"]
    assert copy["tables"]["audit_event"][: len(history)] == history
    added = copy["tables"]["audit_event"][len(history) :]
    owner = demo.created_by_id
    assert [(e["action"], e["entity"]) for e in added] == [
        ("create", "membership"),
        ("create", "invitation"),
        ("create", "invitation"),
        ("restore", "workspace"),
    ]
    assert {e["user_id"] for e in added} == {"demo@example.com"}  # the restorer's doing
    # members are invited, not added; nobody new has an account
    assert db.session.execute(
        select(Membership.user_id, Membership.role).where(Membership.workspace_id == restored.id)
    ).all() == [(owner, Role.OWNER)]
    invited = db.session.execute(
        select(Invitation.email, Invitation.role, Invitation.invited_by_id).where(
            Invitation.workspace_id == restored.id
        )
    ).all()
    assert sorted(invited) == [
        ("editor@example.com", Role.EDITOR, owner),
        ("viewer@example.com", Role.VIEWER, owner),
    ]
    assert restored.created_by_id == owner and _count(User) == users_before
    after = _document(demo)  # the source is untouched (its history aside)
    assert after["people"] == source["people"]
    assert {k: v for k, v in after["tables"].items() if k != "audit_event"} == {
        k: v for k, v in source["tables"].items() if k != "audit_event"
    }
    # the invitee sees it and joins by accepting
    client.post("/logout")
    client.post("/login", data={"email": "viewer@example.com", "password": DEMO_PASSWORD})
    workspaces = client.get("/workspaces").get_data(as_text=True)
    assert (
        "Northwind (restored)" in workspaces and "from Dana Demo (demo@example.com)" in workspaces
    )


def test_people_the_restorer_shares_no_workspace_with_get_neither_a_name_nor_an_account(
    client, world, login, bmap
):
    """A made-up file cannot tell whether an e-mail has an account, or whose it is."""
    bmap.blueprint.owner_id = world.outsider.id  # someone the owner shares no workspace with
    f.commit()
    document = _document(world.workspace)
    document["people"].append(
        {"email": "nobody-yet@example.com", "name": "Nobody", "active": True, "role": "editor"}
    )
    users_before = _count(User)
    login(world.owner)
    job = _job_of(_upload(client, world.workspace.id, json.dumps(document).encode(), "Copy"))
    assert job.status is JobStatus.DONE, job.message
    copy = db.session.scalar(select(Workspace).where(Workspace.name == "Copy"))
    blueprint = db.session.scalar(
        select(ServiceBlueprint).where(ServiceBlueprint.workspace_id == copy.id)
    )
    assert blueprint.name == bmap.blueprint.name and blueprint.owner_id is None
    assert _count(User) == users_before
    assert "outsider@example.com" in job.message and "nobody-yet@example.com" in job.message
    invited = set(
        db.session.scalars(select(Invitation.email).where(Invitation.workspace_id == copy.id))
    )
    assert invited == {"editor@example.com", "viewer@example.com", "nobody-yet@example.com"}


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "Choose the backup file"),
        (b"  \n", "The file is empty"),
        (b"PK\x03\x04 a workbook", "This is a zip file"),
        (b"\xff\xfe not text", "not UTF-8 text"),
        (b"{not json", "not valid JSON"),
        (b"[" * 100_000 + b"]" * 100_000, "not a workspace backup"),
        (b'{"format": "rootline-workspace", "version": 1, "x": NaN}', "not valid JSON"),
        (b'{"format": "something else"}', "not a Rootline workspace file"),
        (b'{"format": "rootline-workspace", "version": 99}', "format version 99"),
        (
            b'{"format": "rootline-workspace", "version": 1, "workspace": {"name": "W",'
            b' "created_at": "yesterday"}, "people": [{"email": "x", "role": "boss"}],'
            b' "tables": {"secrets": []}}',
            "created_at is not a time",
        ),
        (
            b'{"format": "rootline-workspace", "version": 1, "workspace": {"name": "W",'
            b' "created_at": "2026-01-01T00:00:00+00:00"}, "people": [], "tables":'
            b' {"stage": [{"key": 1, "name": "a\\u0000b"}]}}',
            "NUL character",
        ),
    ],
)
def test_a_file_that_is_not_a_backup_is_refused_next_to_the_field_and_starts_no_job(
    client, world, login, content, message
):
    login(world.owner)
    if content:
        response = _upload(client, world.workspace.id, content)
    else:
        response = client.post(
            f"/workspaces/{world.workspace.id}/restore", data={}, content_type="multipart/form-data"
        )
    text = response.get_data(as_text=True)
    assert response.status_code == 422
    assert message in text and "invalid-feedback" in text
    assert text.index("invalid-feedback") > text.index('name="file"')  # below the file field
    assert _count(Job) == 0 and _count(Workspace) == 2


def test_a_backup_whose_name_the_restorer_has_already_is_refused_next_to_the_name(
    client, world, login
):
    content = json.dumps(_document(world.workspace)).encode()
    login(world.owner)
    response = _upload(client, world.workspace.id, content)  # "Acme Support" is theirs
    text = response.get_data(as_text=True)
    assert response.status_code == 422 and "You already have a workspace called" in text
    assert text.index("You already have") > text.index('name="name"')
    assert _count(Job) == 0
    assert (
        _job_of(_upload(client, world.workspace.id, content, "Acme again")).status is JobStatus.DONE
    )


def test_a_restore_that_fails_writes_nothing(client, world, login, bmap):
    document = _document(world.workspace)
    document["tables"]["stage"][0]["blueprint_id"] = 99  # a blueprint the file does not hold
    counts = [
        _count(m) for m in (Workspace, User, Membership, Invitation, AuditEvent, ServiceBlueprint)
    ]
    login(world.owner)
    job = _job_of(_upload(client, world.workspace.id, json.dumps(document).encode(), "Broken"))
    assert job.status is JobStatus.FAILED
    assert "damaged" in job.message and "Nothing was restored" in job.message
    assert [
        _count(m) for m in (Workspace, User, Membership, Invitation, AuditEvent, ServiceBlueprint)
    ] == counts
    page = client.get(f"/jobs/{job.id}").get_data(as_text=True)
    assert f"/workspaces/{world.workspace.id}/backup" in page  # where to look again


def test_a_backup_job_stops_when_its_starter_is_no_longer_an_owner(app, world):
    import jobs

    with app.test_request_context():
        job = jobs.start(world.workspace.id, world.owner.id, "workspace_backup", "Backup")
        db.session.commit()
    # the owner stays a member, as an editor
    db.session.execute(
        Membership.__table__.update()
        .where(Membership.user_id == world.owner.id)
        .values(role=Role.EDITOR)
    )
    db.session.commit()
    with app.test_request_context():
        jobs.launch(job.id)
    db.session.expire_all()
    job = db.session.get(Job, job.id)
    assert job.status is JobStatus.FAILED and job.result is None
    assert "only its owners" in job.message


def test_a_backup_may_be_larger_than_other_uploads_up_to_its_own_limit(make_app, world):
    app = make_app(MAX_CONTENT_LENGTH=1024, BACKUP_MAX_BYTES=20_000)
    client = app.test_client()
    client.post("/login", data={"email": world.owner.email, "password": f.PASSWORD})
    with app.app_context():
        content = json.dumps(_document(world.workspace)).encode() + b" " * 4000
    ok = _upload(client, world.workspace.id, content, "Big enough")
    assert ok.status_code == 303
    too_large = _upload(client, world.workspace.id, content + b" " * 20_000, "Too big")
    assert too_large.status_code == 413
    assert "larger than Rootline accepts" in too_large.get_data(as_text=True)
