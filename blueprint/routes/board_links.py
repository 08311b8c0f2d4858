"""Links on the board: a card's Link control (its links, each with its kind and a Remove,
and the search that links it to a step, person or system, or creates the person or system),
and what dragging a card's handle onto another card posts."""

from __future__ import annotations

from flask import abort, redirect, render_template, url_for
from flask_login import current_user

from accounts.security import get_scoped_or_404
from blueprint import board_edits, queries
from blueprint.board_forms import BoardLinkForm, LinkKindForm, UnlinkForm
from blueprint.models import Element, Link
from blueprint.routes import bp
from blueprint.routes.board_answer import board_change, from_board
from blueprint.routes.board_edit import board_of
from extensions import db


def _links_panel(element: Element) -> str:
    outgoing, incoming = queries.element_links(element)
    kinds = {row.link.id: board_edits.kinds_for(row.partner) for row in outgoing}
    return render_template(
        "service_blueprints/_board_links.html",
        element=element,
        outgoing=outgoing,
        incoming=incoming,
        kinds=kinds,
    )


@bp.route("/elements/<int:element_id>/board-links", methods=["GET", "POST"])
def board_links(element_id: int):
    """GET: the card's links, for its Link control. POST: link the card to what the search
    found (`target_id`), or to a person or system it creates (`new_title`, `new_kind`)."""
    element = get_scoped_or_404(Element, element_id, edit=True)
    blueprint = board_of(element)
    form = BoardLinkForm()
    if not form.is_submitted():
        if not from_board():
            return redirect(url_for(".element", element_id=element.id))
        return _links_panel(element)

    def act():
        target = None
        if form.target_id.data is not None:
            target = db.session.get(Element, form.target_id.data)
            if target is None or target.workspace_id != element.workspace_id:
                abort(404)
        return board_edits.link_step(
            blueprint,
            element,
            target,
            current_user.id,
            kind=form.kind.data,
            new_title=form.new_title.data,
            new_kind=form.new_kind.data,
        )[1]

    return board_change(
        blueprint, form, act, card_id=element.id, panel=lambda _form: _links_panel(element)
    )


def _link_on_board(link_id: int, form: UnlinkForm) -> tuple[Link, Element]:
    """The link and the card it is changed from: the end the form names, else the first
    end on a board."""
    link = get_scoped_or_404(Link, link_id, edit=True)
    ends = [db.session.get(Element, link.source_id), db.session.get(Element, link.target_id)]
    named = [e for e in ends if e.id == form.card_id.data and e.blueprint_id is not None]
    on_board = next(iter(named or [e for e in ends if e.blueprint_id is not None]), None)
    if on_board is None:
        abort(404)  # between people and systems: the catalog's, not a board's
    return link, on_board


@bp.post("/links/<int:link_id>/kind")
def change_link_kind(link_id: int):
    form = LinkKindForm()
    link, element = _link_on_board(link_id, form)
    blueprint = board_of(element)
    return board_change(
        blueprint,
        form,
        lambda: board_edits.rekind_link(blueprint, link, form.kind.data, current_user.id),
        row=link,
        card_id=element.id,
        panel=lambda _form: _links_panel(element),
    )


@bp.post("/links/<int:link_id>/unlink")
def unlink(link_id: int):
    """Remove a link from the card (with Undo); the element page's Remove stays."""
    form = UnlinkForm()
    link, element = _link_on_board(link_id, form)
    blueprint = board_of(element)
    return board_change(
        blueprint,
        form,
        lambda: board_edits.unlink(blueprint, link, current_user.id),
        row=link,
        card_id=element.id,
        panel=lambda _form: _links_panel(element),
    )
