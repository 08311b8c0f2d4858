// The board's live part, for editors: every change made on the board is posted without
// loading the page, and the server answers with the board as it draws it after the change
// (cards, the lines' routes, the emotion curve), the notice with Undo, and the side panel
// when one is open (blueprint/routes/board_answer.py); this module swaps them in, keeps the
// focus where the user was, and says "the board changed since you opened it" when someone
// else changed it (a cheap stamp, asked every 20 seconds and when the window comes back).
// Requests go one at a time, so each carries the versions the board was last drawn at.

export const live = document.getElementById("board-live");
const HEADERS = { "X-Rootline-Board": "1" };
let queue = Promise.resolve();

// "/elements/0/place" with the row's id instead of 0
export function url(name, id) {
  return live.dataset[name].replace("/0/", `/${id}/`);
}

export function announce(text) {
  const region = document.getElementById("board-announce");
  if (!region) return;
  region.textContent = "";
  window.setTimeout(() => { region.textContent = text; }, 30);
}

// Controls that only work with this script are hidden until it runs; the plain links and
// forms they replace are hidden once it does.
export function upgrade(scope) {
  scope.querySelectorAll("[data-js][hidden]").forEach((el) => { el.hidden = false; });
  scope.querySelectorAll("[data-nojs]").forEach((el) => el.remove());
}

// What identifies the focused control across a redraw: its focus key, its id, its card.
function focusKey(el) {
  if (!el || el === document.body) return null;
  const inPanel = el.closest && el.closest("#board-panel");
  const fallback = inPanel ? { panel: true } : null;
  if (el.dataset && el.dataset.focusKey) return { key: el.dataset.focusKey, fallback };
  if (el.id) return { id: el.id, fallback };
  const card = el.closest && el.closest(".bp-card");
  return card ? { card: card.dataset.elementId } : fallback;
}

export function focusOn(where) {
  if (!where) return false;
  let el = null;
  if (where.key) el = document.querySelector(`[data-focus-key="${CSS.escape(where.key)}"]`);
  if (!el && where.id) el = document.getElementById(where.id);
  if (!el && where.card) el = document.getElementById(`el-${where.card}`);
  if (!el && where.panel) {
    const panel = document.getElementById("board-panel");
    el = panel.hidden ? null : panel.querySelector("[data-autofocus]") || panel;
  }
  if (!el && where.fallback) return focusOn(where.fallback);
  if (!el || el.hidden) return false;
  el.focus({ preventScroll: false });
  return document.activeElement === el;
}

function showError(message) {
  const notice = document.getElementById("board-notice");
  if (!notice) return;
  const box = document.createElement("div");
  box.className = "alert alert-warning py-2 mb-2";
  box.textContent = message;
  notice.replaceChildren(box);
}

function swap(doc) {
  // the print's sheets too: the drawing they show is the board after the change
  for (const id of ["board-live", "board-notice", "board-panel-body", "board-print"]) {
    const incoming = doc.getElementById(id);
    const here = document.getElementById(id);
    if (!incoming || !here) continue;
    here.replaceChildren(...Array.from(incoming.childNodes).map((n) => document.adoptNode(n)));
    Object.entries(incoming.dataset).forEach(([k, v]) => { here.dataset[k] = v; });
  }
  upgrade(live);
  document.getElementById("board-changed").hidden = true;
}

async function take(response, focus) {
  const text = await response.text();
  const doc = new DOMParser().parseFromString(text, "text/html");
  if (!doc.getElementById("board-live")) { // an error page: 400, 403, 404, 500
    const lead = doc.querySelector("main .lead");
    showError(lead ? lead.textContent : `Not saved (the server answered ${response.status}).`);
    return { ok: false, status: response.status, doc };
  }
  swap(doc);
  focusOn(focus);
  const result = { ok: response.ok, status: response.status, doc };
  document.dispatchEvent(new CustomEvent("board:updated", { detail: result }));
  return result;
}

function run(job) {
  const next = queue.then(job, job);
  queue = next.catch(() => null);
  return next;
}

// Post `data` (FormData) to `action` and swap the answer in; `focus` says where the focus
// goes after (by default: where it was); `form`, the form it came from. Resolves to
// {ok, status, doc}. Modules keep what a redraw would lose on "board:before".
export function send(action, data, focus, form) {
  const where = focus || focusKey(document.activeElement);
  document.dispatchEvent(new CustomEvent("board:before", { detail: { form: form || null } }));
  if (!data.has("csrf_token")) data.append("csrf_token", live.dataset.token);
  return run(async () => {
    try {
      const response = await fetch(action, {
        method: "POST", body: data, headers: HEADERS, credentials: "same-origin",
      });
      return await take(response, where);
    } catch (error) {
      showError("The server did not answer, so nothing was saved. Try again.");
      return { ok: false, status: 0, doc: null };
    }
  });
}

// A GET of a fragment the board's script asks for (a panel): its text, or null.
export function fetchPart(address) {
  return run(async () => {
    try {
      const response = await fetch(address, { headers: HEADERS, credentials: "same-origin" });
      if (!response.ok) {
        showError(`That could not be opened (the server answered ${response.status}).`);
        return null;
      }
      return await response.text();
    } catch (error) {
      showError("The server did not answer. Try again.");
      return null;
    }
  });
}

export function refresh() {
  const where = focusKey(document.activeElement);
  document.dispatchEvent(new CustomEvent("board:before", { detail: { form: null } }));
  return run(async () => {
    const response = await fetch(live.dataset.liveUrl, { headers: HEADERS, credentials: "same-origin" });
    return take(response, where);
  });
}

// Forms of the board (its ← → buttons, the quick add fields, the panel, Undo) are posted
// here instead of loading a page.
function scopeOf(form) {
  return live.contains(form) || form.closest("#board-notice, #board-panel");
}

document.addEventListener("submit", (event) => {
  const form = event.target;
  if (!form.matches("form[data-live]") || !scopeOf(form)) return;
  event.preventDefault();
  const data = new FormData(form);
  if (event.submitter && event.submitter.name) data.append(event.submitter.name, event.submitter.value);
  send(form.action, data, null, form);
});

// Someone else changed the board? (The answer to one's own change carries the new stamp;
// asking in the queue means never between one's own change and its answer.)
function checkStamp() {
  if (document.hidden) return;
  run(async () => {
    try {
      const response = await fetch(live.dataset.stampUrl, { credentials: "same-origin" });
      if (!response.ok) return;
      const { stamp } = await response.json();
      if (String(stamp) !== live.dataset.stamp) document.getElementById("board-changed").hidden = false;
    } catch (error) { /* offline for a moment: ask again later */ }
  });
}

window.setInterval(checkStamp, 20000);
window.addEventListener("focus", checkStamp);
document.addEventListener("click", (event) => {
  if (event.target.closest("[data-board-refresh]")) refresh();
});

upgrade(document);
