// The side panel: a card's Edit opens its title and marks beside the board (the full form
// stays one link away, and is where Edit goes without this script); its Link opens its links
// and the search that adds one. Escape or Close shuts the panel and the focus goes back to
// the card. A card's Delete deletes at once, with Undo in the notice.

import { fetchPart, focusOn, live, send, upgrade, url } from "./board-live.js";

const panel = document.getElementById("board-panel");
const body = document.getElementById("board-panel-body");
let opener = null; // where the focus goes back to: {key}
let source = null; // where the panel's content came from, to draw it again

function fill(html) {
  body.innerHTML = html;
  upgrade(body);
}

export function openPanel(html, back, from) {
  fill(html);
  panel.hidden = false;
  opener = back;
  source = from;
  const first = body.querySelector("[data-autofocus]") || body.querySelector("input:not([type=hidden]), select, textarea");
  (first || panel).focus();
  document.dispatchEvent(new CustomEvent("board:panel", { detail: { body } }));
}

export function closePanel() {
  if (panel.hidden) return;
  panel.hidden = true;
  body.replaceChildren();
  if (opener) focusOn(opener);
  opener = null;
  source = null;
}

export function panelCard() {
  const form = body.querySelector("[data-card]");
  return form ? form.dataset.card : null;
}

document.addEventListener("click", async (event) => {
  const edit = event.target.closest("a[data-panel]");
  if (edit && live.contains(edit)) {
    event.preventDefault();
    const html = await fetchPart(edit.dataset.panel);
    if (html !== null) openPanel(html, { key: edit.dataset.focusKey }, edit.dataset.panel);
    return;
  }
  const link = event.target.closest("button[data-link]");
  if (link && live.contains(link) && !link.dataset.dragged) {
    const card = link.closest(".bp-card");
    const from = url("linksUrl", card.dataset.elementId);
    const html = await fetchPart(from);
    if (html !== null) openPanel(html, { key: link.dataset.focusKey }, from);
    return;
  }
  const remove = event.target.closest("a[data-board-delete]");
  if (remove && live.contains(remove)) {
    event.preventDefault();
    const card = remove.closest(".bp-card");
    const data = new FormData();
    data.append("version", card.dataset.version);
    const cell = card.closest("td");
    const next = { key: `add-${card.dataset.stage}-${card.dataset.kind}`, fallback: { id: "board-live" } };
    if (cell && cell.matches(".cell")) next.key = `add-${cell.dataset.stage}-${cell.dataset.lane}`;
    if (String(panelCard()) === card.dataset.elementId) closePanel();
    send(remove.dataset.boardDelete, data, next);
    return;
  }
  if (event.target.closest("[data-panel-close]")) closePanel();
});

panel.addEventListener("keydown", (event) => {
  if (event.key === "Escape" && !event.defaultPrevented) {
    event.preventDefault();
    closePanel();
  }
});

// A link's kind is saved as soon as it is chosen.
panel.addEventListener("change", (event) => {
  const select = event.target.closest("select[data-autosubmit]");
  if (select) select.form.requestSubmit();
});

// After a change made elsewhere (Undo, a drag), the open panel is drawn again, unless its
// own card is gone (then there is nothing left to edit).
document.addEventListener("board:updated", async (event) => {
  if (panel.hidden) return;
  const card = panelCard();
  if (card && !document.getElementById(`el-${card}`)) {
    closePanel();
    return;
  }
  if (event.detail.doc.getElementById("board-panel-body") || !source) return;
  const html = await fetchPart(source);
  if (html !== null && !panel.hidden) {
    const focused = panel.contains(document.activeElement) && document.activeElement.id;
    fill(html);
    if (focused) focusOn({ id: focused });
    document.dispatchEvent(new CustomEvent("board:panel", { detail: { body } }));
  }
});
