// Board: hovering or focusing a step highlights everything it is linked to (both ways).
// Works with keyboard alone: focus moves onto each card's title link. Listens on the page,
// not on the board itself, so it keeps working when the board editor redraws the board.
(function () {
  "use strict";
  function board() {
    return document.querySelector(".board");
  }

  function clear() {
    const table = board();
    if (!table) return;
    table.classList.remove("is-tracing");
    table.querySelectorAll(".is-active, .is-linked").forEach((el) => {
      el.classList.remove("is-active", "is-linked");
    });
  }

  function highlight(card) {
    const table = board();
    clear();
    table.classList.add("is-tracing");
    card.classList.add("is-active");
    (card.dataset.links || "").split(" ").filter(Boolean).forEach((id) => {
      const other = table.querySelector(`.bp-card[data-id="${id}"]`);
      if (other) other.classList.add("is-linked");
      card.querySelectorAll('.dep[data-id="' + id + '"]').forEach((d) => d.classList.add("is-linked"));
    });
  }

  function cardOf(event) {
    const table = board();
    return table && table.contains(event.target) ? event.target.closest(".bp-card") : null;
  }

  document.addEventListener("mouseover", (event) => {
    if (document.body.classList.contains("is-board-dragging")) return clear(); // the editor's drag
    const card = cardOf(event);
    if (card) highlight(card);
    else if (board() && !board().contains(event.target)) clear();
  });
  document.addEventListener("focusin", (event) => {
    const card = cardOf(event);
    if (card) highlight(card); else clear();
  });
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape") clear();
  });
  document.addEventListener("board:drag", clear); // the board editor's drag has begun
})();
