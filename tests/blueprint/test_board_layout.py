"""The board layout is pure: tiny inputs, known outputs, no app."""

from types import SimpleNamespace as NS

from blueprint.board import build_board, smooth_path
from blueprint.models import LANES, ElementKind, LinkKind

C, F, B = ElementKind.CUSTOMER_ACTION, ElementKind.FRONTSTAGE, ElementKind.BACKSTAGE


def el(id, stage_id, kind, title, position=0, emotion=None, mot=False):
    return NS(
        id=id,
        stage_id=stage_id,
        kind=kind,
        title=title,
        position=position,
        emotion=emotion,
        moment_of_truth=mot,
        over_tolerance=False,
    )


def test_cards_land_in_their_lane_and_stage_in_position_order():
    stages = [NS(id=10, name="A"), NS(id=20, name="B")]
    elements = [el(1, 10, C, "second", 1), el(2, 10, C, "first", 0), el(3, 20, B, "back")]
    board = build_board(stages, elements, [], [])
    rows = {lane.kind: lane for lane in board.lanes}
    assert [lane.kind for lane in board.lanes] == list(LANES)
    assert [c.title for c in rows[C].cells[0]] == ["first", "second"]
    assert rows[C].cells[1] == []
    assert [c.title for c in rows[B].cells[1]] == ["back"]
    assert board.card_count == 3


def test_lines_sit_under_customer_frontstage_and_backstage():
    board = build_board([NS(id=1, name="A")], [], [], [])
    lines = {lane.kind: lane.line_below for lane in board.lanes}
    assert lines[C] == "Line of interaction"
    assert lines[F] == "Line of visibility"
    assert lines[B] == "Line of internal interaction"
    assert lines[ElementKind.SUPPORT] is None and lines[ElementKind.PHYSICAL_EVIDENCE] is None


def test_people_and_systems_show_on_the_cards_that_rely_on_them():
    stages = [NS(id=1, name="A")]
    step = el(1, 1, F, "desk answers")
    person = NS(id=50, kind=ElementKind.PERSON, title="Service desk", fail_point=False)
    system = NS(id=60, kind=ElementKind.SYSTEM, title="CRM", fail_point=False)
    links = [(1, 50, LinkKind.PERFORMED_BY), (1, 60, LinkKind.USES)]
    card = build_board(stages, [step], links, [person, system]).lanes[2].cells[0][0]
    assert [p.title for p in card.people] == ["Service desk"]
    assert [s.title for s in card.systems] == ["CRM"]
    assert card.linked == {50, 60}


def test_links_are_highlighted_both_ways_but_next_adds_no_dependency():
    stages = [NS(id=1, name="A")]
    a, b = el(1, 1, C, "a"), el(2, 1, F, "b")
    board = build_board(stages, [a, b], [(1, 2, LinkKind.NEXT)], [])
    cards = {c.id: c for lane in board.lanes for cell in lane.cells for c in cell}
    assert cards[1].linked == {2} and cards[2].linked == {1}
    assert cards[1].people == [] and cards[1].systems == []
    assert cards[1].relies_on == set()  # no connector for a mere sequence


def test_connectors_join_the_cards_a_step_relies_on():
    stages = [NS(id=1, name="A"), NS(id=2, name="B")]
    a, b, c = el(1, 1, C, "a"), el(2, 1, F, "b"), el(3, 2, B, "c")
    person = NS(id=50, kind=ElementKind.PERSON, title="Desk", fail_point=False)
    links = [(1, 2, LinkKind.RELIES_ON), (2, 3, LinkKind.RELIES_ON), (2, 50, LinkKind.PERFORMED_BY)]
    board = build_board(stages, [a, b, c], links, [person])
    cards = {c.id: c for lane in board.lanes for cell in lane.cells for c in cell}
    assert cards[1].relies_on == {2} and cards[2].relies_on == {3}  # people are on the card
    assert cards[2].relies_on_attr == "3" and cards[3].relies_on == set()


def test_emotion_curve_follows_customer_actions_in_journey_order():
    stages = [NS(id=1, name="A"), NS(id=2, name="B")]
    elements = [
        el(1, 2, C, "late", 0, emotion=-2),
        el(2, 1, C, "early", 0, emotion=2, mot=True),
        el(3, 1, C, "no feeling", 1),
    ]
    curve = build_board(stages, elements, [], []).emotion
    assert [p.title for p in curve.points] == ["early", "late"]
    assert curve.points[0].y < curve.zero_y < curve.points[1].y  # +2 above the zero line
    assert curve.points[0].moment_of_truth and not curve.points[1].moment_of_truth
    assert [name for _, name in curve.stage_marks] == ["A", "B"]
    assert curve.path.startswith("M ") and " C " in curve.path


def test_smooth_path_passes_through_every_point():
    path = smooth_path([(0, 0), (10, 5), (20, 0)])
    assert path.startswith("M 0.0 0.0") and path.endswith("20.0 0.0")
    assert "10.0 5.0" in path
    assert smooth_path([]) == ""
