"""The board page: cards in the right cells, lines, badges, and a fixed number of queries."""

import re

import pytest

from devsupport.synthetic import build_blueprint
from tests import factories as f
from tests.helpers import count_queries


def cell(page: str, stage_id: int, lane: str) -> str:
    match = re.search(
        rf'<td class="cell[^"]*" data-stage="{stage_id}" data-lane="{lane}">(.*?)</td>',
        page,
        re.S,
    )
    assert match, (stage_id, lane)
    return match.group(1)


def test_board_puts_cards_in_their_cells_with_badges(client, world, login, bmap):
    bmap.buyer.moment_of_truth = True
    bmap.buyer.wait_point = True
    bmap.buyer.channel = "web"
    bmap.desk.duration_minutes, bmap.desk.tolerance_minutes = 30, 10
    f.commit()
    login(world.viewer)
    page = client.get(f"/blueprints/{bmap.blueprint.id}").get_data(as_text=True)
    order, deliver = bmap.stages

    customer = cell(page, order.id, "customer_action")
    assert "Places order" in customer
    assert "★ Moment of truth" in customer and "Wait" in customer and "Web" in customer
    assert "+1" in customer  # emotion

    front = cell(page, order.id, "frontstage")
    assert "Desk confirms" in front and "⚠ Fail point" in front
    assert "over tolerance" in front and "30/10 min" in front
    assert "Service desk" in front and "ERP" in front  # the person and system it relies on

    assert "Allocate stock" in cell(page, deliver.id, "backstage")
    assert "Nothing mapped here" in cell(page, deliver.id, "customer_action")
    assert "Places order" not in cell(page, deliver.id, "customer_action")


def test_board_draws_lanes_in_order_and_the_three_lines(client, world, login, bmap):
    login(world.viewer)
    page = client.get(f"/blueprints/{bmap.blueprint.id}").get_data(as_text=True)
    order = [
        "Physical evidence",
        "Customer actions",
        "Line of interaction",
        "Frontstage",
        "Line of visibility",
        "Backstage",
        "Line of internal interaction",
        "Support processes",
    ]
    positions = [page.index(f">{label}<") for label in order]
    assert positions == sorted(positions)
    assert "Legend" in page and "Emotion curve" in page


def test_board_marks_links_for_highlighting(client, world, login, bmap):
    login(world.viewer)
    page = client.get(f"/blueprints/{bmap.blueprint.id}").get_data(as_text=True)
    desk = re.search(rf'id="el-{bmap.desk.id}"[^>]*data-links="([^"]*)"', page).group(1)
    assert set(desk.split()) == {str(bmap.buyer.id), str(bmap.person.id), str(bmap.system.id)}
    assert "js/board.js" in page


@pytest.mark.parametrize("path", ["/blueprints/{id}", "/blueprints"])
def test_board_and_list_queries_do_not_grow_with_the_blueprint(client, world, login, path):
    small = build_blueprint(world.workspace.id, elements=12, links=30, seed=1, catalog=4)
    large = build_blueprint(world.workspace.id, elements=600, links=2000, seed=2)
    f.commit()
    login(world.viewer)
    small_count = count_queries(client, path.format(id=small.id))
    large_count = count_queries(client, path.format(id=large.id))
    assert small_count == large_count
    assert large_count <= 12
