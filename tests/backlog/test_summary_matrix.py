"""The summary's impact/effort matrix can be read on paper: printed to PDF, every text of it
(ranks, quadrants, ticks, axes) is 8 pt at least, and the demo's summary still fits one A4
page.

The printed scale is measured in the PDF itself: the effort ticks 1 and 5 are drawn at known
x in the SVG's units (the summary's HTML says where) and `pdftotext -bbox` says where they
landed on the page, in points."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections import defaultdict
from html import unescape

import pytest
from sqlalchemy import select

from blueprint.models import ServiceBlueprint
from demo import DEMO_PASSWORD, seed_demo
from extensions import db
from tests import factories as f

MIN_PT = 8.0

pytestmark = pytest.mark.skipif(
    shutil.which("chromium") is None or shutil.which("pdftotext") is None,
    reason="needs chromium and pdftotext (poppler-utils)",
)


def words(pdf_path) -> list[tuple[str, float, float, float, float]]:
    """(text, xMin, yMin, xMax, yMax) of every word on the first page, in points."""
    out = subprocess.run(
        ["pdftotext", "-bbox", "-f", "1", "-l", "1", str(pdf_path), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    found = re.findall(
        r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>',
        out,
    )
    return [(unescape(t), float(a), float(b), float(c), float(d)) for a, b, c, d, t in found]


def effort_ticks(found) -> dict[str, float]:
    """The centres of the effort axis's ticks 1–5: the row of words 1..5 just above the
    axis name "Effort"."""
    effort = next(w for w in found if w[0] == "Effort")
    rows = defaultdict(list)
    for w in found:
        if w[0] in "12345" and len(w[0]) == 1 and w[4] <= effort[2] + 1:
            rows[round(w[2])].append(w)
    row = max(
        (r for r in rows.values() if sorted(w[0] for w in r) == list("12345")),
        key=lambda r: r[0][2],
    )
    return {w[0]: (w[1] + w[3]) / 2 for w in row}


def test_the_summarys_matrix_prints_every_text_at_8_pt_at_least(client, tmp_path):
    seed_demo()
    f.commit()
    client.post("/login", data={"email": "demo@example.com", "password": DEMO_PASSWORD})
    blueprint = db.session.scalar(select(ServiceBlueprint).order_by(ServiceBlueprint.id))
    page = client.get(f"/blueprints/{blueprint.id}/summary").get_data(as_text=True)
    svg = page.split('<svg class="matrix')[1].split("</svg>")[0]
    sizes = [float(s) for s in re.findall(r'font-size="([\d.]+)"', svg)]
    ticks = re.findall(r'<text class="tick" font-size="[\d.]+" x="([\d.]+)"[^>]*>(\d)</text>', svg)
    ticks_x = {t: float(x) for x, t in ticks[::2]}  # the effort axis's (the impact's between)
    assert sorted(ticks_x) == list("12345") and sizes

    response = client.get(f"/blueprints/{blueprint.id}/summary.pdf")
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    assert len(re.findall(rb"/Type\s*/Page[^s]", response.data)) == 1  # still one A4 page
    pdf = tmp_path / "summary.pdf"
    pdf.write_bytes(response.data)
    found = words(pdf)
    printed = effort_ticks(found)
    points_per_unit = (printed["5"] - printed["1"]) / (ticks_x["5"] - ticks_x["1"])
    smallest = min(sizes) * points_per_unit
    assert smallest >= MIN_PT, f"the matrix's smallest text prints at {smallest:.1f} pt"

    # the ranks are in the PDF as text, inside the grid, each box as tall as 8 pt at least
    cell = (printed["5"] - printed["1"]) / 4
    tick_y = next(w[2] for w in found if w[0] == "5" and abs((w[1] + w[3]) / 2 - printed["5"]) < 1)
    ranks = [
        w
        for w in found
        if w[0].isdigit()
        and printed["1"] - cell / 2 <= w[1]
        and w[3] <= printed["5"] + cell / 2
        and tick_y - 5 * cell <= w[2] < tick_y - 2
    ]
    assert sorted(int(w[0]) for w in ranks) == list(range(1, 11))  # the top ten, numbered
    assert min(w[4] - w[2] for w in ranks) >= MIN_PT
