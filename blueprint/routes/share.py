"""Share links: the pages anyone with a link opens without logging in (the `shared` Flask
blueprint, under /s/<token>/), and the blueprint's Share page where owners and editors
make, list and revoke links.

Every shared page answers the same 404 for an unknown, expired or revoked token, counts it
against the client address (429 past the limit), sends `X-Robots-Tag: noindex` and
`Referrer-Policy: no-referrer`, and is recorded in the audit trail as a view of its link.
The summary and its PDF join `shared` from the backlog (backlog/routes/share.py).
"""

from __future__ import annotations

import flask_babel
from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.exceptions import TooManyRequests

from accounts.security import get_scoped_or_404
from blueprint import board_svg, queries
from blueprint.board_svg import Options
from blueprint.models import ServiceBlueprint
from blueprint.routes import bp
from blueprint.routes.blueprints import board_page
from blueprint.sharing import services, throttle
from blueprint.sharing.forms import RevokeForm, ShareLinkForm
from blueprint.sharing.models import ShareLink
from clock import utcnow
from downloads import attachment, file_name
from extensions import db
from web.i18n import format_day, local_today

shared = Blueprint("shared", __name__, url_prefix="/s/<share_token>")


@shared.url_value_preprocessor
def _take_token(_endpoint, values) -> None:
    g.share_token = (values or {}).pop("share_token", "")


@shared.url_defaults
def _keep_token(_endpoint, values) -> None:
    """Links between shared pages carry the token the page was opened with."""
    if "share_token" not in values and "share_token" in g:
        values["share_token"] = g.share_token


def _too_many() -> TooManyRequests:
    error = TooManyRequests(
        _(
            "Too many links that do not work came from your network. "
            "Wait a few minutes and try again."
        )
    )
    error.rootline_message = True
    return error


@shared.before_request
def _open_link():
    address = request.remote_addr or ""
    link = services.resolve(g.share_token)
    if link is None:
        if throttle.count_miss(address):
            raise _too_many()
        abort(404)
    if throttle.refused(address):
        raise _too_many()
    g.share_link = link


@shared.after_request
def _private(response):
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    response.headers["Referrer-Policy"] = "no-referrer"
    if response.status_code == 429:  # the error page is made anew, without the abort's headers
        window = current_app.config["SHARE_LINK_MISS_WINDOW"]
        response.headers["Retry-After"] = str(int(window.total_seconds()))
    return response


def shared_blueprint() -> tuple[ShareLink, ServiceBlueprint]:
    """The link this request was opened with and its blueprint."""
    link = g.share_link
    return link, db.session.get(ServiceBlueprint, link.blueprint_id)


def viewed(link: ShareLink, page: str, response):
    """Record the view and commit; then answer `response`."""
    services.record_view(link, page)
    db.session.commit()
    return response


@shared.get("/")
def board():
    link, blueprint = shared_blueprint()
    return viewed(link, "board", board_page(blueprint, shared=link))


@shared.get("/board.svg")
def board_svg_file():
    link, blueprint = shared_blueprint()
    persona, owner, _stamp = queries.blueprint_header(blueprint.id)
    header = board_svg.header_for(
        blueprint, persona, owner, format_day(local_today()), words=flask_babel
    )
    svg = board_svg.render(queries.board(blueprint), header, Options(words=flask_babel))
    name = file_name(blueprint.name, "-board.svg", "blueprint")
    return viewed(link, "board SVG", attachment(svg, name, "image/svg+xml"))


# --- the blueprint's Share page, for owners and editors ----------------------------------


def _share_page(blueprint: ServiceBlueprint, form: ShareLinkForm, new_url=None, status=200):
    return render_template(
        "service_blueprints/share.html",
        blueprint=blueprint,
        form=form,
        links=services.of_blueprint(blueprint.id),
        revoke_form=RevokeForm(),
        new_url=new_url,
        now=utcnow(),
    ), status


@bp.get("/blueprints/<int:blueprint_id>/share")
def share_links(blueprint_id: int):
    blueprint = get_scoped_or_404(ServiceBlueprint, blueprint_id, edit=True)
    return _share_page(blueprint, ShareLinkForm(formdata=None))


@bp.post("/blueprints/<int:blueprint_id>/share")
def create_share_link(blueprint_id: int):
    """A new link, shown once on the page that answers (its token is kept only hashed)."""
    blueprint = get_scoped_or_404(ServiceBlueprint, blueprint_id, edit=True)
    form = ShareLinkForm()
    if form.validate_on_submit():
        try:
            _link, token = services.create(blueprint, current_user, form.days.data, form.label.data)
        except services.ShareLinkError as exc:
            getattr(form, exc.field or "days").errors.append(exc.message)
        else:
            db.session.commit()
            url = url_for("shared.board", share_token=token, _external=True)
            return _share_page(blueprint, ShareLinkForm(formdata=None), new_url=url)
    return _share_page(blueprint, form, status=422)


@bp.post("/blueprints/<int:blueprint_id>/share/<int:share_link_id>/revoke")
def revoke_share_link(blueprint_id: int, share_link_id: int):
    blueprint = get_scoped_or_404(ServiceBlueprint, blueprint_id, edit=True)
    link = services.link_of(blueprint, share_link_id)
    if link is None:
        abort(404)
    if not RevokeForm().validate_on_submit():
        abort(400)
    if services.revoke(link):
        db.session.commit()
        if link.label:
            message = _(
                "The link “%(label)s” is revoked: it no longer opens anything.", label=link.label
            )
        else:
            message = _("The link is revoked: it no longer opens anything.")
        flash(message, "info")
    else:
        flash(_("That link was revoked already."), "info")
    return redirect(url_for(".share_links", blueprint_id=blueprint.id), code=303)
