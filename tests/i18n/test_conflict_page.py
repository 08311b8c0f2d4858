"""The 409 conflict page speaks the reader's language (JSON errors are in
tests/test_polish_messages.py)."""

from __future__ import annotations

import re

from tests import factories as f


def _version(page: str) -> str:
    return re.search(r'name="version"[^>]*value="(\d+)"', page).group(1)


def test_the_conflict_page_is_polish_for_a_polish_user(app, client, world, login):
    task = f.make_task(world.workspace, "Wspólne", impact=3, effort=3)
    f.commit()
    login(world.editor)
    client.post("/account", data={"language": "pl", "time_zone": "Europe/Warsaw"})
    other = app.test_client()
    other.post("/login", data={"email": world.owner.email, "password": f.PASSWORD})
    mine = _version(client.get(f"/tasks/{task.id}/edit").get_data(as_text=True))
    theirs = _version(other.get(f"/tasks/{task.id}/edit").get_data(as_text=True))
    base = {"title": "Wspólne", "status": "idea", "effort": "3"}
    assert other.post(f"/tasks/{task.id}/edit", data={**base, "impact": "5", "version": theirs})
    second = client.post(f"/tasks/{task.id}/edit", data={**base, "impact": "1", "version": mine})
    assert second.status_code == 409
    page = second.get_data(as_text=True)
    assert '<html lang="pl">' in page
    assert "Ktoś inny zmienił to w międzyczasie" in page
    assert "Someone else changed this in the meantime" not in page
