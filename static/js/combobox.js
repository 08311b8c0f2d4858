/*
 * Type-ahead over the workspace's elements: steps of every blueprint, people and systems.
 * The WAI-ARIA 1.2 combobox pattern (an input with a listbox popup); no dependencies, no
 * inline script or style, so the Content-Security-Policy stays strict. Loaded on every page
 * (base.html). Results come from GET /search/elements (blueprint/routes/search.py): up to 20,
 * grouped by blueprint and lane.
 *
 * ---------------------------------------------------------------------------------------------
 * API: window.Rootline.combobox
 *
 *   const box = Rootline.combobox.attach(input, options)
 *
 *     input    an <input type="text"> that already has its accessible name (a <label for>,
 *              aria-label or aria-labelledby): it becomes role=combobox.
 *     options  (all optional)
 *       url          the search endpoint (default: input.dataset.searchUrl, else "/search/elements")
 *       params       {kinds: "person,system", exclude: "12,14"} or a function returning such an
 *                    object, read at each search: added to the query string beside q
 *       onPick(item) called when an element is picked (click, or Enter on the active option).
 *                    item: {id, title, kind, kind_label, blueprint_id, blueprint, stage, label}
 *       filter(item) return false to leave a result out (for example one already chosen)
 *       create       {kinds: [{kind: "person", label: "person or team"}, {kind: "system",
 *                    label: "system"}], onCreate(title, kind)}: when no result has the typed
 *                    title (ignoring case and accents), the list ends with one option per kind,
 *                    "Create person or team “<title>”"; picking it calls onCreate(title, kind)
 *                    (which may return a Promise; the combobox does not post anything itself)
 *       clearOnPick  empty the field after a pick (default false: the field shows the label)
 *       delay        debounce in ms between the last key and the search (default 150)
 *       minLength    characters typed before searching (default 0: ArrowDown on an empty
 *                    field lists the first elements by title)
 *       initial      an answer shaped like the endpoint's ({groups: [{label, options}]}) to
 *                    list for an empty field instead of searching (suggestions)
 *       texts        {no_match: "no_insight_match", none_yet: "no_insights_yet"}: the page's
 *                    words to say those two with, for a search over something else than
 *                    elements (an option's detail is item.detail, else item.stage)
 *
 *     box.search()    search now for the field's text and open the list
 *     box.open() / box.close()
 *     box.setText(text)  put text in the field without searching for it (a label, say)
 *     box.destroy()   remove the popup and listeners; the input is left as it was
 *     box.input, box.listbox   the elements
 *
 *   The task form's insight picker (templates/backlog/_insight_picker.html: boxes to tick,
 *   named like the field, and a Find box) becomes a type-ahead over GET /search/insights on
 *   DOMContentLoaded too: a pick ticks the insight's box, or adds a ticked one. The boxes are
 *   what is submitted, with JavaScript or without.
 *
 *   Rootline.combobox.enhancePickers(root = document)
 *     turns the forms' element pickers (templates/_picker.html: a <select> with the chosen
 *     elements and a Find box that works without JavaScript) into a combobox; runs on
 *     DOMContentLoaded. Single pickers show the chosen element's label in the field; multiple
 *     ones list the chosen elements, each with a Remove button. The <select> stays in the form
 *     (hidden) and is what is submitted, so the server reads the same field either way.
 *
 * Keyboard: type to search (debounced); ArrowDown / ArrowUp move through the options (and
 * open the list); Enter picks the active option; Escape closes the list, and a second Escape
 * empties the field; Tab leaves and closes. The first option is active as soon as results
 * arrive, so "type, Enter" picks the best match. A polite live region says how many were found.
 * ---------------------------------------------------------------------------------------------
 */
(function () {
  "use strict";
  window.Rootline = window.Rootline || {};
  if (window.Rootline.combobox) return; // loaded twice: keep the first

  let uid = 0;
  const nextId = (prefix) => prefix + "-" + (++uid);

  // The page's words for scripts (base.html: <script type="application/json" id="rootline-texts">,
  // in the reader's language): text("key", {name: value}) fills {name}; a plural entry holds
  // one form per CLDR category and is chosen with Intl.PluralRules for the page's language.
  let texts = null;
  function text(key, values, count) {
    if (texts === null) {
      const node = document.getElementById("rootline-texts");
      try {
        texts = node ? JSON.parse(node.textContent) : {};
      } catch (error) {
        texts = {};
      }
    }
    let found = texts[key];
    if (found && typeof found === "object") {
      const lang = document.documentElement.lang || "en";
      const rule = new Intl.PluralRules(lang).select(count);
      found = found[rule] || found.other || found.many;
    }
    if (typeof found !== "string") found = ENGLISH[key];
    if (typeof found === "object") found = count === 1 ? found.one : found.other;
    const all = Object.assign({ n: count }, values || {});
    return found.replace(/\{(\w+)\}/g, (whole, name) => (name in all ? String(all[name]) : whole));
  }
  // what a page without the texts (or an older one) shows
  const ENGLISH = {
    elements: "Elements",
    create: "Create",
    create_kind: "Create {kind} “{title}”",
    no_match: "No element matches “{query}”.",
    none_yet: "No elements yet.",
    no_insight_match: "No insight matches “{query}”.",
    no_insights_yet: "No insights yet.",
    first_matches: { one: "The first {n} matches; type more to narrow them.", other: "The first {n} matches; type more to narrow them." },
    matches: { one: "{n} match.", other: "{n} matches." },
    search_failed: "The search did not answer. Are you still logged in? Try again.",
    suggested: "Suggested: {group}",
    chosen: "Chosen",
    chosen_list: "{label}: chosen",
    remove: "Remove",
    remove_label: "Remove {label}",
  };

  // the same folding as blueprint/folding.py, near enough to compare a typed title
  function fold(text) {
    return (text || "")
      .normalize("NFKD")
      .replace(/[\u0300-\u036f]/g, "")
      .toLowerCase()
      .replace(/\s+/g, " ")
      .trim();
  }

  function el(tag, attrs, text) {
    const node = document.createElement(tag);
    Object.entries(attrs || {}).forEach(([k, v]) => {
      if (v !== null && v !== undefined && v !== false) node.setAttribute(k, v === true ? "" : v);
    });
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function nameOf(input) {
    if (input.getAttribute("aria-label")) return input.getAttribute("aria-label");
    const by = input.getAttribute("aria-labelledby");
    if (by) return by.split(" ").map((id) => (document.getElementById(id) || {}).textContent || "").join(" ").trim();
    if (input.labels && input.labels.length) return input.labels[0].textContent.trim();
    return text("elements");
  }

  function attach(input, options) {
    const opts = Object.assign({ delay: 150, minLength: 0, clearOnPick: false }, options || {});
    const url = opts.url || input.dataset.searchUrl || "/search/elements";
    const wrap = el("div", { class: "combobox" });
    input.parentNode.insertBefore(wrap, input);
    wrap.appendChild(input);
    const popup = el("div", { class: "combobox-popup", hidden: true });
    const listbox = el("div", { role: "listbox", id: nextId("combobox-list"), class: "combobox-listbox" });
    listbox.setAttribute("aria-label", nameOf(input) + ": suggestions");
    const note = el("div", { class: "combobox-note" });
    const status = el("div", { class: "visually-hidden", role: "status", "aria-live": "polite" });
    popup.append(listbox, note);
    wrap.append(popup, status);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listbox.id);
    input.setAttribute("autocomplete", "off");
    input.setAttribute("spellcheck", "false");

    let items = []; // [{item, node}] in the order shown
    let active = -1;
    let timer = null;
    let sequence = 0;
    let controller = null;
    let lastQuery = input.value; // the text the list was drawn for (or a pick left)
    let pickFirst = false; // Enter came before the results: pick the first when they arrive

    function isOpen() {
      return !popup.hidden;
    }

    function open() {
      if (!isOpen()) {
        popup.hidden = false;
        input.setAttribute("aria-expanded", "true");
      }
    }

    function close() {
      popup.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
      items.forEach(({ node }) => node.setAttribute("aria-selected", "false"));
    }

    function activate(index) {
      if (!items.length) return;
      active = (index + items.length) % items.length;
      items.forEach(({ node }, i) => {
        node.setAttribute("aria-selected", i === active ? "true" : "false");
        node.classList.toggle("is-active", i === active);
      });
      const node = items[active].node;
      input.setAttribute("aria-activedescendant", node.id);
      node.scrollIntoView({ block: "nearest" });
    }

    function option(item, text, detail) {
      const node = el("div", { role: "option", id: nextId("combobox-option"), class: "combobox-option", "aria-selected": "false" });
      node.append(el("span", { class: "combobox-title" }, text));
      if (detail) {
        node.append(el("span", { class: "combobox-detail" }, detail));
        node.setAttribute("aria-label", text + ", " + detail); // read as "Signup form, Sign up"
      }
      const index = items.length;
      node.addEventListener("mousedown", (event) => event.preventDefault()); // keep focus in the field
      node.addEventListener("click", () => pick(index));
      items.push({ item, node });
      return node;
    }

    function group(label) {
      const head = el("div", { role: "presentation", id: nextId("combobox-group"), class: "combobox-group" }, label);
      const box = el("div", { role: "group", "aria-labelledby": head.id });
      box.append(head);
      listbox.append(box);
      return box;
    }

    function render(answer, typed) {
      listbox.replaceChildren();
      items = [];
      active = -1;
      const keep = opts.filter || (() => true);
      let shown = 0;
      let exact = false;
      (answer.groups || []).forEach((g) => {
        const options = g.options.filter(keep);
        if (!options.length) return;
        const box = group(g.label);
        options.forEach((item) => {
          box.append(option(item, item.title, item.detail || item.stage || ""));
          shown += 1;
          if (fold(item.title) === fold(typed)) exact = true;
        });
      });
      const title = typed.trim();
      if (opts.create && title && !exact) {
        const box = group(text("create"));
        (opts.create.kinds || []).forEach(({ kind, label }) => {
          box.append(option({ create: true, kind, title }, text("create_kind", { kind: label, title })));
        });
      }
      let message;
      const words = opts.texts || {};
      if (!shown) message = title ? text(words.no_match || "no_match", { query: title }) : text(words.none_yet || "none_yet");
      else if (answer.more) message = text("first_matches", {}, shown);
      else message = text("matches", {}, shown);
      note.textContent = message;
      status.textContent = message;
      open();
      if (items.length) activate(0);
      if (pickFirst && items.length && !items[0].item.create) pick(0);
      pickFirst = false;
    }

    function failed() {
      pickFirst = false;
      listbox.replaceChildren();
      items = [];
      note.textContent = text("search_failed");
      status.textContent = note.textContent;
      open();
    }

    function search() {
      clearTimeout(timer);
      const typed = input.value;
      if (typed.trim().length < opts.minLength) {
        close();
        return;
      }
      const params = typeof opts.params === "function" ? opts.params() : opts.params || {};
      const query = new URL(url, window.location.href);
      query.searchParams.set("q", typed.trim());
      Object.entries(params).forEach(([k, v]) => {
        if (v !== null && v !== undefined && v !== "") query.searchParams.set(k, Array.isArray(v) ? v.join(",") : v);
      });
      if (!typed.trim() && opts.initial && opts.initial.groups.length) {
        sequence += 1; // an answer still on its way is no longer wanted
        lastQuery = typed;
        render(opts.initial, typed);
        return;
      }
      const mine = ++sequence;
      if (controller) controller.abort();
      controller = typeof AbortController === "function" ? new AbortController() : null;
      lastQuery = typed;
      fetch(query, {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
        signal: controller ? controller.signal : undefined,
      })
        .then((response) => {
          const json = (response.headers.get("Content-Type") || "").includes("application/json");
          if (!response.ok || !json) throw new Error("search " + response.status);
          return response.json();
        })
        .then((answer) => {
          if (mine === sequence) render(answer, typed);
        })
        .catch((error) => {
          if (error.name !== "AbortError" && mine === sequence) failed();
        });
    }

    function later() {
      clearTimeout(timer);
      timer = setTimeout(search, opts.delay);
    }

    function pick(index) {
      const chosen = items[index];
      if (!chosen) return;
      const { item } = chosen;
      close();
      if (item.create) {
        if (opts.create && opts.create.onCreate) Promise.resolve(opts.create.onCreate(item.title, item.kind));
      } else if (opts.onPick) {
        opts.onPick(item);
      }
      if (opts.clearOnPick) input.value = "";
      lastQuery = input.value;
    }

    function onKeydown(event) {
      if (event.isComposing) return;
      switch (event.key) {
        case "ArrowDown":
          event.preventDefault();
          if (!isOpen() || lastQuery !== input.value) search();
          else if (event.altKey) open();
          else activate(active + 1);
          break;
        case "ArrowUp":
          event.preventDefault();
          if (!isOpen()) search();
          else activate(active - 1);
          break;
        case "Enter":
          if (lastQuery !== input.value && input.value.trim()) {
            // typed on since the list was drawn (or before it came): the first match of
            // what is typed now, as soon as it is known
            event.preventDefault();
            pickFirst = true;
            search();
          } else if (isOpen() && active >= 0) {
            event.preventDefault();
            pick(active);
          }
          break;
        case "Escape":
          if (isOpen()) {
            event.preventDefault();
            event.stopPropagation();
            close();
          } else if (input.value) {
            event.preventDefault();
            event.stopPropagation();
            input.value = "";
            lastQuery = null;
            input.dispatchEvent(new Event("input", { bubbles: true }));
          }
          break;
        case "Tab":
          close();
          break;
        default:
      }
    }

    function onInput() {
      if (input.value.trim()) later();
      else {
        clearTimeout(timer); // an emptied field lists nothing until asked (ArrowDown)
        sequence += 1;
        close();
      }
    }

    function onFocusout(event) {
      if (!wrap.contains(event.relatedTarget)) close();
    }

    input.addEventListener("keydown", onKeydown);
    input.addEventListener("input", onInput);
    wrap.addEventListener("focusout", onFocusout);

    return {
      input,
      listbox,
      search,
      open,
      close,
      setText(text) {
        input.value = text;
        lastQuery = text;
      },
      destroy() {
        clearTimeout(timer);
        if (controller) controller.abort();
        input.removeEventListener("keydown", onKeydown);
        input.removeEventListener("input", onInput);
        wrap.removeEventListener("focusout", onFocusout);
        ["role", "aria-autocomplete", "aria-expanded", "aria-controls", "aria-activedescendant"].forEach((a) => input.removeAttribute(a));
        wrap.parentNode.insertBefore(input, wrap);
        wrap.remove();
      },
    };
  }

  // --- the forms' pickers (templates/_picker.html) ------------------------------------------

  function enhancePicker(root) {
    if (root.dataset.enhanced) return;
    root.dataset.enhanced = "1";
    const select = root.querySelector("select");
    const input = root.querySelector("[data-picker-query]");
    const label = root.querySelector("label[for='" + select.id + "']");
    const multiple = select.multiple;
    root.querySelectorAll("[data-picker-nojs]").forEach((node) => node.remove());
    const form = select.form;
    if (form) form.querySelectorAll("[data-default-submit]").forEach((node) => node.remove()); // no Find buttons left
    select.hidden = true;
    input.removeAttribute("name"); // the select is what the form submits
    input.removeAttribute("aria-label");
    input.type = "text";
    input.value = "";
    if (label) label.htmlFor = input.id;
    if (select.getAttribute("aria-describedby")) input.setAttribute("aria-describedby", select.getAttribute("aria-describedby"));
    if (select.classList.contains("is-invalid")) input.classList.add("is-invalid");
    const exclude = root.dataset.exclude || "";
    const kinds = root.dataset.kinds || "";
    const chosenIds = () => Array.from(select.selectedOptions).map((o) => o.value).filter(Boolean);

    function suggestions() {
      // what the server offered besides the chosen one (a few likely elements), listed on
      // ArrowDown in an empty field
      const groups = [];
      Array.from(select.querySelectorAll("optgroup")).forEach((group) => {
        const options = Array.from(group.querySelectorAll("option"))
          .filter((o) => !o.defaultSelected && o.dataset.title)
          .map((o) => ({ id: Number(o.value), title: o.dataset.title, stage: o.dataset.stage, label: o.textContent }));
        if (options.length) groups.push({ label: text("suggested", { group: group.label }), options });
      });
      return { groups, more: false };
    }

    function optionFor(item) {
      let node = Array.from(select.options).find((o) => o.value === String(item.id));
      if (!node) {
        node = new Option(item.label, item.id);
        select.append(node);
      }
      return node;
    }

    if (!multiple) {
      let blank = Array.from(select.options).find((o) => o.value === "");
      if (!Array.from(select.options).some((o) => o.defaultSelected)) {
        // nothing chosen yet: never let the browser submit the first option in its place
        if (!blank) select.prepend((blank = new Option("", "")));
        blank.selected = true;
      }
      const shown = () => (select.value && select.selectedOptions[0] ? select.selectedOptions[0].textContent : "");
      input.value = shown();
      if (blank) input.placeholder = blank.textContent;
      const box = attach(input, {
        url: root.dataset.searchUrl,
        params: () => ({ kinds, exclude }),
        initial: suggestions(),
        onPick(item) {
          optionFor(item).selected = true;
          box.setText(item.label);
          select.dispatchEvent(new Event("change", { bubbles: true }));
        },
      });
      input.addEventListener("blur", () => {
        if (!input.value.trim() && blank) {
          blank.selected = true;
          select.dispatchEvent(new Event("change", { bubbles: true }));
        }
        box.setText(shown()); // no half-typed text stays: the field says what is chosen
      });
      return box;
    }

    const list = el("ul", { class: "picker-chosen list-unstyled", "aria-label": text("chosen_list", { label: label ? label.textContent.trim() : text("chosen") }) });
    root.insertBefore(list, input.closest(".input-group") || input);

    function chip(node) {
      const li = el("li", { class: "picker-chip" });
      li.dataset.value = node.value;
      const button = el("button", { type: "button", class: "btn btn-sm btn-link picker-remove", "aria-label": text("remove_label", { label: node.textContent }) }, text("remove"));
      button.addEventListener("click", () => {
        const next = li.nextElementSibling || li.previousElementSibling;
        node.remove();
        li.remove();
        (next ? next.querySelector("button") : input).focus();
        select.dispatchEvent(new Event("change", { bubbles: true }));
      });
      li.append(el("span", { class: "picker-chip-label" }, node.textContent), button);
      list.append(li);
    }

    Array.from(select.options).forEach((node) => {
      if (node.selected) chip(node);
      else node.remove(); // offered by a search without JavaScript, not chosen
    });
    return attach(input, {
      url: root.dataset.searchUrl,
      params: () => ({ kinds, exclude: [exclude, ...chosenIds()].filter(Boolean).join(",") }),
      filter: (item) => !chosenIds().includes(String(item.id)),
      clearOnPick: true,
      onPick(item) {
        const node = optionFor(item);
        if (!node.selected) {
          node.selected = true;
          chip(node);
          select.dispatchEvent(new Event("change", { bubbles: true }));
        }
      },
    });
  }

  // --- the task form's insight picker (templates/backlog/_insight_picker.html) --------------

  function enhanceInsightPicker(root) {
    if (root.dataset.enhanced) return;
    root.dataset.enhanced = "1";
    const input = root.querySelector("[data-picker-query]");
    const chosen = root.querySelector("[data-picker-chosen]");
    const name = input.name.replace(/-q$/, "");
    root.querySelectorAll("[data-picker-nojs]").forEach((node) => node.remove());
    const form = input.form;
    if (form) form.querySelectorAll("[data-default-submit]").forEach((node) => node.remove()); // no Find buttons left
    input.removeAttribute("name"); // the boxes are what the form submits
    input.type = "text";
    input.value = "";
    const boxes = () => Array.from(root.querySelectorAll("input[type=checkbox]")).filter((b) => b.name === name);
    const ticked = () => boxes().filter((b) => b.checked).map((b) => b.value);

    function tick(item) {
      const existing = boxes().find((b) => b.value === String(item.id));
      if (existing) {
        existing.checked = true;
        existing.dispatchEvent(new Event("change", { bubbles: true }));
        return;
      }
      const id = input.id.replace(/-q$/, "") + "-picked-" + item.id;
      const row = el("div", { class: "form-check" });
      const box = el("input", { class: "form-check-input", type: "checkbox", name, value: item.id, id, checked: true });
      row.append(box, el("label", { class: "form-check-label", for: id }, item.label));
      chosen.append(row);
      const none = root.querySelector("[data-picker-none]");
      if (none) none.remove();
      box.dispatchEvent(new Event("change", { bubbles: true }));
    }

    return attach(input, {
      url: root.dataset.searchUrl,
      params: () => ({ exclude: ticked().join(",") }),
      filter: (item) => !ticked().includes(String(item.id)),
      clearOnPick: true,
      texts: { no_match: "no_insight_match", none_yet: "no_insights_yet" },
      onPick: tick,
    });
  }

  function enhancePickers(root) {
    (root || document).querySelectorAll("[data-element-picker]").forEach(enhancePicker);
    (root || document).querySelectorAll("[data-insight-picker]").forEach(enhanceInsightPicker);
  }

  window.Rootline.combobox = { attach, enhancePickers, fold };
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", () => enhancePickers(document));
  } else {
    enhancePickers(document);
  }
})();
