"""The action plan's *Matrix* sheet: impact against effort as a native scatter chart. Pure.

Every point is labelled with the task's rank on the *Action plan* sheet ("–" for unscored
tasks, which have none). Impact and effort are whole numbers, so many tasks share a spot:
the k-th task at a spot is moved a little along a sunflower spiral (k = 0 stays on it), so
overlapping tasks stay apart and every label readable. Two guide lines at the quadrant
threshold split the chart into its four quadrants, each named in its corner.

openpyxl writes data labels that show values or names only; a label with its own text (the
rank) needs the `tx` element of the format's `dLbl`, which `RankLabel` adds. Excel and
LibreOffice both show it.
"""

from __future__ import annotations

import math
from collections import Counter

from openpyxl.chart import Reference, ScatterChart, Series
from openpyxl.chart.label import DataLabel, DataLabelList
from openpyxl.chart.shapes import GraphicalProperties
from openpyxl.chart.text import RichText, Text
from openpyxl.descriptors import Typed
from openpyxl.descriptors.nested import NestedInteger
from openpyxl.drawing.text import (
    CharacterProperties,
    Paragraph,
    ParagraphProperties,
    RegularTextRun,
)

from workbooks.cells import RowWriter, new_sheet
from workbooks.words import ENGLISH, N_, Words

MAX_POINTS = 200  # the chart shows the first 200 tasks in backlog order
SPREAD = 0.2  # how far apart tasks sharing a spot are drawn (in scale units)
GOLDEN_ANGLE = math.pi * (3 - math.sqrt(5))


class RankLabel(DataLabel):
    """A data label with its own text (OOXML CT_DLbl's `tx`)."""

    tagname = "dLbl"
    idx = NestedInteger()
    tx = Typed(expected_type=Text, allow_none=True)
    numFmt = DataLabel.numFmt
    spPr = DataLabel.spPr
    txPr = DataLabel.txPr
    dLblPos = DataLabel.dLblPos
    showLegendKey = DataLabel.showLegendKey
    showVal = DataLabel.showVal
    showCatName = DataLabel.showCatName
    showSerName = DataLabel.showSerName
    showPercent = DataLabel.showPercent
    showBubbleSize = DataLabel.showBubbleSize
    showLeaderLines = DataLabel.showLeaderLines
    separator = DataLabel.separator
    __elements__ = ("idx", "tx", *DataLabel.__elements__[1:])

    def __init__(self, idx: int = 0, tx: Text | None = None, **kw):
        super().__init__(idx=idx, **kw)
        self.tx = tx


def _label(idx: int, text: str, size: int = 900, bold: bool = False) -> RankLabel:
    run = RegularTextRun(t=text, rPr=CharacterProperties(sz=size, b=bold))
    rich = RichText(p=[Paragraph(pPr=ParagraphProperties(), r=[run])])
    return RankLabel(
        idx=idx,
        tx=Text(rich=rich),
        dLblPos="r",
        showVal=True,
        showLegendKey=False,
        showCatName=False,
        showSerName=False,
        showPercent=False,
        showBubbleSize=False,
    )


class Spread:
    """Where to draw each task so that tasks on the same spot stay apart."""

    def __init__(self):
        self.seen: Counter[tuple[int, int]] = Counter()

    def __call__(self, effort: int, impact: int) -> tuple[float, float]:
        k = self.seen[effort, impact]
        self.seen[effort, impact] += 1
        r, angle = SPREAD * math.sqrt(k), k * GOLDEN_ANGLE
        return round(effort + r * math.cos(angle), 3), round(impact + r * math.sin(angle), 3)


def add_matrix(
    wb,
    points: list[tuple[str, str, int, int, float, float]],
    threshold: int,
    words: Words = ENGLISH,
):
    """The Matrix sheet: `points` are (rank label, title, effort, impact, x, y) in backlog
    order; its words in the language of `words`."""
    ws = new_sheet(wb, words(N_("Matrix")), (7, 40, 8, 8, 8, 8, 2, 16, 8), freeze=None)
    ws.page_setup.orientation = "landscape"
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 1
    write = RowWriter(ws)
    ws.append(
        write(
            [
                words(
                    N_(
                        "Impact against effort. Each point is a task, labelled with its rank "
                        "on the %(sheet)s sheet (– when unscored); tasks that share a spot are "
                        "drawn apart."
                    ),
                    sheet=words(N_("Action plan")),
                )
            ]
        )
    )
    guide = threshold - 0.5  # the quadrant boundary between whole numbers
    guides = [
        (words(N_("Quick win")), 0.2, 5.8),
        (words(N_("Major project")), 5.8, 5.8),
        (words(N_("Fill-in")), 0.2, 0.2),
        (words(N_("Thankless task")), 5.8, 0.2),
        ("", guide, 0),
        ("", guide, 6),
        ("", 0, guide),
        ("", 6, guide),
    ]
    ws.append([])
    ws.append(
        write(
            [
                *(words(w) for w in (N_("Rank"), N_("Task"), N_("Effort"), N_("Impact"))),
                words(N_("Chart x")),
                words(N_("Chart y")),
                None,
                words(N_("Chart guides")),
            ]
        )
    )
    first = 4
    count = max(len(points), len(guides))
    for i in range(count):
        row = list(points[i]) if i < len(points) else [None] * 6
        if i < len(guides):
            row += [None, *guides[i]]
        ws.append(write(row))

    chart = ScatterChart()
    chart.title = words(N_("Impact / effort"))
    chart.style = 13
    chart.x_axis.title = words(N_("Effort (1–5)"))
    chart.y_axis.title = words(N_("Impact (1–5)"))
    for axis in (chart.x_axis, chart.y_axis):
        axis.scaling.min, axis.scaling.max = 0, 6
        axis.majorUnit = 1
        axis.delete = False
    last = first + max(len(points), 1) - 1
    tasks = Series(
        Reference(ws, min_col=6, min_row=first, max_row=last),
        Reference(ws, min_col=5, min_row=first, max_row=last),
        title=words(N_("Tasks")),
    )
    tasks.marker.symbol, tasks.marker.size = "circle", 6
    tasks.marker.graphicalProperties = GraphicalProperties(solidFill="1F4E5F")
    tasks.marker.graphicalProperties.line.solidFill = "FFFFFF"
    tasks.graphicalProperties.line.noFill = True
    tasks.dLbls = DataLabelList(dLbl=[_label(i, p[0]) for i, p in enumerate(points)], showVal=False)
    chart.series.append(tasks)
    names = Series(
        Reference(ws, min_col=10, min_row=first, max_row=first + 3),
        Reference(ws, min_col=9, min_row=first, max_row=first + 3),
        title=words(N_("Quadrants")),
    )
    names.marker.symbol = "none"
    names.graphicalProperties.line.noFill = True
    names.dLbls = DataLabelList(
        dLbl=[_label(i, guides[i][0], 900, bold=True) for i in range(4)], showVal=False
    )
    for i, position in enumerate(("r", "l", "r", "l")):
        names.dLbls.dLbl[i].dLblPos = position
    chart.series.append(names)
    for start in (first + 4, first + 6):  # the two guide lines
        line = Series(
            Reference(ws, min_col=10, min_row=start, max_row=start + 1),
            Reference(ws, min_col=9, min_row=start, max_row=start + 1),
            title=words(N_("Threshold")),
        )
        line.marker.symbol = "none"
        line.graphicalProperties.line.solidFill = "9AA5AD"
        line.graphicalProperties.line.width = 19050
        line.graphicalProperties.line.prstDash = "dash"
        chart.series.append(line)
    chart.legend = None
    chart.width, chart.height = 22, 17
    ws.add_chart(chart, "L3")
    return ws
