"""The blank blueprint workbook: the format with one filled example of each row. Pure.

It is an ordinary blueprint workbook without ids, so importing it unchanged creates a
blueprint holding the example rows (one stage, a customer action, a frontstage step, a
system and their links); people overwrite or delete them first.
"""

from __future__ import annotations

from blueprint.workbook.layout import BlueprintData
from blueprint.workbook.write import build
from workbooks.words import ENGLISH, N_, Words


def template_data(words: Words = ENGLISH) -> BlueprintData:
    """The blank blueprint workbook's content: the format with one filled example of each,
    its examples in the language of `words`."""
    order = words.pgettext("the example stage of a journey", "Order")
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
        name=words(N_("New blueprint")),
        goal=words(N_("What the customer wants to achieve (example: replace with yours)")),
        scope=words(N_("Where the journey starts and ends")),
        state="current",
        persona="",
        stages=[order],
        elements=[
            {
                **step,
                "key": "S1-C-1",
                "kind": "customer_action",
                "stage": order,
                "position": 1,
                "title": words(N_("Places an order online (example)")),
                "description": words(
                    N_("One row per step; delete or overwrite these example rows.")
                ),
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
                "stage": order,
                "position": 1,
                "title": words(N_("Confirms the order by e-mail (example)")),
                "channel": "email",
                "fail_point": True,
                "fail_note": words(N_("The confirmation sometimes never arrives")),
                "evidence_source": "call_centre",
                "evidence_status": "assumed",
            },
        ],
        catalog=[
            {
                "key": "Y1",
                "kind": "system",
                "title": words(N_("Order system (example)")),
                "description": words(N_("People and systems are shared by every blueprint")),
                "fail_point": False,
                "fail_note": "",
            }
        ],
        links=[("S1-C-1", "S1-F-1", "relies_on"), ("S1-F-1", "Y1", "uses")],
    )


def template(words: Words = ENGLISH) -> bytes:
    """The blank workbook in the language of `words`."""
    return build(template_data(words), words)
