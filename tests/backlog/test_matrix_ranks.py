"""The impact/effort matrix numbers each task with its backlog rank, the same number the
backlog, the summary and the action plan's sheets and chart give it ("–" for an unscored
task), and names it for a screen reader and a tooltip with its title."""

from __future__ import annotations

import html
import io
import re
import zipfile

from openpyxl import load_workbook
from sqlalchemy import select

from backlog import services as backlog_services
from backlog.models import ImprovementTask
from extensions import db
from tests import factories as f

UNRANKED = "–"


def make_tasks(world, bmap):
    """Tasks of the blueprint and one elsewhere; under RICE some are unscored."""
    rice = {"reach": 100, "rice_impact": 2, "confidence": 0.5, "effort_months": 1}
    f.make_task(world.workspace, "Pinned slog", targets=[bmap.desk], impact=1, effort=5,
                pinned=True, **rice)  # fmt: skip
    f.make_task(world.workspace, "Quick fix", targets=[bmap.desk], impact=5, effort=1,
                **{**rice, "reach": 900})  # fmt: skip
    f.make_task(world.workspace, "Twin one", targets=[bmap.desk], impact=4, effort=2, **rice)
    f.make_task(world.workspace, "Twin two", targets=[bmap.desk], impact=4, effort=2,
                **{**rice, "reach": 50})  # fmt: skip
    f.make_task(world.workspace, "Elsewhere", impact=5, effort=2, **{**rice, "reach": 400})
    f.make_task(world.workspace, "Not scored yet", targets=[bmap.desk], impact=3, effort=3)
    f.make_task(world.workspace, "Also unscored", impact=2, effort=4)
    backlog_services.save_settings(world.workspace.id, "rice", 3)
    f.commit()


def titles_by_id() -> dict[int, str]:
    return dict(db.session.execute(select(ImprovementTask.id, ImprovementTask.title)).all())


def task_id(title: str) -> int:
    return db.session.scalar(select(ImprovementTask.id).filter_by(title=title))


def backlog_ranks(client, query="") -> dict[int, str]:
    page = client.get(f"/backlog{query}").get_data(as_text=True)
    scored, _, unscored = page.partition("Unscored under")
    ranks = {
        int(task): rank
        for rank, task in re.findall(
            r'<td class="stack-lead">(\d+)</td>\s*<td class="stack-title">'
            r'(?:<span[^>]*>Pinned</span> )?<a href="/tasks/(\d+)">',
            scored,
        )
    }
    ranks |= {int(t): UNRANKED for t in re.findall(r'<td><a href="/tasks/(\d+)">', unscored)}
    return ranks


def matrix_ranks(page: str, titles: dict[int, str]) -> dict[int, str]:
    """Each point's rank, read from its accessible name, checked against what it shows."""
    svg = page.split('<svg class="matrix')[1].split("</svg>")[0]
    points = re.findall(
        r'<a class="point-link" aria-label="([^"]*)" href="/tasks/(\d+)">.*?'
        r'<text class="rank"[^>]*>([^<]*)</text>.*?<g class="tip" aria-hidden="true">(.*?)</g>',
        svg,
        re.S,
    )
    assert points, "no points in the matrix"
    ranks = {}
    for name, task, shown, tip in points:
        name, tip, title = html.unescape(name), html.unescape(tip), titles[int(task)]
        rank = UNRANKED if name.startswith("Unscored: ") else name.split(". ", 1)[0]
        assert shown == rank, (name, shown)
        assert re.fullmatch(
            rf"(\d+\. |Unscored: ){re.escape(title)} — impact \d, effort \d", name
        ), name
        assert title in tip and "Impact " in tip, tip  # the tooltip says what the point is
        ranks[int(task)] = rank
    return ranks


def test_the_matrix_numbers_tasks_by_their_backlog_rank(client, world, login, bmap):
    make_tasks(world, bmap)
    login(world.viewer)
    titles = titles_by_id()
    backlog = backlog_ranks(client)
    assert sorted(backlog.values()) == ["1", "2", "3", "4", "5", UNRANKED, UNRANKED]
    assert backlog[task_id("Pinned slog")] == "1"  # pinned first, whatever its score
    page = client.get("/backlog/matrix").get_data(as_text=True)
    assert matrix_ranks(page, titles) == backlog
    # with the backlog's filters, the numbers of the filtered backlog
    query = f"?blueprint_id={bmap.blueprint.id}&framework=value_effort"
    filtered = client.get(f"/backlog/matrix{query}").get_data(as_text=True)
    assert matrix_ranks(filtered, titles) == backlog_ranks(client, query)
    assert task_id("Elsewhere") not in matrix_ranks(filtered, titles)


def test_the_summary_numbers_its_tasks_as_the_blueprints_backlog(client, world, login, bmap):
    make_tasks(world, bmap)
    login(world.viewer)
    titles = titles_by_id()
    page = client.get(f"/blueprints/{bmap.blueprint.id}/summary").get_data(as_text=True)
    listed = re.findall(
        r'<td class="stack-lead">([^<]*)</td><td class="stack-title">([^<]*)</td>', page
    )
    by_title = {title: task for task, title in titles.items()}
    table = {by_title[html.unescape(title)]: rank for rank, title in listed}
    backlog = backlog_ranks(client, f"?blueprint_id={bmap.blueprint.id}")
    assert table == backlog and len(table) == 5  # "Elsewhere" and "Also unscored" are not its
    assert matrix_ranks(page, titles) == table  # the matrix shows the listed tasks, so numbered


def test_the_workbook_numbers_its_sheet_and_chart_as_the_backlog(client, world, login, bmap):
    make_tasks(world, bmap)
    login(world.viewer)
    content = client.get("/backlog/export.xlsx").data
    wb = load_workbook(io.BytesIO(content))
    sheet = wb["Action plan"]
    header = [c.value for c in sheet[1]]
    rank_at, id_at, title_at = header.index("Rank"), header.index("Task ID"), header.index("Task")
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    plan = {r[id_at]: UNRANKED if r[rank_at] is None else str(r[rank_at]) for r in rows}
    assert plan == backlog_ranks(client)
    # the Matrix sheet and its chart: the same numbers, in the same order
    by_title = {r[title_at]: r[id_at] for r in rows}
    matrix = [
        (label, title)
        for label, title, *_ in wb["Matrix"].iter_rows(min_row=4, max_col=6, values_only=True)
        if title
    ]
    assert {by_title[title]: label for label, title in matrix} == plan
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        chart = archive.read("xl/charts/chart1.xml").decode()
    points = chart.split("<tx><v>Quadrants</v></tx>")[0]
    labels = re.findall(r"<dLbl><idx val=\"\d+\" /><tx><rich>.*?<a:t>([^<]*)</a:t>", points)
    assert labels == [label for label, _ in matrix]


def test_a_big_matrix_draws_the_top_of_the_order_and_says_how_many_more(
    client, world, login, bmap, monkeypatch
):
    """Only the first MATRIX_POINTS tasks of the order are drawn (the rest never leave the
    database), with the backlog's ranks, and the page says how many it shows of how many."""
    from backlog import queries

    make_tasks(world, bmap)
    login(world.viewer)
    titles = titles_by_id()
    backlog = backlog_ranks(client)
    monkeypatch.setattr(queries, "MATRIX_POINTS", 3)
    page = client.get("/backlog/matrix").get_data(as_text=True)
    assert matrix_ranks(page, titles) == {t: r for t, r in backlog.items() if r in "123"}
    assert "The matrix shows the first 3 of 7 tasks, by rank" in html.unescape(page)
    monkeypatch.setattr(queries, "MATRIX_POINTS", 7)
    page = client.get("/backlog/matrix").get_data(as_text=True)
    assert matrix_ranks(page, titles) == backlog and "The matrix shows the first" not in page
