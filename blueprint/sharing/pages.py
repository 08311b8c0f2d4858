"""What a page opened through a share link may show. Pure: no Flask, no database."""

from __future__ import annotations

from blueprint.board import Board


def only_this_board(board: Board) -> Board:
    """The board with each card's highlight partners limited to what is on it (its cards
    and its people and systems): a link to a step of another blueprint would put that
    step's id into the page."""
    visible = set(board.slots()) | {c.id for c in board.catalog}
    for slot in board.slots().values():
        slot.card.linked &= visible
    return board
