// A card's links in the side panel: the "Relies on" search (the house's combobox,
// static/js/combobox.js, over the workspace's steps, people and systems, grouped by
// blueprint and lane) links the card to what is picked; when nothing matches it offers to
// create the person or system. The server infers the kind (a person: performed by, a
// system: uses, a step: relies on), which the list below the search changes afterwards.
// After each link the panel is drawn again with the search empty and focused, for the next.

const combobox = () => window.Rootline && window.Rootline.combobox;

function attach(root) {
  const input = root.querySelector("input[data-link-search]");
  if (!input || input.dataset.attached || !combobox()) return;
  input.dataset.attached = "1";
  const focused = document.activeElement === input;
  const form = input.form;
  const send = (values) => {
    Object.entries(values).forEach(([name, value]) => { form.elements[name].value = value; });
    form.requestSubmit();
  };
  combobox().attach(input, {
    params: { exclude: input.dataset.exclude },
    clearOnPick: true,
    onPick: (item) => send({ target_id: item.id, new_title: "", new_kind: "" }),
    create: {
      kinds: [{ kind: "person", label: "person or team" }, { kind: "system", label: "system" }],
      onCreate: (title, kind) => send({ target_id: "", new_title: title, new_kind: kind }),
    },
  });
  if (focused) input.focus(); // attaching moved the field into the combobox's box
}

// Enter in the search before anything is picked does not post an empty link.
document.addEventListener("submit", (event) => {
  const form = event.target;
  if (!form.matches("form[data-link-form]")) return;
  if (!form.elements.target_id.value && !form.elements.new_title.value) {
    event.preventDefault();
    event.stopImmediatePropagation();
  }
}, true);

document.addEventListener("board:panel", (event) => attach(event.detail.body));
document.addEventListener("board:updated", () => {
  const body = document.getElementById("board-panel-body");
  if (body) attach(body);
});
