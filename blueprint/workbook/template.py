"""The blank blueprint workbook: the format with one filled example of each row. Pure.

It is an ordinary blueprint workbook without ids, so importing it unchanged creates a
blueprint holding the example rows (one stage, a customer action, a frontstage step, a
system and their links); people overwrite or delete them first.
"""

from __future__ import annotations

from blueprint.workbook.layout import BlueprintData
from blueprint.workbook.write import build


def template_data() -> BlueprintData:
    """The blank blueprint workbook's content: the format with one filled example of each."""
    step = {
        "description": "",
        "channel": None,
        "duration_minutes": None,
        "tolerance_minutes": None,
        "fail_point": False,
        "fail_note": "",
        "wait_point": False,
        "emotion": None,
        "moment_of_truth": False,
        "evidence_source": None,
        "evidence_status": None,
    }
    return BlueprintData(
        name="New blueprint",
        goal="What the customer wants to achieve (example: replace with yours)",
        scope="Where the journey starts and ends",
        state="current",
        persona="",
        stages=["Order"],
        elements=[
            {
                **step,
                "key": "S1-C-1",
                "kind": "customer_action",
                "stage": "Order",
                "position": 1,
                "title": "Places an order online (example)",
                "description": "One row per step; delete or overwrite these example rows.",
                "channel": "web",
                "duration_minutes": 10,
                "tolerance_minutes": 15,
                "wait_point": True,
                "emotion": 1,
                "moment_of_truth": True,
                "evidence_source": "interview",
                "evidence_status": "observed",
            },
            {
                **step,
                "key": "S1-F-1",
                "kind": "frontstage",
                "stage": "Order",
                "position": 1,
                "title": "Confirms the order by e-mail (example)",
                "channel": "email",
                "fail_point": True,
                "fail_note": "The confirmation sometimes never arrives",
                "evidence_source": "call_centre",
                "evidence_status": "assumed",
            },
        ],
        catalog=[
            {
                "key": "Y1",
                "kind": "system",
                "title": "Order system (example)",
                "description": "People and systems are shared by every blueprint",
                "fail_point": False,
                "fail_note": "",
            }
        ],
        links=[("S1-C-1", "S1-F-1", "relies_on"), ("S1-F-1", "Y1", "uses")],
    )


def template() -> bytes:
    return build(template_data())
