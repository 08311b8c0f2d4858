"""The evidence import on the web: upload, map the columns (remembered for the file's
shape), preview per step with the category mapping and the proposals edited, apply; the
insight page lists its evidence rows with their reasons; a large file is applied by a job
with progress; editors only, inside their workspace."""

from __future__ import annotations

import io
import zipfile

import pytest
from sqlalchemy import func, select

from backlog.evidence.models import CategoryStep, EvidenceRow, PendingEvidence, StepAlias
from backlog.models import Insight
from extensions import db
from jobs.models import Job, JobStatus
from tests import factories as f

TICKETS = (
    "nr;utworzono;kategoria;treść\r\n"
    "Z-1;05.03.2026;;Płatność kartą nie przeszła, płatności online nie działają\r\n"
    "Z-2;06.03.2026;;Płatności online odrzucone drugi raz\r\n"
    "Z-3;07.03.2026;Reklamacje;Proszę o korektę\r\n"
    "Z-4;09.03.2026;;Zażółć gęślą jaźń\r\n"
).encode("cp1250")
COLUMNS = {
    "text": "treść",
    "reference": "nr",
    "date": "utworzono",
    "category": "kategoria",
    "step": "",
    "channel": "",
    "score": "",
    "source": "call_centre",
    "customers": "",
}


@pytest.fixture
def shop(world):
    blueprint, stages = f.make_blueprint(world.workspace, "Zakupy", ("Kupno",))
    pay = f.make_element(stages[0], "customer_action", "Płatność online")
    invoice = f.make_element(stages[0], "backstage", "Faktura")
    f.commit()
    return blueprint, pay, invoice


def _count(model, *where):
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def _upload(client, blueprint, content=TICKETS, name="zgloszenia.csv"):
    return client.post(
        "/evidence/import",
        data={"blueprint_id": str(blueprint.id), "file": (io.BytesIO(content), name)},
        content_type="multipart/form-data",
    )


def _pending_id(response) -> int:
    assert response.status_code == 303, response.data[:500]
    return int(response.location.split("/")[3])


def test_upload_map_preview_edit_and_apply(client, login, world, shop):
    blueprint, pay, invoice = shop
    login(world.editor)
    pending = _pending_id(_upload(client, blueprint))
    page = client.get(f"/evidence/import/{pending}/columns")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Read as CSV in Windows-1250, separated by semicolons." in text
    assert "Zażółć gęślą jaźń" in text
    assert '<option selected value="treść">' in text  # guessed from the column names
    assert client.post(f"/evidence/import/{pending}/columns", data=COLUMNS).status_code == 303

    preview = client.get(f"/evidence/import/{pending}")
    text = preview.get_data(as_text=True)
    assert preview.status_code == 200
    assert "Płatność online" in text and "Płatności online odrzucone drugi raz" in text
    assert "Unmatched rows" in text and "Zażółć gęślą jaźń" in text and "below 65" in text
    assert _count(Insight) == 0  # the preview writes nothing

    # an alias the files use for a step, kept per workspace
    refused = client.post(
        f"/evidence/import/{pending}/alias", data={"alias": " ", "element_id": pay.id}
    )
    assert refused.status_code == 422 and "Write the other name" in refused.get_data(as_text=True)
    alias = client.post(
        f"/evidence/import/{pending}/alias", data={"alias": "BLIK", "element_id": pay.id}
    )
    assert alias.status_code == 303
    assert (
        db.session.scalar(select(StepAlias.alias).where(StepAlias.element_id == pay.id)) == "BLIK"
    )
    # the category goes to the invoice step, kept for next time
    saved = client.post(f"/evidence/import/{pending}/categories", data={"category_0": invoice.id})
    assert saved.status_code == 303
    assert db.session.scalar(select(CategoryStep.element_id)) == invoice.id
    # rename the payment insight, severity 5, merge the invoice's into it
    edits = {
        f"title_{pay.id}": "Płatności zawodzą",
        f"severity_{pay.id}": "5",
        f"action_{pay.id}": "keep",
        f"title_{invoice.id}": "",
        f"severity_{invoice.id}": "3",
        f"action_{invoice.id}": f"merge:{pay.id}",
    }
    assert client.post(f"/evidence/import/{pending}/proposals", data=edits).status_code == 303
    applied = client.post(f"/evidence/import/{pending}/apply")
    assert applied.status_code == 303 and applied.location == "/insights"
    (insight,) = db.session.scalars(select(Insight)).all()
    assert (insight.title, insight.severity, insight.element_id) == ("Płatności zawodzą", 5, pay.id)
    assert _count(EvidenceRow) == 4 and _count(PendingEvidence) == 0

    page = client.get(f"/insights/{insight.id}").get_data(as_text=True)
    assert "Evidence rows" in page and "zgloszenia.csv" in page
    assert "text like Płatność online: score 100" in page and "threshold 65" in page
    assert "category “Reklamacje” is mapped to Faktura" in page

    # the next file of the same shape: the columns come as chosen, no row counted twice
    again = _pending_id(_upload(client, blueprint))
    text = client.get(f"/evidence/import/{again}/columns").get_data(as_text=True)
    assert "chosen as last time" in text and '<option selected value="nr">' in text
    client.post(f"/evidence/import/{again}/columns", data=COLUMNS)
    text = client.get(f"/evidence/import/{again}").get_data(as_text=True)
    assert "4 imported before" in text


def test_bad_input_gets_a_message_next_to_the_field(client, login, world, shop):
    blueprint, *_ = shop
    login(world.editor)
    empty = _upload(client, blueprint, b"")
    assert empty.status_code == 422 and "The file is empty." in empty.get_data(as_text=True)
    xls = _upload(client, blueprint, b"\xd0\xcf\x11\xe0rest", "old.xls")
    assert xls.status_code == 422
    other = client.post("/evidence/import", data={"blueprint_id": "999999"})
    assert other.status_code == 422 and "Not a valid choice" in other.get_data(as_text=True)
    pending = _pending_id(_upload(client, blueprint))
    wrong = client.post(f"/evidence/import/{pending}/columns", data=COLUMNS | {"text": ""})
    assert wrong.status_code == 422
    assert "Choose the column that holds the text." in wrong.get_data(as_text=True)
    bad = client.post(f"/evidence/import/{pending}/columns", data=COLUMNS | {"customers": "0"})
    assert bad.status_code == 422 and "at least 1" in bad.get_data(as_text=True)


def test_a_refused_file_is_explained_in_the_readers_language(client, login, world, shop):
    blueprint, *_ = shop
    login(world.editor)
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "pl-PL,pl;q=0.9"
    empty = _upload(client, blueprint, b"")
    assert empty.status_code == 422 and "Plik jest pusty." in empty.get_data(as_text=True)
    xls = _upload(client, blueprint, b"\xd0\xcf\x11\xe0rest", "old.csv")  # the reader's
    assert "To stary skoroszyt .xls. Zapisz go jako .xlsx lub CSV" in xls.get_data(as_text=True)
    xls = _upload(client, blueprint, b"\xd0\xcf\x11\xe0rest", "old.xls")  # the upload check's
    assert "Zapisz go jako .xlsx i prześlij ponownie." in xls.get_data(as_text=True)
    parts = io.BytesIO()  # a workbook of too many parts: the upload check's refusal
    with zipfile.ZipFile(parts, "w") as archive:
        for n in range(1_001):
            archive.writestr(f"x/{n}.xml", "")
    hostile = _upload(client, blueprint, parts.getvalue(), "big.xlsx")
    page = hostile.get_data(as_text=True)
    assert hostile.status_code == 422
    assert "Skoroszyt ma 1\xa0001 części; przyjmowanych jest najwyżej 500." in page
    assert "The workbook has" not in page and "The file is empty." not in empty.text


def test_a_bad_row_shows_why_and_applies_nothing(client, login, world, shop):
    blueprint, *_ = shop
    login(world.editor)
    content = TICKETS + "Z-9;wczoraj;;Płatność\r\n".encode("cp1250")
    pending = _pending_id(_upload(client, blueprint, content))
    client.post(f"/evidence/import/{pending}/columns", data=COLUMNS)
    preview = client.get(f"/evidence/import/{pending}")
    assert preview.status_code == 422
    assert "row 6, column utworzono: “wczoraj” is not a date" in preview.get_data(as_text=True)
    assert client.post(f"/evidence/import/{pending}/apply").status_code == 422
    assert _count(Insight) == 0 and _count(EvidenceRow) == 0


def test_a_large_file_is_applied_by_a_job_with_progress(make_app, world, shop):
    blueprint, pay, _ = shop
    app = make_app(EVIDENCE_JOB_ROWS=2)
    client = app.test_client()
    client.post("/login", data={"email": world.editor.email, "password": f.PASSWORD})
    pending = _pending_id(_upload(client, blueprint))
    client.post(f"/evidence/import/{pending}/columns", data=COLUMNS)
    started = client.post(f"/evidence/import/{pending}/apply")
    assert started.status_code == 303 and started.location.startswith("/jobs/")
    db.session.expire_all()
    job = db.session.get(Job, int(started.location.rsplit("/", 1)[1]))
    assert (job.kind, job.status) == ("evidence_apply", JobStatus.DONE), job.message
    assert (job.done, job.total) == (4, 4)  # every row matched, as the page showed
    assert _count(Insight) == 1 and _count(EvidenceRow) == 4 and _count(PendingEvidence) == 0


def test_viewers_are_refused_and_uploads_stay_their_uploaders(client, login, world, shop):
    blueprint, *_ = shop
    login(world.viewer)
    assert client.get("/evidence/import").status_code == 403
    assert _upload(client, blueprint).status_code == 403
    client.post("/logout")
    login(world.editor)
    pending = _pending_id(_upload(client, blueprint))
    client.post("/logout")
    login(world.owner)  # an editor of the workspace, but not the uploader
    assert client.get(f"/evidence/import/{pending}/columns").status_code == 404
    alias = {"alias": "x", "element_id": "1"}
    assert client.post(f"/evidence/import/{pending}/alias", data=alias).status_code == 404
    assert client.post(f"/evidence/import/{pending}/apply").status_code == 404
    client.post("/logout")
    login(world.outsider)
    assert client.get(f"/evidence/import/{pending}").status_code == 404
    theirs = client.post(
        "/evidence/import",
        data={"blueprint_id": str(blueprint.id), "file": (io.BytesIO(TICKETS), "x.csv")},
        content_type="multipart/form-data",
    )
    assert theirs.status_code == 422  # another workspace's blueprint is no choice
    assert _count(PendingEvidence) == 1
