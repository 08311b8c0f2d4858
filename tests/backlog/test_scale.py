"""The backlog page answers in a number of queries that does not grow with the backlog."""

import pytest

from devsupport.synthetic import build_backlog, build_blueprint
from tests import factories as f
from tests.helpers import count_queries


@pytest.mark.parametrize(
    "path", ["/backlog", "/backlog?framework=rice&page=2", "/backlog/matrix", "/insights"]
)
def test_backlog_pages_answer_in_a_bounded_number_of_queries(client, world, login, path):
    build_blueprint(world.workspace.id, elements=60, links=120, seed=5)
    build_backlog(world.workspace.id, tasks=60, insights=120, seed=1)
    f.commit()
    login(world.viewer)
    small = count_queries(client, path)
    build_backlog(world.workspace.id, tasks=600, insights=1200, seed=2)
    f.commit()
    assert count_queries(client, path) == small <= 12
