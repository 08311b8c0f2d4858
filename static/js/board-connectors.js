// Board connectors: every dependency between cards drawn as an SVG line behind the cards.
// A line leaves a card from its left edge into its column's gutter, runs to the boundary
// below (or above) its lane, along it to the target's column and into the target from its
// gutter, so it never crosses a card. Routing is the same as the SVG download's
// (blueprint/board_routing.py, which chooses them and hands them over as JSON): every line
// gets its own track in a gutter or along a boundary wherever it would otherwise run along
// another, a line takes another gap rather than cross a step that spans stages, and gutters
// and boundaries are widened to hold their tracks, so a busy board stays readable.
// Also: zoom to fit. (Printing needs no script: board-print.css prints the server-drawn
// board instead, on one A3 landscape page or in tiles.)
// The page only draws: where each line goes is the server's, and when the board editor
// redraws the board after a change ("board:updated"), the lines are drawn again from the
// routes the server sent with it.
(function () {
  "use strict";
  let zoom = 1; // kept across redraws of the board
  let teardown = null;

  function setup() {
    if (teardown) teardown();
    teardown = null;
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
      const tipSize = String(7 * Math.max(currentZoom(), 0.5)); // arrows shrink with the board
      marker.setAttribute("markerWidth", tipSize);
      marker.setAttribute("markerHeight", tipSize);
      marker.setAttribute("orient", "auto-start-reverse");
      const tip = document.createElementNS(NS, "path");
      tip.setAttribute("d", "M0,0 L10,5 L0,10 z");
      tip.setAttribute("class", "connector-tip");
      marker.appendChild(tip);
      defs.appendChild(marker);
      svg.appendChild(defs);

      const origin = table.getBoundingClientRect();
      const z = currentZoom();
      routes.forEach((line) => {
        const s = box(line.source, origin), t = box(line.target, origin);
        const sCell = box(line.source.closest("td"), origin);
        const tCell = box(line.target.closest("td"), origin);
        // a spanning cell's left edge is its first column's, which is where its gutter is
        const sy = s.top + Math.min((s.bottom - s.top) / 2, 18 * z);
        const ty = t.top + Math.min((t.bottom - t.top) / 2, 18 * z);
        const sx = sCell.left + (3 + TRACK * line.sourceTrack) * z;
        let d;
        if (line.gap === null) {
          d = `M${s.left},${sy} H${sx} V${ty} H${t.left}`;
        } else {
          const tx = tCell.left + (3 + TRACK * line.targetTrack) * z;
          const gy = gapTop(line.gap, origin) + (4 + TRACK * line.gapTrack) * z;
          if (line.via === null) {
            d = `M${s.left},${sy} H${sx} V${gy} H${tx} V${ty} H${t.left}`;
          } else { // round a spanning step through another column's gutter
            const vx = columnLeft(line.via, origin) + (3 + TRACK * line.viaTrack) * z;
            const gy2 = gapTop(line.gap2, origin) + (4 + TRACK * line.gap2Track) * z;
            d = `M${s.left},${sy} H${sx} V${gy} H${vx} V${gy2} H${tx} V${ty} H${t.left}`;
          }
        }
        svg.appendChild(path(d, "connector", line.source.dataset.id, line.target.dataset.id));
      });
      wrap.appendChild(svg);
    }

    // -- routing: which gap and track each line takes comes from the server ---------------
    // (blueprint/board_routing.py, the SVG download's rules: one implementation), as JSON.
    const TRACK = 3; // px between tracks, before zoom
    const data = JSON.parse(document.getElementById("board-routes").textContent);
    const lanes = new Map(); // lane index -> its rows, top to bottom (spanning rows, then cells)
    table.querySelectorAll("tbody tr[data-lane-index]").forEach((row) => {
      const lane = Number(row.dataset.laneIndex);
      (lanes.get(lane) || lanes.set(lane, []).get(lane)).push(row);
    });
    const laneCount = lanes.size;
    const cards = new Map();
    table.querySelectorAll(".bp-card").forEach((card) => cards.set(card.dataset.id, card));
    const routes = data.lines
      .map((line) => ({ ...line, source: cards.get(String(line.source)), target: cards.get(String(line.target)) }))
      .filter((line) => line.source && line.target);
    const columnTracks = new Map(Object.entries(data.columnTracks).map(([k, v]) => [Number(k), v]));
    const gapTracks = new Map(Object.entries(data.gapTracks).map(([k, v]) => [Number(k), v]));

    // The column a cell starts in: spanning cells say so, the cells of a lane are in order.
    function column(cell) {
      if (cell.dataset.column !== undefined) return Number(cell.dataset.column);
      return [...cell.parentElement.querySelectorAll("td.cell")].indexOf(cell);
    }

    // Room for the tracks: a column's gutter is its cells' left padding, the boundary above a
    // lane is the bottom padding of the lane above (the top padding of the first lane).
    const BASE = 8;
    lanes.forEach((rows, lane) => {
      rows.forEach((row, n) => {
        row.querySelectorAll("td.cell, td.span-cell").forEach((cell) => {
          const left = 6 + TRACK * (columnTracks.get(column(cell)) || 0);
          if (left > BASE) cell.style.paddingLeft = left + "px";
          const below = 8 + TRACK * (gapTracks.get(lane + 1) || 0);
          if (n === rows.length - 1 && below > BASE) cell.style.paddingBottom = below + "px";
          const above = 8 + TRACK * (gapTracks.get(0) || 0);
          if (lane === 0 && n === 0 && above > BASE) cell.style.paddingTop = above + "px";
        });
      });
    });

    // Where a column starts: the left edge of its cell in the last row of the first lane.
    function columnLeft(col, origin) {
      const rows = lanes.get(0);
      return box(rows[rows.length - 1].querySelectorAll("td.cell")[col], origin).left;
    }

    function gapTop(gap, origin) {
      const z = currentZoom();
      if (gap === 0) return box(lanes.get(0)[0], origin).top;
      const rows = lanes.get(Math.min(gap, laneCount) - 1);
      const above = box(rows[rows.length - 1], origin);
      return above.bottom - (8 + TRACK * (gapTracks.get(gap) || 0)) * z;
    }

    // Highlight the lines of the card being traced (board.js marks the cards).
    table.addEventListener("mouseover", (event) => {
      const dragging = document.body.classList.contains("is-board-dragging"); // the editor's
      mark(dragging ? null : event.target.closest(".bp-card"));
    });
    table.addEventListener("focusin", (event) => mark(event.target.closest(".bp-card")));
    table.addEventListener("mouseleave", () => mark(null));
    const unmark = () => mark(null);
    document.addEventListener("board:drag", unmark);
    function mark(card) {
      if (!svg) return;
      svg.classList.toggle("is-tracing", !!card);
      svg.querySelectorAll(".connector").forEach((p) => {
        const on = card && (p.dataset.source === card.dataset.id || p.dataset.target === card.dataset.id);
        p.classList.toggle("is-linked", !!on);
      });
    }

    function setZoom(z) {
      zoom = z;
      table.style.zoom = z === 1 ? "" : String(z);
      draw();
    }

    function fitZoom(width, height) {
      return Math.min(1, width / table.scrollWidth, height ? height / table.scrollHeight : 1);
    }

    const fit = document.querySelector("[data-board-fit]");
    if (fit) {
      fit.hidden = false;
      if (zoom !== 1) {
        table.style.zoom = String(zoom);
        fit.setAttribute("aria-pressed", "true");
        fit.textContent = "Actual size";
      }
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

    window.addEventListener("resize", draw);
    if (document.fonts && document.fonts.ready) document.fonts.ready.then(draw); else draw();
    draw();
    teardown = () => {
      window.removeEventListener("resize", draw);
      document.removeEventListener("board:drag", unmark);
      if (svg) svg.remove();
    };
  }

  document.addEventListener("board:updated", setup);
  setup();
})();
