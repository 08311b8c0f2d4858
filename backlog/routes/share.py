"""The summary and its PDF through a share link (the `shared` Flask blueprint of
blueprint/routes/share.py). The PDF is printed in the request, not by a job: jobs belong to
a member who started them, and whoever holds the link has no account."""

from __future__ import annotations

from flask import current_app
from flask_babel import gettext as _

from backlog.routes.summary import _unavailable
from backlog.summary_page import NO_PDF_ADVICE, pdf_name, summary_page
from blueprint.routes.share import shared, shared_blueprint, viewed
from downloads import attachment
from pdfprint import PdfUnavailable, print_to_pdf


@shared.get("/summary")
def summary():
    link, blueprint = shared_blueprint()
    return viewed(link, "summary", summary_page(blueprint, shared=link))


@shared.get("/summary.pdf")
def summary_pdf():
    link, blueprint = shared_blueprint()
    try:
        content = print_to_pdf(summary_page(blueprint, standalone=True, shared=link))
    except PdfUnavailable as exc:
        current_app.logger.warning("shared summary PDF: %s", exc.__cause__ or exc.message)
        raise _unavailable(f"{_(exc.message)} {_(NO_PDF_ADVICE)}") from None
    return viewed(link, "summary PDF", attachment(content, pdf_name(blueprint), "application/pdf"))
