from dataclasses import dataclass

import pytest

from blueprint.models import Element, ServiceBlueprint, Stage
from tests import factories as f


@dataclass
class Map:
    blueprint: ServiceBlueprint
    stages: list[Stage]
    buyer: Element  # customer action in stage 0
    desk: Element  # frontstage in stage 0
    backoffice: Element  # backstage in stage 1
    person: Element
    system: Element
    foreign: Element  # a customer action in another workspace


@pytest.fixture
def bmap(world) -> Map:
    blueprint, stages = f.make_blueprint(world.workspace, "Order to cash", ("Order", "Deliver"))
    buyer = f.make_element(stages[0], "customer_action", "Places order", emotion=1)
    desk = f.make_element(stages[0], "frontstage", "Desk confirms", fail_point=True)
    backoffice = f.make_element(stages[1], "backstage", "Allocate stock")
    person = f.make_catalog(world.workspace, "person", "Service desk")
    system = f.make_catalog(world.workspace, "system", "ERP")
    f.link(buyer, desk)
    f.link(desk, person, "performed_by")
    f.link(desk, system, "uses")
    _, other_stages = f.make_blueprint(world.other_workspace, "Theirs", ("X",))
    foreign = f.make_element(other_stages[0], "customer_action", "Their step")
    f.commit()
    return Map(blueprint, stages, buyer, desk, backoffice, person, system, foreign)
