// The keyboard on the board. A card's Move control picks its new cell with the arrow keys
// (← → the stage, ↑ ↓ the lane), Enter (or Space) puts the card at the end of that cell,
// Escape leaves it where it is; while choosing, a click on a cell does the same. Ctrl+Z
// (⌘Z) undoes one's latest change on the board, unless the focus is in a field with text
// in it, where it undoes the typing as usual.

import { announce, live, send, url } from "./board-live.js";

const LANES = ["physical_evidence", "customer_action", "frontstage", "backstage", "support"];
let moving = null;

function stageIds() {
  return [...live.querySelectorAll("th.stage-head[data-stage-id]")].map((th) => th.dataset.stageId);
}

function cellAt(stage, lane) {
  return live.querySelector(`td.cell[data-stage="${stage}"][data-lane="${lane}"]`);
}

function target() {
  return cellAt(stageIds()[moving.stage], LANES[moving.lane]);
}

function mark() {
  live.querySelectorAll(".is-move-target").forEach((el) => el.classList.remove("is-move-target"));
  const cell = target();
  if (cell) {
    cell.classList.add("is-move-target");
    cell.scrollIntoView({ block: "nearest", inline: "nearest" });
  }
  return cell;
}

function start(button) {
  const card = button.closest(".bp-card");
  moving = {
    id: card.dataset.elementId,
    title: card.dataset.title,
    version: card.dataset.version,
    stage: Math.max(0, stageIds().indexOf(card.dataset.stage)),
    lane: Math.max(0, LANES.indexOf(card.dataset.kind)),
    from: `${card.dataset.stage}:${card.dataset.kind}`,
  };
  card.classList.add("is-moving");
  button.setAttribute("aria-pressed", "true");
  const cell = mark();
  announce(
    `Moving “${moving.title}”. Arrow keys choose the cell, now ${cell ? cell.dataset.cellLabel : ""}.`
      + " Enter puts it at the end of that cell, Escape leaves it where it is.",
  );
}

function stop() {
  live.querySelectorAll(".is-move-target").forEach((el) => el.classList.remove("is-move-target"));
  live.querySelectorAll(".bp-card.is-moving").forEach((el) => el.classList.remove("is-moving"));
  live.querySelectorAll("[data-move][aria-pressed]").forEach((el) => el.removeAttribute("aria-pressed"));
  moving = null;
}

function commit(cell) {
  const spec = moving;
  stop();
  if (!cell) return;
  if (`${cell.dataset.stage}:${cell.dataset.lane}` === spec.from) {
    announce(`“${spec.title}” stays where it is.`);
    return;
  }
  const data = new FormData();
  data.append("stage_id", cell.dataset.stage);
  data.append("kind", cell.dataset.lane);
  data.append("before_id", "");
  data.append("version", spec.version);
  send(url("placeUrl", spec.id), data, { key: `move-${spec.id}`, fallback: { card: spec.id } });
}

document.addEventListener("click", (event) => {
  const button = event.target.closest("button[data-move]");
  if (button && live.contains(button)) {
    if (moving) stop();
    else start(button);
  }
});

document.addEventListener("pointerdown", (event) => {
  if (!moving) return;
  const cell = event.target.closest("td.cell");
  if (cell && live.contains(cell) && !event.target.closest("button[data-move]")) {
    event.preventDefault();
    commit(cell);
  }
}, true);

const STEPS = {
  ArrowLeft: ["stage", -1], ArrowRight: ["stage", 1], ArrowUp: ["lane", -1], ArrowDown: ["lane", 1],
};

document.addEventListener("keydown", (event) => {
  if (!moving) return;
  if (event.key in STEPS) {
    const [axis, step] = STEPS[event.key];
    const size = axis === "stage" ? stageIds().length : LANES.length;
    moving[axis] = Math.max(0, Math.min(size - 1, moving[axis] + step));
    const cell = mark();
    if (cell) announce(cell.dataset.cellLabel);
  } else if (event.key === "Enter" || event.key === " ") {
    commit(target());
  } else if (event.key === "Escape" || event.key === "Tab") {
    const title = moving.title;
    stop();
    announce(`“${title}” stays where it is.`);
    if (event.key === "Tab") return;
  } else {
    return;
  }
  event.preventDefault();
  event.stopPropagation();
}, true);

// A redraw ends the choosing (the card may be elsewhere now).
document.addEventListener("board:updated", () => { if (moving) stop(); });

function typing(el) {
  return el && el.matches && el.matches("input:not([type=hidden]), textarea, [contenteditable]") && el.value;
}

document.addEventListener("keydown", (event) => {
  if (!(event.ctrlKey || event.metaKey) || event.shiftKey || event.altKey) return;
  if (event.key.toLowerCase() !== "z") return;
  const active = document.activeElement;
  if (typing(active)) return;
  if (active && active !== document.body && !active.closest("#main")) return;
  event.preventDefault();
  send(live.dataset.undoUrl, new FormData());
});
