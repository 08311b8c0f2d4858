// Board connectors: every dependency between cards drawn as an SVG line behind the cards.
// Lines leave a card from its left edge into the cell's gutter, run along the boundaries
// between lanes, and enter the target card from its gutter, so they never cross a card.
// Each line has its own small offset so parallel lines stay apart on busy boards.
// Also: zoom to fit, and fitting the board to the page width when printing (A3 landscape).
(function () {
  "use strict";
  const wrap = document.querySelector(".board-wrap");
  const table = wrap && wrap.querySelector(".board");
  if (!table) return;
  const NS = "http://www.w3.org/2000/svg";
  let svg = null;

  // Positions as drawn (CSS zoom included), relative to the table's top left corner; the
  // SVG is not zoomed, so it uses them as they are.
  function box(el, origin) {
    const r = el.getBoundingClientRect();
    return {
      left: r.left - origin.left, right: r.right - origin.left,
      top: r.top - origin.top, bottom: r.bottom - origin.top,
    };
  }

  function currentZoom() {
    return parseFloat(table.style.zoom || "1") || 1;
  }

  function path(d, cls, source, target) {
    const p = document.createElementNS(NS, "path");
    p.setAttribute("d", d);
    p.setAttribute("class", cls);
    p.dataset.source = source;
    p.dataset.target = target;
    return p;
  }

  function draw() {
    if (svg) svg.remove();
    svg = document.createElementNS(NS, "svg");
    svg.setAttribute("class", "board-connectors");
    svg.setAttribute("aria-hidden", "true");
    const size = table.getBoundingClientRect();
    svg.setAttribute("width", Math.ceil(size.width));
    svg.setAttribute("height", Math.ceil(size.height));
    const defs = document.createElementNS(NS, "defs");
    const marker = document.createElementNS(NS, "marker");
    marker.setAttribute("id", "connector-arrow");
    marker.setAttribute("viewBox", "0 0 10 10");
    marker.setAttribute("refX", "9");
    marker.setAttribute("refY", "5");
    marker.setAttribute("markerWidth", "7");
    marker.setAttribute("markerHeight", "7");
    marker.setAttribute("orient", "auto-start-reverse");
    const tip = document.createElementNS(NS, "path");
    tip.setAttribute("d", "M0,0 L10,5 L0,10 z");
    tip.setAttribute("class", "connector-tip");
    marker.appendChild(tip);
    defs.appendChild(marker);
    svg.appendChild(defs);

    const origin = table.getBoundingClientRect();
    const cards = new Map();
    table.querySelectorAll(".bp-card").forEach((c) => cards.set(c.dataset.id, c));
    let n = 0;
    cards.forEach((card, id) => {
      (card.dataset.reliesOn || "").split(" ").filter(Boolean).forEach((targetId) => {
        const target = cards.get(targetId);
        if (!target) return;
        const s = box(card, origin), t = box(target, origin);
        const sCell = box(card.closest("td"), origin), tCell = box(target.closest("td"), origin);
        const sRow = box(card.closest("tr"), origin);
        const shift = (n++ % 6) * 1.5;
        const sy = (s.top + s.bottom) / 2, ty = (t.top + t.bottom) / 2;
        const sx = sCell.left + 3 + shift, tx = tCell.left + 3 + shift;
        // the boundary between lanes on the side of the target (below if same lane)
        const lane = t.top >= sRow.bottom - 1 || t.top >= s.top ? sRow.bottom - 2 - shift : sRow.top + 2 + shift;
        const d = sameCell(sCell, tCell)
          ? `M${s.left},${sy} H${sx} V${ty} H${t.left}`
          : `M${s.left},${sy} H${sx} V${lane} H${tx} V${ty} H${t.left}`;
        svg.appendChild(path(d, "connector", id, targetId));
      });
    });
    wrap.appendChild(svg);
  }

  function sameCell(a, b) {
    return Math.abs(a.left - b.left) < 1 && Math.abs(a.top - b.top) < 1;
  }

  // Highlight the lines of the card being traced (board.js marks the cards).
  table.addEventListener("mouseover", (event) => mark(event.target.closest(".bp-card")));
  table.addEventListener("focusin", (event) => mark(event.target.closest(".bp-card")));
  table.addEventListener("mouseleave", () => mark(null));
  function mark(card) {
    if (!svg) return;
    svg.classList.toggle("is-tracing", !!card);
    svg.querySelectorAll(".connector").forEach((p) => {
      const on = card && (p.dataset.source === card.dataset.id || p.dataset.target === card.dataset.id);
      p.classList.toggle("is-linked", !!on);
    });
  }

  function setZoom(z) {
    table.style.zoom = z === 1 ? "" : String(z);
    draw();
  }

  function fitZoom(width, height) {
    return Math.min(1, width / table.scrollWidth, height ? height / table.scrollHeight : 1);
  }

  const fit = document.querySelector("[data-board-fit]");
  if (fit) {
    fit.hidden = false;
    fit.addEventListener("click", () => {
      const fitted = fit.getAttribute("aria-pressed") === "true";
      if (fitted) {
        setZoom(1);
      } else {
        const top = wrap.getBoundingClientRect().top;
        setZoom(fitZoom(wrap.clientWidth - 2, window.innerHeight - Math.max(top, 0) - 16));
      }
      fit.setAttribute("aria-pressed", String(!fitted));
      fit.textContent = fitted ? "Zoom to fit" : "Actual size";
    });
  }

  let before = 1;
  window.addEventListener("beforeprint", () => {
    before = currentZoom();
    setZoom(fitZoom(1500)); // A3 landscape, 10 mm margins, at 96 px per inch
  });
  window.addEventListener("afterprint", () => setZoom(before));
  window.addEventListener("resize", draw);
  if (document.fonts && document.fonts.ready) document.fonts.ready.then(draw); else draw();
  draw();
})();
