// Quick add: a cell's "Add a step to <lane> in <stage>" opens a title field in the cell;
// Enter saves the step and leaves a fresh field open in the same cell for the next one;
// Escape closes it. "Add a stage" at the end of the stage header row does the same for
// stages. The fields come from templates in the page (board.html) and post like any
// board form (board-live.js), so the board is redrawn and the field opened again.

import { live } from "./board-live.js";

let open = null; // {kind: "step"|"stage", stage, lane, value, focused}

function cellOf(stage, lane) {
  return live.querySelector(`td.cell[data-stage="${stage}"][data-lane="${lane}"]`);
}

function place(spec, focus) {
  const template = document.getElementById(spec.kind === "step" ? "quick-step-template" : "quick-stage-template");
  let button;
  if (spec.kind === "step") {
    const cell = cellOf(spec.stage, spec.lane);
    button = cell && cell.querySelector("[data-quick-add]");
  } else {
    button = live.querySelector("[data-quick-stage]");
  }
  if (!button) { open = null; return; }
  const form = template.content.firstElementChild.cloneNode(true);
  if (spec.kind === "step") {
    form.elements.stage_id.value = spec.stage;
    form.elements.kind.value = spec.lane;
  }
  const field = form.querySelector("input:not([type=hidden])");
  field.value = spec.value || "";
  button.hidden = true;
  button.after(form);
  open = spec;
  if (focus) field.focus();
}

function close(focusButton) {
  const form = live.querySelector("form[data-quick-form]");
  if (!form) { open = null; return; }
  const button = form.previousElementSibling;
  form.remove();
  open = null;
  if (button) {
    button.hidden = false;
    if (focusButton) button.focus();
  }
}

document.addEventListener("click", (event) => {
  const step = event.target.closest("[data-quick-add]");
  const stage = event.target.closest("[data-quick-stage]");
  if (!step && !stage) return;
  close(false);
  if (step) {
    const cell = step.closest("td.cell");
    place({ kind: "step", stage: cell.dataset.stage, lane: cell.dataset.lane }, true);
  } else {
    place({ kind: "stage" }, true);
  }
});

document.addEventListener("keydown", (event) => {
  const form = event.target.closest && event.target.closest("form[data-quick-form]");
  if (!form) return;
  if (event.key === "Escape") {
    event.preventDefault();
    close(true);
  }
});

// An empty title is not sent (Enter on an empty field closes it instead).
document.addEventListener("submit", (event) => {
  const form = event.target;
  if (!form.matches("form[data-quick-form]")) return;
  const field = form.querySelector("input:not([type=hidden])");
  if (!field.value.trim()) {
    event.preventDefault();
    event.stopImmediatePropagation();
    close(true);
  }
}, true);

document.addEventListener("input", (event) => {
  if (open && event.target.closest("form[data-quick-form]")) open.value = event.target.value;
});

// Before a redraw: was the field focused, and is it its own title being sent? A title
// being sent leaves the field at once, so the next can be typed while it is saved.
document.addEventListener("board:before", (event) => {
  if (!open) return;
  const active = document.activeElement;
  open.focused = Boolean(active && active.closest && active.closest("form[data-quick-form]"));
  const form = event.detail.form;
  if (form && form.matches("form[data-quick-form]")) {
    const field = form.querySelector("input:not([type=hidden])");
    open.sent = field.value;
    field.value = "";
    open.value = "";
  } else {
    open.sent = undefined;
  }
});

// After every redraw the field is open again where it was, with what is typed in it; a
// title that was refused comes back into it (unless something else was typed since).
document.addEventListener("board:updated", (event) => {
  if (!open) return;
  const spec = open;
  const refused = spec.sent !== undefined && !event.detail.ok;
  const value = refused && !spec.value ? spec.sent : spec.value;
  place({ kind: spec.kind, stage: spec.stage, lane: spec.lane, value }, spec.focused);
});
