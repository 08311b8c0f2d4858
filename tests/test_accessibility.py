"""Every page, for people who use a keyboard, a screen reader or cannot tell colours apart:
a title of its own, one h1 and headings in order, a label for every field, images and
drawings with a text alternative, and badges that say what they mean in words or symbols.

The pages are every GET route of the app (the route matrix's ids, as the workspace owner),
so a new page is checked without being listed here. Visible focus is checked in a browser
(tests/browser).
"""

from __future__ import annotations

from html.parser import HTMLParser

from tests.helpers import every_route, fresh_ids, route_url

CONTROLS = {"input", "select", "textarea"}
NOT_FIELDS = {"hidden", "submit", "button", "reset", "image"}


class Page(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.title = ""
        self.headings: list[int] = []
        self.labels_for: set[str] = set()
        self.fields: list[dict] = []  # controls that need a label
        self.open_labels = 0
        self.images: list[dict] = []
        self.badges: list[list[str]] = []  # text collected inside each badge
        self._stack: list[str] = []
        self._in_title = False
        self._badge_depth: list[int] = []
        self._drawings: list[tuple[int, str | None, str]] = []  # open svgs: depth, role, class
        self.hidden_controls: list[str] = []  # links inside a drawing that is one image
        self.hidden_ids: set[str] = set()  # hidden inputs: a label for one is a stray word

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        if tag == "title" and not self._stack_has("svg"):
            self._in_title = True
        if tag in {"h1", "h2", "h3", "h4", "h5", "h6"}:
            self.headings.append(int(tag[1]))
        if tag == "label":
            self.open_labels += 1
            if a.get("for"):
                self.labels_for.add(a["for"])
        if tag == "input" and a.get("type") == "hidden" and a.get("id"):
            self.hidden_ids.add(a["id"])
        if tag in CONTROLS and a.get("type", "text") not in NOT_FIELDS:
            self.fields.append({**a, "_tag": tag, "_wrapped": self.open_labels > 0})
        if tag == "img" or (tag == "svg" and a.get("aria-hidden") != "true"):
            self.images.append({**a, "_tag": tag})
        if tag == "svg":
            self._drawings.append((len(self._stack), a.get("role"), a.get("class", "")))
        elif self._drawings and (tag == "a" and "href" in a or "tabindex" in a):
            depth, role, name = self._drawings[-1]
            if role == "img":  # an image's insides are hidden from a screen reader
                self.hidden_controls.append(name)
        if "badge" in a.get("class", "").split():
            self.badges.append([a.get("aria-label", ""), a.get("title", "")])
            self._badge_depth.append(len(self._stack))
        if tag not in {"input", "img", "br", "hr", "meta", "link", "col", "source", "area"}:
            self._stack.append(tag)

    def handle_endtag(self, tag):
        if tag == "title":
            self._in_title = False
        if tag == "label":
            self.open_labels = max(0, self.open_labels - 1)
        if tag in self._stack:
            while self._stack and self._stack.pop() != tag:
                pass
        while self._drawings and len(self._stack) <= self._drawings[-1][0]:
            self._drawings.pop()
        while self._badge_depth and len(self._stack) <= self._badge_depth[-1]:
            self._badge_depth.pop()

    def handle_data(self, data):
        if self._in_title:
            self.title += data
        if self._badge_depth:
            self.badges[-1].append(data)

    def _stack_has(self, tag):
        return tag in self._stack


def problems_on(html: str) -> list[str]:
    page = Page()
    page.feed(html)
    found = []
    title = " ".join(page.title.split())
    if not title or title.split(" · ")[0] == "Rootline":  # base.html's default
        found.append(f"no title of its own: {title!r}")
    if page.headings.count(1) != 1:
        found.append(f"{page.headings.count(1)} h1 headings")
    for before, after in zip(page.headings, page.headings[1:], strict=False):
        if after > before + 1:
            found.append(f"heading h{after} follows h{before}")
    for field in page.fields:
        named = (
            field["_wrapped"]
            or field.get("id", "\0") in page.labels_for
            or field.get("aria-label")
            or field.get("aria-labelledby")
        )
        if not named:
            found.append(f"unlabelled {field['_tag']} name={field.get('name')!r}")
    for stray in sorted(page.labels_for & page.hidden_ids):
        found.append(f"a visible label for the hidden field {stray!r}")
    for image in page.images:
        named = image.get("aria-label") or image.get("aria-labelledby")
        if image["_tag"] == "img" and "alt" not in image and not named:
            found.append(f"image without a text alternative: {image}")
        # a drawing is one named image, or a named group of parts a keyboard reaches
        if image["_tag"] == "svg" and not (image.get("role") in ("img", "group") and named):
            found.append(f"drawing neither named (role=img, aria-label) nor hidden: {image}")
    for drawing in page.hidden_controls:
        found.append(
            f"a link inside a drawing with role=img, hidden from screen readers: {drawing}"
        )
    for badge in page.badges:
        if not "".join(badge).strip():
            found.append("a badge with no text: colour alone would carry its meaning")
    return found


def test_every_page_is_titled_ordered_labelled_and_says_more_than_colour(
    app, client, world, login, bmap
):
    ids = fresh_ids(world, world.owner)
    login(world.owner)
    checked, failures = 0, {}
    for rule, method in every_route(app):
        if method != "GET" or rule.endpoint in {"static", "bootstrap.static", "healthz"}:
            continue
        response = client.get(route_url(app, rule, ids))
        if response.status_code != 200 or response.mimetype != "text/html":
            continue
        found = problems_on(response.get_data(as_text=True))
        if found:
            failures[rule.rule] = found
        checked += 1
    client.post("/logout")
    for url in ("/login",):  # the public pages, as a visitor sees them
        response = client.get(url)
        assert response.status_code == 200
        if found := problems_on(response.get_data(as_text=True)):
            failures[url] = found
    assert failures == {}
    assert checked >= 40  # the pages, not only the downloads


def test_the_checks_catch_what_they_look_for():
    bad = """<html><head><title>Rootline · Rootline</title></head><body>
    <h1>A</h1><h1>B</h1><h4>C</h4>
    <input name="q"><select name="s"></select><img src="x.png"><svg class="chart"></svg>
    <span class="badge text-bg-danger"></span>
    <svg class="map" role="img" aria-label="Map"><a href="/x"><text>X</text></a></svg>
    <label for="version">Version</label><input type="hidden" id="version" name="version">
    </body></html>"""
    found = problems_on(bad)
    assert "no title of its own: 'Rootline · Rootline'" in found
    assert "2 h1 headings" in found
    assert "heading h4 follows h1" in found
    assert "unlabelled input name='q'" in found and "unlabelled select name='s'" in found
    assert any(p.startswith("image without a text alternative") for p in found)
    assert any(p.startswith("drawing neither named") for p in found)
    assert "a badge with no text: colour alone would carry its meaning" in found
    assert "a link inside a drawing with role=img, hidden from screen readers: map" in found
    assert "a visible label for the hidden field 'version'" in found
    good = """<html><head><title>Board · Rootline</title></head><body><h1>A</h1><h2>B</h2>
    <label for="q">Search</label><input id="q" name="q"><label>S <select name="s"></select>
    </label><input type="hidden" name="t"><img src="x.png" alt="">
    <svg role="img" aria-label="A chart"></svg><svg aria-hidden="true"></svg>
    <span class="badge text-bg-danger">⚠ Fail point</span>
    <svg role="group" aria-label="Chart"><a href="/t/1" aria-label="1. T"><circle/></a></svg>
    </body></html>"""
    assert problems_on(good) == []
