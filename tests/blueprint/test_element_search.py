"""The type-ahead search over a workspace's elements: scoped to the current workspace,
grouped by blueprint and lane, bounded, blind to case and accents, and as cheap for a big
workspace as for a small one."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select

from accounts import services as accounts
from accounts.audit import AuditEvent
from accounts.models import Role
from backup.workspace import export_workspace, import_workspace
from blueprint.folding import fold, prefix_bound
from blueprint.models import Element
from devsupport.synthetic import build_blueprint
from extensions import db
from tests import factories as f
from tests.helpers import count_queries

URL = "/search/elements"


def search(client, **params):
    response = client.get(URL, query_string=params, headers={"Accept": "application/json"})
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


def titles(answer) -> list[str]:
    return [o["title"] for g in answer["groups"] for o in g["options"]]


def test_search_finds_only_the_current_workspaces_elements(client, world, login, bmap):
    f.make_catalog(world.other_workspace, "system", "ERP of elsewhere")
    f.commit()
    login(world.viewer)
    assert titles(search(client, q="erp")) == ["ERP"]
    assert "Their step" not in titles(search(client, q="their"))
    assert search(client, q="their")["count"] == 0


def test_a_member_of_two_workspaces_searches_the_one_they_work_in(client, world, login, bmap):
    accounts.add_member(world.other_workspace, world.viewer.email, Role.VIEWER)
    f.commit()
    login(world.viewer)
    mine = titles(search(client, q=""))
    assert "Their step" not in mine and "Places order" in mine
    switched = client.post(f"/workspaces/{world.other_workspace.id}/switch").status_code
    assert switched in (302, 303)
    assert titles(search(client, q="")) == ["Their step"]


def test_anonymous_visitors_are_sent_to_log_in(client, world, bmap):
    response = client.get(URL + "?q=desk", headers={"Accept": "application/json"})
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_results_are_grouped_by_blueprint_and_lane_people_and_systems_last(
    client, world, login, bmap
):
    other, stages = f.make_blueprint(world.workspace, "Accounts payable", ("Receive",))
    f.make_element(stages[0], "backstage", "Match the order")
    f.make_element(stages[0], "customer_action", "Order arrives")
    f.make_catalog(world.workspace, "person", "Order desk")
    f.make_catalog(world.workspace, "system", "Order portal")
    f.commit()
    login(world.viewer)
    answer = search(client, q="order")
    assert [g["label"] for g in answer["groups"]] == [
        "Accounts payable · Customer actions",
        "Accounts payable · Backstage",
        "Order to cash · Customer actions",
        "Person / team",
        "System",
    ]
    first = answer["groups"][0]
    assert (first["blueprint"], first["lane"], first["kind"]) == (
        "Accounts payable",
        "Customer actions",
        "customer_action",
    )
    assert first["options"] == [
        {
            "id": first["options"][0]["id"],
            "title": "Order arrives",
            "kind": "customer_action",
            "kind_label": "Customer actions",
            "blueprint_id": other.id,
            "blueprint": "Accounts payable",
            "stage": "Receive",
            "label": "Order arrives (Customer actions, Receive)",
        }
    ]
    assert titles(answer)[2] == "Places order"  # contains the word, in Order to cash


def test_at_most_twenty_results_and_says_there_are_more(client, world, login, bmap):
    stage = bmap.stages[1]
    for n in range(25):
        f.make_element(stage, "support", f"Nightly job {n:02}")
    f.make_element(stage, "support", "The nightly job runner")  # contains, does not start
    f.commit()
    login(world.viewer)
    answer = search(client, q="nightly")
    assert answer["count"] == 20 and answer["more"] is True and answer["limit"] == 20
    assert titles(answer) == [f"Nightly job {n:02}" for n in range(20)]  # starts-with first
    narrowed = search(client, q="nightly job runner")
    assert (titles(narrowed), narrowed["more"]) == (["The nightly job runner"], False)
    assert len(client.get(URL + "?q=nightly").data) < 6_000  # a few KB


def test_matching_ignores_case_accents_and_spacing(client, world, login, bmap):
    stage = bmap.stages[0]
    f.make_element(stage, "physical_evidence", "Café  crème voucher")
    f.make_element(stage, "backstage", "Überprüfung der Straße")
    f.make_catalog(world.workspace, "system", "Øresund ledger")
    f.commit()
    login(world.viewer)
    for query, title in [
        ("cafe creme", "Café  crème voucher"),
        ("CAFÉ CRÈME", "Café  crème voucher"),
        ("crème", "Café  crème voucher"),
        ("uberprufung strasse", "Überprüfung der Straße"),
        ("straße", "Überprüfung der Straße"),
        ("oresund", "Øresund ledger"),
        ("  LEDGER ", "Øresund ledger"),
    ]:
        assert titles(search(client, q=query)) == [title], query


def test_words_match_in_any_order_and_wildcards_are_plain_text(client, world, login, bmap):
    stage = bmap.stages[0]
    f.make_element(stage, "support", "Refund 100% of the fee")
    f.make_element(stage, "support", "Refund half")
    f.make_element(stage, "support", "snake_case title")
    f.commit()
    login(world.viewer)
    assert titles(search(client, q="fee refund")) == ["Refund 100% of the fee"]
    assert titles(search(client, q="100%")) == ["Refund 100% of the fee"]
    assert titles(search(client, q="%")) == ["Refund 100% of the fee"]
    assert titles(search(client, q="e_c")) == ["snake_case title"]


def test_kinds_and_exclude_narrow_the_search(client, world, login, bmap):
    f.make_catalog(world.workspace, "person", "Desk lead")
    f.commit()
    login(world.viewer)
    assert titles(search(client, q="desk")) == ["Desk confirms", "Desk lead", "Service desk"]
    assert titles(search(client, q="desk", kinds="person,system")) == [
        "Desk lead",
        "Service desk",
    ]
    assert titles(search(client, q="desk", kinds="lanes")) == ["Desk confirms"]
    assert titles(search(client, q="desk", kinds=["person"], exclude=bmap.person.id)) == [
        "Desk lead"
    ]
    both = f"{bmap.person.id},{bmap.desk.id}"
    assert titles(search(client, q="desk", exclude=both)) == ["Desk lead"]
    assert titles(search(client, q="desk", exclude="nonsense")) == titles(search(client, q="desk"))
    refused = client.get(URL + "?q=desk&kinds=planet", headers={"Accept": "application/json"})
    assert refused.status_code == 400
    assert refused.get_json()["message"] == "Unknown kind 'planet'."


def test_titles_written_in_bulk_or_renamed_are_found(client, world, login, bmap):
    build_blueprint(world.workspace.id, elements=30, links=0, seed=3)  # rows inserted in bulk
    f.commit()
    bmap.desk.title = "Counter confirms"
    f.commit()
    keys = db.session.execute(select(Element.title, Element.search_key)).all()
    assert all(key == fold(title) for title, key in keys)
    login(world.viewer)
    assert titles(search(client, q="counter")) == ["Counter confirms"]
    assert search(client, q="desk confirms")["count"] == 0


def test_an_empty_query_lists_the_first_titles(client, world, login, bmap):
    login(world.viewer)
    answer = search(client)
    assert sorted(titles(answer)) == sorted(
        ["Places order", "Desk confirms", "Allocate stock", "Service desk", "ERP"]
    )


def test_the_search_costs_the_same_in_a_big_workspace(client, world, login, bmap):
    build_blueprint(world.workspace.id, elements=50, links=0, seed=1)
    f.commit()
    login(world.viewer)
    urls = [URL + "?q=desk", URL + "?q=zzz-nothing", URL + "?q=", URL + "?q=a&kinds=person"]
    small = [count_queries(client, url) for url in urls]
    build_blueprint(world.workspace.id, elements=3_000, links=0, seed=2, name="Big")
    f.commit()
    assert [count_queries(client, url) for url in urls] == small
    assert max(small) <= 6


@given(st.text(max_size=40))
def test_folding_is_stable_and_blind_to_case(text):
    assert fold(fold(text)) == fold(text)
    assert fold(text.upper()) == fold(text.lower()) or not text.isascii()
    assert len(fold(text)) <= 400


@given(st.text(min_size=1, max_size=10), st.text(max_size=10))
def test_prefix_bound_bounds_exactly_the_strings_that_start_with_the_prefix(prefix, rest):
    bound = prefix_bound(prefix)
    if bound is not None:
        assert prefix <= prefix + rest < bound


def test_the_search_key_stays_out_of_the_history_and_of_backups(app, world, bmap):
    bmap.desk.title = "Désk répond"
    f.commit()
    changes = db.session.scalars(
        select(AuditEvent.changes).where(AuditEvent.entity == "element")
    ).all()
    assert changes and not any("search_key" in c for c in changes)
    document = json.loads(json.dumps(export_workspace(world.workspace)))
    assert all("search_key" not in row for row in document["tables"]["element"])
    document["tables"]["element"][0]["search_key"] = "tampered"  # a file cannot set it
    copy = import_workspace(document, name="Copy")
    f.commit()
    keys = db.session.execute(
        select(Element.title, Element.search_key).where(Element.workspace_id == copy.id)
    ).all()
    assert ("Désk répond", "desk repond") in keys
    assert all(key == fold(title) for title, key in keys)


def test_the_folding_examples_hold():
    import doctest

    import blueprint.folding

    assert doctest.testmod(blueprint.folding).failed == 0
