"""Update a blueprint from its own workbook: what would change. Pure: plain data in (the
blueprint as exported now, the workbook as read, the workspace's catalog), a plan out.

Rows are matched by the `id` they carry; a row without one is new. A stage or link row
without an id that equals an unmatched existing one (same name; same ends and kind) is that
one, so retyping a row loses nothing. A row compared with its blueprint row differs when any
column differs (texts compared with CR/LF and outer spaces normalised); a changed row whose
`version` is older than the database's is a conflict. A row of the blueprint missing from
the workbook is removed when the workbook's hidden *Exported rows* sheet lists it (a conflict
when it changed since), and kept when it was added in Rootline after the export. People and
systems are the workspace's catalog: matched by id, or by kind and name, created when new,
and never removed by a blueprint's workbook, nor are the links between them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from blueprint.kinds import CATALOG_KINDS, LANES, LinkKind
from blueprint.workbook.changes import Change, Plan, Ref
from blueprint.workbook.layout import BLUEPRINT_FIELDS, CATALOG_COLUMNS, BlueprintData, RowMeta
from workbooks.problems import Problem
from workbooks.words import ENGLISH, N_, Words

STAGES, ELEMENTS, CATALOG, LINKS = "Stages", "Elements", "People and systems", "Links"
LINK_PARTS = ("source", "target", "kind")
STAGE_COLUMNS = ("stage", "end_stage")  # step columns that name a stage
CATALOG_FIELDS = tuple(c for c in CATALOG_COLUMNS if c != "key")
CATALOG_KIND_VALUES = {k.value for k in CATALOG_KINDS}


def norm(value: Any) -> Any:
    """Texts as the comparison sees them: a spreadsheet's CR/LF and outer spaces are noise."""
    if isinstance(value, str):
        return value.replace("\r\n", "\n").replace("\r", "\n").strip()
    return value


def _differs(old: Mapping[str, Any], new: Mapping[str, Any], columns: Iterable[str]):
    return [(c, old.get(c), new.get(c)) for c in columns if norm(old.get(c)) != norm(new.get(c))]


NOT_OURS = {  # an id that is not a row of this blueprint's sheet
    STAGES: N_("%(id)s is not a stage of this blueprint; leave it blank for a new row"),
    ELEMENTS: N_("%(id)s is not a step of this blueprint; leave it blank for a new row"),
    LINKS: N_("%(id)s is not a link of this blueprint; leave it blank for a new row"),
}


class _Diff:
    def __init__(
        self, current: BlueprintData, incoming: BlueprintData, catalog, words: Words = ENGLISH
    ):
        self.cur, self.inc, self.plan, self.words = current, incoming, Plan(), words
        self.catalog = {c["id"]: c for c in catalog}
        self.titles: dict[Ref, str] = {}
        self.kinds: dict[Ref, str] = {}

    # -- helpers ---------------------------------------------------------------------------

    def problem(self, sheet, row, column, message) -> None:
        words = self.words
        said = words(column) if column else column
        self.plan.problems.append(Problem(words(sheet), row, said, message, words))

    def say(self, message: str, **values) -> str:
        return self.words(message, **values)

    def exported(self, sheet: str, row_id: int) -> tuple[bool, int | None]:
        """Whether the row was in the exported workbook, and the version it had there."""
        if self.inc.exported is None:  # the workbook does not say: every row was exported
            return True, None
        versions = self.inc.exported.get(sheet, {})
        return row_id in versions, versions.get(row_id)

    def conflict(self, sheet, meta: RowMeta, now: int | None, title: str) -> bool:
        if meta.version is None or now is None or meta.version == now:
            return False
        self.problem(
            sheet,
            meta.row,
            "version",
            self.say(
                N_(
                    "%(title)s was changed in Rootline since the export (conflict): download "
                    "the workbook again and redo the change there"
                ),
                title=title,
            ),
        )
        return True

    def unmatched(self, sheet, rows, matched: set[int], title, on_removed) -> list[int]:
        """Rows of the blueprint the workbook does not carry: removed, or kept (their ids
        returned) when they are newer than the export."""
        kept = []
        for row_id, (now, item) in rows.items():
            if row_id in matched:
                continue
            was_exported, version = self.exported(sheet, row_id)
            if not was_exported:
                kept.append(row_id)
                continue
            if version is not None and now is not None and version != now:
                self.problem(
                    sheet,
                    None,
                    "id",
                    self.say(
                        N_(
                            "%(title)s (id %(id)s) was changed in Rootline since the export "
                            "and the workbook removes it (conflict): download the workbook "
                            "again"
                        ),
                        title=title(item),
                        id=row_id,
                    ),
                )
                continue
            on_removed(row_id, item)
        return kept

    def claim(self, sheet, meta: RowMeta, known, seen: set[int]) -> bool:
        if meta.id not in known:
            self.problem(sheet, meta.row, "id", self.say(NOT_OURS[sheet], id=meta.id))
            return False
        if meta.id in seen:
            self.problem(
                sheet, meta.row, "id", self.say(N_("id %(id)s is on two rows"), id=meta.id)
            )
            return False
        seen.add(meta.id)
        return True

    # -- sheets ----------------------------------------------------------------------------

    def blueprint(self) -> None:
        changes = _differs(vars(self.cur), vars(self.inc), BLUEPRINT_FIELDS)
        if changes and not self.conflict(
            "Blueprint",
            RowMeta(None, self.inc.id, self.inc.version),
            self.cur.version,
            self.say(N_("The blueprint")),
        ):
            self.plan.blueprint = changes

    def stages(self) -> None:
        plan, cur = self.plan, self.cur
        rows = {
            cur.row_meta(STAGES, i).id: (cur.row_meta(STAGES, i).version, name)
            for i, name in enumerate(cur.stages)
        }
        by_name = {name: row_id for row_id, (_, name) in rows.items()}
        seen: set[int] = set()
        pending = []
        for i, name in enumerate(self.inc.stages):
            meta = self.inc.row_meta(STAGES, i)
            if meta.id is None:
                pending.append((name, meta))
                continue
            if not self.claim(STAGES, meta, rows, seen):
                continue
            now, old = rows[meta.id]
            plan.stage_refs[name] = ("id", meta.id)
            stage = self.say(N_("Stage %(name)s"), name=old)
            if norm(old) != norm(name) and not self.conflict(STAGES, meta, now, stage):
                plan.stages.changed.append(
                    Change(STAGES, old, meta.row, meta.id, [("name", old, name)], name)
                )
        for name, meta in pending:
            same = by_name.get(name)
            if same is not None and same not in seen:
                seen.add(same)
                plan.stage_refs[name] = ("id", same)
            else:
                plan.stage_refs[name] = ("new", name)
                plan.stages.added.append(Change(STAGES, name, meta.row, None, [], name))
        kept = self.unmatched(
            STAGES,
            rows,
            seen,
            lambda name: self.say(N_("Stage %(name)s"), name=name),
            lambda row_id, name: plan.stages.removed.append(Change(STAGES, name, None, row_id)),
        )
        plan.kept += [self.say(N_("stage %(name)s"), name=rows[i][1]) for i in kept]
        before = [rows[i][1] for i in rows if i in seen]
        after = [n for n in self.inc.stages if plan.stage_refs.get(n, ("new",))[0] == "id"]
        after = [rows[plan.stage_refs[n][1]][1] for n in after]
        if before != after:
            plan.stage_order = (", ".join(before), ", ".join(after))

    def catalog_rows(self) -> None:
        plan = self.plan
        by_name = {}
        for entry in sorted(self.catalog.values(), key=lambda c: c["id"]):
            by_name.setdefault((entry["kind"], entry["title"].casefold()), entry)
        for i, entry in enumerate(self.inc.catalog):
            meta = self.inc.row_meta(CATALOG, i)
            key = entry["key"]
            if meta.id is not None:
                if meta.id not in self.catalog:
                    self.problem(
                        CATALOG,
                        meta.row,
                        "id",
                        self.say(
                            N_("no person or system of this workspace has id %(id)s"), id=meta.id
                        ),
                    )
                    continue
                existing = self.catalog[meta.id]
                if existing["kind"] != entry["kind"]:
                    self.problem(
                        CATALOG,
                        meta.row,
                        "kind",
                        self.say(
                            N_(
                                "%(title)s is a %(kind)s; add a new row without an id for a new one"
                            ),
                            title=existing["title"],
                            kind=self.words(existing["kind"]),
                        ),
                    )
                    continue
                ref: Ref = ("id", meta.id)
                changes = _differs(existing, entry, CATALOG_FIELDS)
                if changes and not self.conflict(
                    CATALOG, meta, existing["version"], existing["title"]
                ):
                    plan.catalog.changed.append(
                        Change(CATALOG, existing["title"], meta.row, meta.id, changes, entry)
                    )
            elif (entry["kind"], entry["title"].casefold()) in by_name:
                ref = ("id", by_name[(entry["kind"], entry["title"].casefold())]["id"])
            else:
                ref = ("new", key)
                plan.catalog.added.append(
                    Change(CATALOG, entry["title"], meta.row, None, [], entry)
                )
            plan.refs[key] = ref
            self.titles[ref] = entry["title"]
            self.kinds[ref] = entry["kind"]

    def steps(self) -> None:
        plan, cur = self.plan, self.cur
        rows = {
            cur.row_meta(ELEMENTS, i).id: (cur.row_meta(ELEMENTS, i).version, e)
            for i, e in enumerate(cur.elements)
        }
        seen: set[int] = set()
        for i, entry in enumerate(self.inc.elements):
            meta = self.inc.row_meta(ELEMENTS, i)
            ref: Ref = ("new", entry["key"])
            if meta.id is None:
                plan.steps.added.append(Change(ELEMENTS, entry["title"], meta.row, None, [], entry))
            elif self.claim(ELEMENTS, meta, rows, seen):
                ref = ("id", meta.id)
                now, old = rows[meta.id]
                changes = self.step_changes(old, entry)
                if changes and not self.conflict(ELEMENTS, meta, now, old["title"]):
                    plan.steps.changed.append(
                        Change(ELEMENTS, old["title"], meta.row, meta.id, changes, entry)
                    )
            else:
                continue
            plan.refs[entry["key"]] = ref
            self.titles[ref] = entry["title"]
            self.kinds[ref] = entry["kind"]
        removed_stages = {c.title for c in plan.stages.removed}

        def removed(row_id, item):
            plan.steps.removed.append(Change(ELEMENTS, item["title"], None, row_id))

        for row_id in self.unmatched(ELEMENTS, rows, seen, lambda e: e["title"], removed):
            item = rows[row_id][1]
            plan.kept.append(self.say(N_("step %(title)s"), title=item["title"]))
            if item["stage"] in removed_stages:
                self.problem(
                    STAGES,
                    None,
                    "name",
                    self.say(
                        N_(
                            "the workbook removes stage %(stage)s, but %(title)s was added to "
                            "it in Rootline since the export (conflict)"
                        ),
                        stage=item["stage"],
                        title=item["title"],
                    ),
                )
        for row_id, (_, item) in rows.items():  # what links may still point at
            self.titles.setdefault(("id", row_id), item["title"])
            self.kinds.setdefault(("id", row_id), item["kind"])

    def step_changes(self, old: dict, new: dict) -> list[tuple[str, Any, Any]]:
        """Every column that differs; stage columns by the stage they name, so renaming a
        stage changes none of its steps."""
        cur_stage = {
            name: ("id", self.cur.row_meta(STAGES, i).id) for i, name in enumerate(self.cur.stages)
        }
        changes = []
        for column, was, now in _differs(old, new, [c for c in new if c != "key"]):
            if column in STAGE_COLUMNS and was in cur_stage:
                if cur_stage[was] == self.plan.stage_refs.get(now):
                    continue
            changes.append((column, was, now))
        return changes

    def links(self) -> None:
        plan, cur = self.plan, self.cur
        cur_refs: dict[str, Ref] = {}
        for i, e in enumerate(cur.elements):
            cur_refs[e["key"]] = ("id", cur.row_meta(ELEMENTS, i).id)
        for i, e in enumerate(cur.catalog):
            ref = ("id", cur.row_meta(CATALOG, i).id)
            cur_refs[e["key"]] = ref
            self.titles.setdefault(ref, e["title"])
            self.kinds.setdefault(ref, e["kind"])
        rows: dict[int, tuple[int | None, tuple[Ref, Ref, str]]] = {}
        for i, (source, target, kind) in enumerate(cur.links):
            meta = cur.row_meta(LINKS, i)
            rows[meta.id] = (meta.version, (cur_refs[source], cur_refs[target], kind))
        by_triple = {triple: row_id for row_id, (_, triple) in rows.items()}
        removed_steps = {("id", c.id) for c in plan.steps.removed}
        seen: set[int] = set()
        triples: set[tuple[Ref, Ref, str]] = set()
        for i, (source, target, kind) in enumerate(self.inc.links):
            meta = self.inc.row_meta(LINKS, i)
            if source not in plan.refs or target not in plan.refs:
                continue  # its row was refused above
            triple = (plan.refs[source], plan.refs[target], kind)
            if triple in triples:
                message = self.say(N_("%(link)s is on two rows"), link=self.shown(triple))
                self.problem(LINKS, meta.row, "source", message)
                continue
            triples.add(triple)
            if not self.rule(triple, meta):
                continue
            if meta.id is not None:
                if not self.claim(LINKS, meta, rows, seen):
                    continue
                now, old = rows[meta.id]
                if old != triple and not self.conflict(LINKS, meta, now, self.shown(old)):
                    changes = [
                        (column, self.name(o), self.name(n))
                        for column, o, n in zip(LINK_PARTS, old, triple, strict=True)
                        if o != n
                    ]
                    plan.links.changed.append(
                        Change(LINKS, self.shown(old), meta.row, meta.id, changes, triple)
                    )
                continue
            same = by_triple.get(triple)
            if same is not None and same not in seen:
                seen.add(same)
            else:
                plan.links.added.append(
                    Change(LINKS, self.shown(triple), meta.row, None, [], triple)
                )

        def removed(row_id, item):
            if {self.kinds.get(item[0]), self.kinds.get(item[1])} <= CATALOG_KIND_VALUES:
                # between people and systems: the catalog's own link, which other
                # blueprints reach too, so one blueprint's workbook does not remove it
                plan.kept.append(
                    self.say(N_("link %(link)s (the catalog's own)"), link=self.shown(item))
                )
                return
            plan.links.removed.append(Change(LINKS, self.shown(item), None, row_id))

        for row_id in self.unmatched(LINKS, rows, seen, self.shown, removed):
            triple = rows[row_id][1]
            if set(triple[:2]) & removed_steps:  # it goes with the step it leaves
                plan.links.removed.append(Change(LINKS, self.shown(triple), None, row_id))
            else:
                plan.kept.append(self.say(N_("link %(link)s"), link=self.shown(triple)))

    def name(self, part) -> str:
        """A link's end by its title, or its kind by its code."""
        return part if isinstance(part, str) else self.titles.get(part, str(part[1]))

    def shown(self, triple) -> str:
        source, target, kind = triple
        said = self.words(kind)  # English says the label, not the code
        return f"{self.name(source)} {LinkKind(kind).label if said == kind else said} " + (
            self.name(target)
        )

    def rule(self, triple, meta: RowMeta) -> bool:
        """The link rules of blueprint.services.link_elements, checked before anything is
        written so the preview can name the row."""
        source, target, kind = triple
        target_kind, source_kind = self.kinds.get(target), self.kinds.get(source)
        message = None
        if source == target:
            message = N_("a step cannot be linked to itself")
        elif kind == LinkKind.PERFORMED_BY and target_kind != "person":
            message = N_("'performed_by' links point at a person or team")
        elif kind == LinkKind.USES and target_kind != "system":
            message = N_("'uses' links point at a system")
        elif kind == LinkKind.NEXT and not (
            source_kind in {k.value for k in LANES} and target_kind in {k.value for k in LANES}
        ):
            message = N_("'next' orders steps in time; people and systems have none")
        if message:
            said = f"{self.shown(triple)}: {self.say(message)}"
            self.problem(LINKS, meta.row, "kind", said)
        return message is None


def diff(
    current: BlueprintData,
    incoming: BlueprintData,
    catalog: Sequence[Mapping[str, Any]],
    words: Words = ENGLISH,
) -> Plan:
    """What updating the blueprint exported as `current` from the workbook read as
    `incoming` would add, change and remove, and every problem that blocks it, said in the
    language of `words`. `catalog`: the workspace's people and systems as dicts (id, version
    and CATALOG_FIELDS)."""
    run = _Diff(current, incoming, catalog, words)
    run.blueprint()
    run.stages()
    run.catalog_rows()
    run.steps()
    run.links()
    run.plan.say_fields(words)
    return run.plan
