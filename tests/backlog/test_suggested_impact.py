"""Suggested impact says why it has none: a task that addresses only opportunities or
observations (no pain) gets no suggestion, and the reason, instead of the lowest impact."""

from __future__ import annotations

import re

from backlog.impact import PainIndex, suggest
from backlog.models import ImprovementTask
from extensions import db
from tests import factories as f


def test_no_pain_addressed_means_no_suggestion_and_the_reason():
    pains = PainIndex.of([(1, 10, 100, 12.0)])  # one pain insight, 12, at element 10
    # insights 7 and 8 are an opportunity and an observation: not in the pain index
    only_opportunities = suggest(pains, [7, 8], [], largest=12.0)
    assert only_opportunities.impact is None and only_opportunities.without_pain == 2
    assert only_opportunities.explanation.startswith("No impact suggested: the insights it")
    nothing = suggest(pains, [], [20], largest=12.0)  # changes a step no pain relies on
    assert nothing.impact is None
    assert nothing.explanation == "No impact suggested: no recorded pain sits above it yet."
    # a pain among them: the suggestion as before (12 of the largest 12 → 5)
    mixed = suggest(pains, [7, 1], [], largest=12.0)
    assert (mixed.impact, mixed.pain, mixed.without_pain) == (5, 12.0, 1)
    assert mixed.explanation == (
        "It sits under 1 pain point. They are in 1 journey. "
        "Their pain is 12 against the largest cause's 12."
    )


def test_a_task_for_an_opportunity_shows_no_suggested_impact(client, world, login, bmap):
    idea = f.make_insight(world.workspace, "Offer a tracking link", bmap.buyer,
                          kind="opportunity")  # fmt: skip
    task = f.make_task(world.workspace, "Tracking link", insights=[idea], impact=2)
    f.commit()
    login(world.editor)
    page = client.get(f"/tasks/{task.id}").get_data(as_text=True)
    assert "Suggested impact from the graph: none (yours: 2)" in page
    assert "which carry no pain" in page
    assert "Accept suggested impact" not in page
    version = str(task.version)
    assert (
        client.post(f"/tasks/{task.id}/accept-impact", data={"version": version}).status_code == 409
    )
    db.session.expire_all()
    assert db.session.get(ImprovementTask, task.id).impact == 2


def test_a_one_click_task_from_an_opportunity_says_it_has_no_suggestion(client, world, login, bmap):
    idea = f.make_insight(world.workspace, "Offer a tracking link", bmap.buyer,
                          kind="opportunity")  # fmt: skip
    f.commit()
    login(world.editor)
    response = client.post(
        "/tasks/quick", data={"source": "insight", "insight_id": idea.id}, follow_redirects=True
    )
    page = response.get_data(as_text=True)
    assert "Task created. No impact suggested" in page
    assert "Set its impact and effort next." in page
    assert re.search(r"suggested impact \d", page) is None
