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
    assert large_count <= 13  # the first look at a board builds its health (3 of them)
    if path == "/blueprints/{id}":  # then the health is current: one query asks
        assert count_queries(client, path.format(id=large.id)) == large_count - 2


def _cycle_board(workspace, steps: int):
    """A blueprint whose backstage steps rely on each other in one loop of `steps` steps
    (long titles, so the cycle's message, which names every step, is long)."""
    blueprint, stages = f.make_blueprint(workspace, f"Loop of {steps}", ("One", "Two", "Three"))
    made = [
        f.make_element(stages[i % 3], "backstage", f"Step {i:03} of a long loop that feeds itself")
        for i in range(steps)
    ]
    for source, target in zip(made, made[1:] + made[:1], strict=True):
        f.link(source, target)
    return blueprint


def test_a_cycles_message_is_written_once_and_the_board_grows_linearly(client, world, login):
    """A finding's message is on the page once, and its cards refer to it by number: a loop
    twice as long makes a board about twice as big (copied onto every card, as before, the
    message made it four times as big)."""
    small, big = _cycle_board(world.workspace, 40), _cycle_board(world.workspace, 80)
    f.commit()
    login(world.viewer)
    sizes = {}
    for blueprint, steps in ((small, 40), (big, 80)):
        page = client.get(f"/blueprints/{blueprint.id}").get_data(as_text=True)
        assert page.count("These steps rely on each other in a loop:") == 1
        assert page.count(f"Step {steps - 1:03} of a long loop") == 2  # its card, the message
        number = re.search(r'<li id="board-finding-(\d+)"><strong>Dependency cycle', page)[1]
        badges = re.findall(r'aria-describedby="([^"]*)"[^>]*>♥ 1 finding<', page)
        assert len(badges) == steps and all(b == f"board-finding-{number}" for b in badges)
        sizes[steps] = len(page.encode())
    assert sizes[80] / sizes[40] <= 2.1, sizes
