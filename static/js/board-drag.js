// Dragging on the board, with the pointer (mouse, pen or touch): a card to any cell and
// place in it (another stage, another lane), a stage header before another stage, and a
// card's Link handle onto the step, person or system it relies on. A press that does not
// move is a click as before (the Link handle then opens the card's links). Escape cancels a
// drag. The keyboard does the same through Move and Link (board-keys.js, board-links.js).

import { announce, live, send, url } from "./board-live.js";

const THRESHOLD = 6; // px the pointer moves before a press becomes a drag
let pressed = null;
let drag = null;
let swallowClick = false;

function interactive(el) {
  return el.closest("button, input, select, textarea, label, form, .bp-card-tools");
}

document.addEventListener("dragstart", (event) => {
  if (live.contains(event.target)) event.preventDefault(); // no native drag of links
});

// A press that may become a drag selects no text on its way.
document.addEventListener("selectstart", (event) => {
  if (pressed || drag) event.preventDefault();
});

document.addEventListener("pointerdown", (event) => {
  if (event.button !== 0 || drag || !live.contains(event.target)) return;
  const t = event.target;
  const handle = t.closest("button[data-link]");
  let kind = null;
  let source = null;
  if (handle) {
    kind = "link";
    source = handle.closest(".bp-card");
  } else if (!interactive(t) && t.closest(".bp-card[data-version]")) {
    kind = "card";
    source = t.closest(".bp-card");
  } else if (!interactive(t) && !t.closest("a") && t.closest("th.stage-head[data-version]")) {
    kind = "stage";
    source = t.closest("th.stage-head");
  }
  if (kind) pressed = { kind, source, handle, x: event.clientX, y: event.clientY };
});

document.addEventListener("pointermove", (event) => {
  if (drag) {
    follow(event.clientX, event.clientY);
    event.preventDefault();
    return;
  }
  if (!pressed) return;
  if (Math.hypot(event.clientX - pressed.x, event.clientY - pressed.y) < THRESHOLD) return;
  begin(pressed, event.clientX, event.clientY);
  pressed = null;
});

document.addEventListener("pointerup", (event) => {
  pressed = null;
  if (!drag) return;
  follow(event.clientX, event.clientY);
  finish(true);
});

document.addEventListener("pointercancel", () => {
  pressed = null;
  if (drag) finish(false);
});

document.addEventListener("keydown", (event) => {
  if (drag && event.key === "Escape") {
    event.preventDefault();
    finish(false);
  }
});

// The click that ends a drag is not a click on whatever is under the pointer.
document.addEventListener("click", (event) => {
  if (swallowClick) {
    swallowClick = false;
    event.preventDefault();
    event.stopImmediatePropagation();
  }
}, true);

function begin(press, x, y) {
  const rect = press.source.getBoundingClientRect();
  drag = { ...press, target: null, dx: x - rect.left, dy: y - rect.top };
  document.body.classList.add("is-board-dragging");
  document.dispatchEvent(new CustomEvent("board:drag")); // the hover highlights go off
  window.getSelection().removeAllRanges();
  if (press.kind === "link") {
    drag.line = lineFrom(rect);
    announce(`Linking “${press.source.dataset.title}”: drop it on what it relies on.`);
  } else {
    const ghost = press.source.cloneNode(true);
    ghost.removeAttribute("id");
    ghost.classList.add("drag-ghost");
    ghost.style.width = `${rect.width}px`;
    document.body.append(ghost);
    drag.ghost = ghost;
    press.source.classList.add("is-dragged");
  }
  follow(x, y);
}

function lineFrom(rect) {
  const NS = "http://www.w3.org/2000/svg";
  const svg = document.createElementNS(NS, "svg");
  svg.setAttribute("class", "drag-line");
  svg.setAttribute("aria-hidden", "true");
  const line = document.createElementNS(NS, "line");
  line.setAttribute("x1", rect.left + rect.width / 2);
  line.setAttribute("y1", rect.top + rect.height / 2);
  svg.append(line);
  document.body.append(svg);
  return { svg, line };
}

function under(x, y) {
  const el = document.elementFromPoint(x, y);
  return el && live.contains(el) ? el : null;
}

function follow(x, y) {
  if (drag.ghost) {
    drag.ghost.style.left = `${x - drag.dx}px`;
    drag.ghost.style.top = `${y - drag.dy}px`;
  }
  if (drag.line) {
    drag.line.line.setAttribute("x2", x);
    drag.line.line.setAttribute("y2", y);
  }
  const el = under(x, y);
  clearMarks();
  drag.target = null;
  if (!el) return;
  if (drag.kind === "card") aimCard(el, y);
  else if (drag.kind === "stage") aimStage(el, x);
  else aimLink(el);
}

function clearMarks() {
  live.querySelectorAll(".drop-marker").forEach((m) => m.remove());
  live.querySelectorAll(".is-drop-target, .drop-before, .drop-after").forEach((el) => {
    el.classList.remove("is-drop-target", "drop-before", "drop-after");
  });
}

function aimCard(el, y) {
  const cell = el.closest("td.cell");
  if (!cell) return;
  const cards = [...cell.querySelectorAll(":scope > .bp-card")].filter((c) => c !== drag.source);
  const before = cards.find((c) => {
    const r = c.getBoundingClientRect();
    return y < r.top + r.height / 2;
  });
  const marker = document.createElement("div");
  marker.className = "drop-marker";
  marker.setAttribute("aria-hidden", "true");
  if (before) before.before(marker);
  else (cell.querySelector(":scope > .cell-add, :scope > .empty-note") || cell.lastChild).before(marker);
  cell.classList.add("is-drop-target");
  drag.target = { stage: cell.dataset.stage, lane: cell.dataset.lane, before: before ? before.dataset.elementId : "" };
}

function aimStage(el, x) {
  const head = el.closest("th.stage-head[data-stage-id]");
  if (!head || head === drag.source) return;
  const r = head.getBoundingClientRect();
  const left = x < r.left + r.width / 2;
  let before = left ? head : head.nextElementSibling;
  if (before && !before.matches("th.stage-head")) before = null;
  if (before === drag.source) before = drag.source.nextElementSibling;
  head.classList.add(left ? "drop-before" : "drop-after");
  drag.target = { before: before && before.matches("th.stage-head") ? before.dataset.stageId : "" };
}

function aimLink(el) {
  const chip = el.closest(".dep[data-id]");
  const card = el.closest(".bp-card[data-element-id], .bp-catalog[data-element-id]");
  const id = chip ? chip.dataset.id : card && card.dataset.elementId;
  if (!id || (card === drag.source && !chip) || id === drag.source.dataset.elementId) return;
  (chip || card).classList.add("is-drop-target");
  drag.target = { id };
}

function finish(drop) {
  const { kind, source, target } = drag;
  clearMarks();
  if (drag.ghost) drag.ghost.remove();
  if (drag.line) drag.line.svg.remove();
  source.classList.remove("is-dragged");
  document.body.classList.remove("is-board-dragging");
  drag = null;
  swallowClick = true;
  window.setTimeout(() => { swallowClick = false; }, 0);
  if (!drop || !target) {
    announce("Nothing changed.");
    return;
  }
  const data = new FormData();
  if (kind === "card") {
    data.append("stage_id", target.stage);
    data.append("kind", target.lane);
    data.append("before_id", target.before);
    data.append("version", source.dataset.version);
    send(url("placeUrl", source.dataset.elementId), data, { card: source.dataset.elementId });
  } else if (kind === "stage") {
    data.append("before_id", target.before);
    data.append("version", source.dataset.version);
    send(url("stagePlaceUrl", source.dataset.stageId), data);
  } else {
    data.append("target_id", target.id);
    const id = source.dataset.elementId;
    send(url("linksUrl", id), data, { key: `link-${id}` });
  }
}
