// Board: hovering or focusing a step highlights everything it is linked to (both ways).
// Works with keyboard alone: focus moves onto each card's title link.
(function () {
  "use strict";
  const board = document.querySelector(".board");
  if (!board) return;
  const cards = new Map();
  board.querySelectorAll(".bp-card").forEach((card) => cards.set(card.dataset.id, card));

  function clear() {
    board.classList.remove("is-tracing");
    board.querySelectorAll(".is-active, .is-linked").forEach((el) => {
      el.classList.remove("is-active", "is-linked");
    });
  }

  function highlight(card) {
    clear();
    board.classList.add("is-tracing");
    card.classList.add("is-active");
    (card.dataset.links || "").split(" ").filter(Boolean).forEach((id) => {
      const other = cards.get(id);
      if (other) other.classList.add("is-linked");
      card.querySelectorAll('.dep[data-id="' + id + '"]').forEach((d) => d.classList.add("is-linked"));
    });
  }

  board.addEventListener("mouseover", (event) => {
    const card = event.target.closest(".bp-card");
    if (card) highlight(card);
  });
  board.addEventListener("mouseleave", clear);
  board.addEventListener("focusin", (event) => {
    const card = event.target.closest(".bp-card");
    if (card) highlight(card); else clear();
  });
  board.addEventListener("focusout", (event) => {
    if (!board.contains(event.relatedTarget)) clear();
  });
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape") clear();
  });
})();
