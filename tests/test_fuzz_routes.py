"""Every route, walked with ids the database cannot hold, ids in other scripts' digits and
hostile query strings: the answer is a page, a redirect or a 4xx — never a 500 (the test
client re-raises server errors, so a crash fails here with its traceback).

The routes come from the app's URL map, so a new route is walked without anyone adding it.
"""

from __future__ import annotations

from urllib.parse import quote

import pytest

from tests.helpers import every_route, fresh_ids, route_url

# ids no row can have: past PostgreSQL's INTEGER, past SQLite's 64 bits, and far past both
HUGE_IDS = ["0", "2147483648", str(2**63), str(2**64), "99999999999999999999"]
# digits of other scripts, which Python's int() would read as 1, 12 and 3
FOREIGN_DIGITS = ["١", "١٢", "３", "𝟏"]

HOSTILE_VALUES = [
    "x",
    " ",
    "%20",
    "\x01",
    "\x0b\x07\x1b",
    "-1",
    "0",
    "99999999999999999999",
    str(2**63),
    "1e309",
    "nan",
    "١",
    "=1+1",
    "<script>",
]
# every parameter a page reads, and those url_for() and the routing itself understand
PARAMETERS = [
    "endpoint",
    "_method",
    "_external",
    "_anchor",
    "_scheme",
    "framework",
    "q",
    "page",
    "status",
    "owner_id",
    "blueprint_id",
    "element_id",
    "stage_id",
    "quadrant",
    "horizon",
    "overdue",
    "state",
    "kind",
    "min_severity",
    "source",
    "has_cause",
    "user_id",
    "entity",
    "since",
    "next",
    "title",
]


def _query_strings() -> list[str]:
    """One query string per hostile value, every parameter at once, plus the cases the
    review found one by one."""
    found = [
        "endpoint=x",
        "_method=x",
        "framework=%20",
        "q=%01",
        "page=-1",
        "page=99999999999999999999",
    ]
    for value in HOSTILE_VALUES:
        found.append("&".join(f"{p}={quote(value)}" for p in PARAMETERS))
    return found


MARK = 1987654321  # an id no test row has: where it lands in a URL, the fake id goes


def _with_id(app, rule, ids: dict, name: str, fake: str) -> str:
    """The URL of `rule` with the real ids, except `name`, which is `fake` (percent-encoded)."""
    url = route_url(
        app,
        rule,
        {**ids, name: MARK, "person_id": MARK if name == "element_id" else ids["person_id"]},
    )
    assert str(MARK) in url
    return url.replace(str(MARK), quote(fake))


@pytest.fixture
def walk(app, client, world, login):
    """The owner's view of every route, with rows of each kind to point at."""
    ids = fresh_ids(world, world.owner)
    login(world.owner)
    return ids


def _open(client, method, url):
    try:
        response = client.open(url, method=method, data={"title": "x"})
    except Exception as exc:  # the server error, re-raised by the test client
        raise AssertionError(f"{method} {url} failed on the server") from exc
    response.close()
    return response.status_code


def test_no_route_answers_500_for_an_id_the_database_cannot_hold(app, client, walk):
    checked = 0
    for rule, method in every_route(app):
        id_args = [a for a in rule.arguments if a != "filename"]
        if not id_args:
            continue
        for name in id_args:
            for fake in HUGE_IDS + FOREIGN_DIGITS:
                status = _open(client, method, _with_id(app, rule, walk, name, fake))
                assert status == 404, (method, rule.rule, name, fake, status)
                checked += 1
    assert checked > 400  # every route with an id, every kind of bad id


# files that take seconds to make (Chromium prints the PDF, the SVG subsets its font) and
# read no query parameter: two hostile query strings each, not all of them
SLOW = {
    "backlog.blueprint_summary_pdf",
    "service_blueprints.download_board_svg",
    "shared.summary_pdf",
    "shared.board_svg_file",
    "shared.board_print_svg",
    "service_blueprints.board_print_svg",
    "service_blueprints.board_pdf_file",
}


def test_no_page_answers_500_for_a_hostile_query_string(app, client, walk):
    for rule, method in every_route(app):
        if method != "GET" or rule.endpoint in ("static", "bootstrap.static"):
            continue
        url = route_url(app, rule, walk)
        queries = _query_strings()
        for query in queries[-2:] if rule.endpoint in SLOW else queries:
            status = _open(client, "GET", f"{url}?{query}")
            assert status < 500, (rule.rule, query, status)
            assert status in (200, 302, 303, 400, 404, 409, 422), (rule.rule, query, status)


@pytest.mark.parametrize(
    "path",
    [
        "/backlog?endpoint=x",
        "/backlog?_method=x",
        "/backlog/matrix?endpoint=x",
        "/backlog/matrix?_method=x",
        "/backlog?framework=%20",
        "/backlog/matrix?framework=%20",
        "/backlog/export.xlsx?framework=%20",
        "/backlog/export.xlsx?q=%01",
    ],
)
def test_backlog_pages_ignore_parameters_they_do_not_know(client, world, login, path):
    login(world.viewer)
    assert client.get(path).status_code == 200


def test_an_id_in_arabic_indic_digits_is_not_taken_for_another_id(client, world, login):
    login(world.owner)
    assert client.get(f"/workspaces/{world.workspace.id}/members").status_code == 200
    arabic = "".join(chr(0x0660 + int(d)) for d in str(world.workspace.id))
    assert client.get(f"/workspaces/{quote(arabic)}/members").status_code == 404
    assert client.get("/blueprints/2147483648").status_code == 404
