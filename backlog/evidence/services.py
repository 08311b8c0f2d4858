"""Evidence onto a blueprint: the preview (reads only) and the apply (all or nothing), and
what the team teaches the matcher. Flush, never commit.

The preview reads the file (`blueprint.evidence.files`), its rows by the column mapping
(`rows`), leaves out rows the workspace has already imported (by content hash: the row's
reference, else its text and date; `EvidenceRow` keeps one per workspace), matches the rest
(`matching`) and proposes an insight per step (`proposals`). The apply writes every new row
with its match and creates or updates one insight per step kept: a pain point or
compliment at the step, with the evidence source, a reference listing how many rows and the
first references, the date range, and the rows linked to it. An insight made by an earlier
import of the same source at the same step is updated instead of made again: its frequency
becomes the higher of the two, its severity the new one when scores or the user gave it.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import func, insert, select

from backlog.evidence.models import (
    CategoryStep,
    EvidenceColumns,
    EvidenceImport,
    EvidenceRow,
    PendingEvidence,
    StepAlias,
)
from backlog.models import Insight, InsightKind
from blueprint.evidence import matching, proposals
from blueprint.evidence.files import Table, read_file
from blueprint.evidence.rows import ColumnMapping, RowProblem, read_rows, shape_of
from blueprint.evidence.rows import EvidenceRow as FileRow
from blueprint.kinds import EvidenceSource
from blueprint.models import Element, ServiceBlueprint
from clock import utcnow
from extensions import db

__all__ = [
    "ApplyResult",
    "EvidenceProblems",
    "Preview",
    "Settings",
    "apply",
    "preview",
    "problem_lines",
    "remember_mapping",
    "remembered",
    "save_alias",
    "save_category",
]

CHUNK = 500  # hashes asked about, and rows written, per statement
FIRST_REFERENCES = 5
Progress = Callable[[int, int, str], None]  # done, total, step


class EvidenceProblems(ValueError):
    """The file or its rows cannot be imported; nothing is written. `problems` are the
    rows', `field` the form field a file-wide problem belongs to."""

    def __init__(self, message: str, problems: list[RowProblem] | None = None, field="file"):
        super().__init__(message)
        self.problems = problems or []
        self.field = field


@dataclass
class Settings:
    """Every choice the user made: the mapping, the source, the customers the file covers,
    and per step (element id) a severity, a new title, a drop or a merge into another step."""

    mapping: ColumnMapping
    source: EvidenceSource = EvidenceSource.CALL_CENTRE
    customers: int | None = None
    severities: dict[int, int] = field(default_factory=dict)
    titles: dict[int, str] = field(default_factory=dict)
    dropped: set[int] = field(default_factory=set)
    merged: dict[int, int] = field(default_factory=dict)  # step → the step it joins

    def choose(
        self,
        element_id: int,
        *,
        title: str,
        severity: int,
        proposed_severity: int,
        drop: bool = False,
        merge_into: int | None = None,
    ) -> None:
        """The user's choices for one step's proposed insight, in place of earlier ones: a
        new title (blank keeps the proposed one), a severity (kept once it differs from the
        proposed one), and a drop or a merge into another step."""
        self.titles.pop(element_id, None)
        self.dropped.discard(element_id)
        self.merged.pop(element_id, None)
        if title:
            self.titles[element_id] = title
        if severity != proposed_severity or element_id in self.severities:
            self.severities[element_id] = severity
        if drop:
            self.dropped.add(element_id)
        elif merge_into is not None:
            self.merged[element_id] = merge_into

    def to_json(self) -> str:
        return json.dumps(
            {
                "mapping": self.mapping.as_dict(),
                "source": self.source.value,
                "customers": self.customers,
                "severities": self.severities,
                "titles": self.titles,
                "dropped": sorted(self.dropped),
                "merged": self.merged,
            }
        )

    @classmethod
    def from_json(cls, text: str) -> Settings | None:
        data = json.loads(text or "{}")
        if "mapping" not in data:
            return None
        ints = lambda d: {int(k): v for k, v in (d or {}).items()}  # noqa: E731
        return cls(
            mapping=ColumnMapping.from_dict(data["mapping"]),
            source=EvidenceSource(data.get("source") or EvidenceSource.CALL_CENTRE.value),
            customers=data.get("customers"),
            severities={k: int(v) for k, v in ints(data.get("severities")).items()},
            titles=ints(data.get("titles")),
            dropped=set(data.get("dropped") or ()),
            merged={k: int(v) for k, v in ints(data.get("merged")).items()},
        )


@dataclass
class Preview:
    table: Table
    rows: list[FileRow]
    matches: list[matching.Match | None]  # None: imported before (or twice in this file)
    problems: list[RowProblem]
    proposals: list[proposals.Proposal]
    steps: dict[int, str]  # element id → title, of the blueprint's steps
    categories: list[tuple[str, int, int | None]]  # category, rows, mapped step

    @property
    def file_rows(self) -> int:
        return len(self.rows)

    @property
    def known(self) -> int:
        return sum(1 for m in self.matches if m is None)

    @property
    def matched(self) -> int:
        return sum(1 for m in self.matches if m is not None and m.element_id is not None)

    @property
    def unmatched_rows(self) -> list[tuple[FileRow, matching.Match]]:
        return [
            (r, m)
            for r, m in zip(self.rows, self.matches, strict=True)
            if m is not None and m.element_id is None
        ]

    @property
    def by_kind(self) -> dict[str, int]:
        counts = dict.fromkeys(matching.KINDS, 0)
        for m in self.matches:
            if m is not None:
                counts[m.kind] += 1
        return counts

    def as_json(self) -> dict:
        """The CLI's --json (README, "Import evidence")."""
        return {
            "rows": self.file_rows,
            "matched": self.matched,
            "unmatched": len(self.unmatched_rows),
            "already_imported": self.known,
            "steps": [
                {
                    "element_id": p.element_id,
                    "title": p.title,
                    "rows": p.rows,
                    "frequency": p.frequency,
                    "severity": p.severity,
                    "kind": p.kind,
                    "examples": p.examples,
                }
                for p in self.proposals
            ],
            "unmatched_rows": [r.number for r, _m in self.unmatched_rows],
        }


@dataclass
class ApplyResult:
    evidence_import: EvidenceImport
    created: list[Insight]
    updated: list[Insight]
    rows: int


PROBLEM_WORDS = {
    "date": lambda p: _(
        "row %(n)s, column %(c)s: “%(v)s” is not a date", n=p.number, c=p.column, v=p.value
    ),
    "score": lambda p: _(
        "row %(n)s, column %(c)s: “%(v)s” is not a number", n=p.number, c=p.column, v=p.value
    ),
    "empty": lambda p: _("row %(n)s: no text, step or category", n=p.number),
}


def problem_lines(problems) -> list[str]:
    """Why rows cannot be used, one line each, in the user's language (the page, the job
    and the command say the same)."""
    return [PROBLEM_WORDS[p.code](p) for p in problems]


# --- what the team taught the matcher ------------------------------------------------------


def blueprint_steps(blueprint: ServiceBlueprint) -> list[matching.Step]:
    """The blueprint's lane elements with the aliases saved for them."""
    elements = db.session.execute(
        select(Element.id, Element.title, Element.description)
        .where(Element.blueprint_id == blueprint.id)
        .order_by(Element.id)
    ).all()
    aliases: dict[int, list[str]] = {}
    for element_id, alias in db.session.execute(
        select(StepAlias.element_id, StepAlias.alias)
        .join(Element, Element.id == StepAlias.element_id)
        .where(StepAlias.workspace_id == blueprint.workspace_id)
        .where(Element.blueprint_id == blueprint.id)
        .order_by(StepAlias.id)
    ):
        aliases.setdefault(element_id, []).append(alias)
    return [
        matching.Step(e.id, e.title, e.description or "", tuple(aliases.get(e.id, ())))
        for e in elements
    ]


def blueprint_categories(blueprint: ServiceBlueprint) -> dict[str, int]:
    return dict(
        db.session.execute(
            select(CategoryStep.category, CategoryStep.element_id).where(
                CategoryStep.workspace_id == blueprint.workspace_id,
                CategoryStep.blueprint_id == blueprint.id,
            )
        ).all()
    )


def _step_of(blueprint: ServiceBlueprint, element_id: int, field: str) -> Element:
    element = db.session.get(Element, element_id)
    if element is None or element.blueprint_id != blueprint.id:
        raise EvidenceProblems(_("Choose a step of this blueprint."), field=field)
    return element


def save_category(
    blueprint: ServiceBlueprint, category: str, element_id: int | None
) -> CategoryStep | None:
    """Rows of `category` go to the step from now on (None: the mapping is removed)."""
    key = matching.key_of(category)
    if not key:
        raise EvidenceProblems(_("Name the category."), field="category")
    row = db.session.scalar(
        select(CategoryStep).where(
            CategoryStep.workspace_id == blueprint.workspace_id,
            CategoryStep.blueprint_id == blueprint.id,
            CategoryStep.match_key == key,
        )
    )
    if element_id is None:
        if row is not None:
            db.session.delete(row)
            db.session.flush()
        return None
    _step_of(blueprint, element_id, "category")
    if row is None:
        row = CategoryStep(
            workspace_id=blueprint.workspace_id, blueprint_id=blueprint.id, match_key=key
        )
        db.session.add(row)
    row.category, row.element_id = category.strip()[:200], element_id
    db.session.flush()
    return row


def save_alias(blueprint: ServiceBlueprint, element_id: int, alias: str) -> StepAlias:
    """`alias` names the step from now on (it moves from another step that had it)."""
    key = matching.key_of(alias)
    if not key:
        raise EvidenceProblems(_("Write the other name of the step."), field="alias")
    _step_of(blueprint, element_id, "alias")
    row = db.session.scalar(
        select(StepAlias).where(
            StepAlias.workspace_id == blueprint.workspace_id, StepAlias.match_key == key
        )
    )
    if row is None:
        row = StepAlias(workspace_id=blueprint.workspace_id, match_key=key[:200])
        db.session.add(row)
    row.alias, row.element_id = alias.strip()[:200], element_id
    db.session.flush()
    return row


def remembered(workspace_id: int, headers: list[str]) -> tuple[ColumnMapping, str] | None:
    """The mapping and source last used for a file of this shape, if any."""
    row = db.session.scalar(
        select(EvidenceColumns).where(
            EvidenceColumns.workspace_id == workspace_id,
            EvidenceColumns.shape == shape_of(headers),
        )
    )
    if row is None:
        return None
    return ColumnMapping.from_dict(json.loads(row.mapping)), row.source


def remember_mapping(
    workspace_id: int, headers: list[str], mapping: ColumnMapping, source: EvidenceSource
) -> None:
    shape = shape_of(headers)
    row = db.session.scalar(
        select(EvidenceColumns).where(
            EvidenceColumns.workspace_id == workspace_id, EvidenceColumns.shape == shape
        )
    )
    if row is None:
        row = EvidenceColumns(workspace_id=workspace_id, shape=shape)
        db.session.add(row)
    row.mapping, row.source, row.updated_at = json.dumps(mapping.as_dict()), source.value, utcnow()
    db.session.flush()


# --- the preview ----------------------------------------------------------------------------


def pending_table(pending: PendingEvidence) -> Table:
    return read_file(pending.content, pending.file_name)


def _known_hashes(workspace_id: int, hashes: list[str]) -> set[str]:
    known: set[str] = set()
    unique = sorted(set(hashes))
    for start in range(0, len(unique), CHUNK):
        known.update(
            db.session.scalars(
                select(EvidenceRow.content_hash).where(
                    EvidenceRow.workspace_id == workspace_id,
                    EvidenceRow.content_hash.in_(unique[start : start + CHUNK]),
                )
            )
        )
    return known


def preview(
    blueprint: ServiceBlueprint,
    table: Table,
    settings: Settings,
    progress: Progress | None = None,
) -> Preview:
    """What applying would do; writes nothing. Raises `EvidenceProblems` for a mapping
    that names no text column or a column the file lacks."""
    wrong = settings.mapping.problems(table.headers)
    if wrong:
        field_name = next(iter(wrong))
        message = (
            _("Choose the column that holds the text.")
            if wrong[field_name] == "required"
            else _("The file has no such column.")
        )
        raise EvidenceProblems(message, field=field_name)
    rows, problems = read_rows(table, settings.mapping)
    hashes = [r.content_hash for r in rows]
    known = _known_hashes(blueprint.workspace_id, hashes)
    steps = blueprint_steps(blueprint)
    categories = blueprint_categories(blueprint)
    matcher = matching.Matcher(steps, categories)
    matches: list[matching.Match | None] = []
    seen: set[str] = set()
    total = len(rows)
    for n, (row, digest) in enumerate(zip(rows, hashes, strict=True), 1):
        if digest in known or digest in seen:
            matches.append(None)
        else:
            seen.add(digest)
            matches.append(matcher.match(row.text, row.step, row.category))
        if progress is not None and (n % 1000 == 0 or n == total):
            progress(n, total, _("Matching rows to steps"))
    titles = {s.element_id: s.title for s in steps}
    fresh = [(r, m) for r, m in zip(rows, matches, strict=True) if m is not None]
    found = proposals.propose(
        [r for r, _m in fresh],
        [m for _r, m in fresh],
        titles,
        customers=settings.customers,
        severities=settings.severities,
        file_rows=len(rows),
    )
    counted: dict[str, int] = {}
    shown: dict[str, str] = {}
    for row in rows:
        if row.category:
            key = matching.key_of(row.category)
            counted[key] = counted.get(key, 0) + 1
            shown.setdefault(key, row.category)
    mapped = {matching.key_of(c): e for c, e in categories.items()}
    category_rows = sorted(
        ((shown[k], n, mapped.get(k)) for k, n in counted.items()),
        key=lambda c: (-c[1], c[0].casefold()),
    )
    return Preview(table, rows, matches, problems, found, titles, category_rows)


# --- the apply ------------------------------------------------------------------------------


def _reference(count: int, first: list[str], first_day, last_day) -> str:
    days = ""
    if first_day and last_day:
        days = (
            f" {first_day.isoformat()}"
            if first_day == last_day
            else f" {first_day.isoformat()} – {last_day.isoformat()}"
        )
    listing = ", ".join(first)
    more = "…" if count > len(first) else ""
    text = _("%(n)s rows%(days)s", n=count, days=days)
    if listing:
        text += f": {listing}{more}"
    return text[:500]


def _default_title(proposal: proposals.Proposal, source: EvidenceSource) -> str:
    if proposal.kind == proposals.COMPLIMENT:
        title = _("%(step)s: praised in %(source)s", step=proposal.title, source=source.label)
    else:
        title = _(
            "%(step)s: problems reported in %(source)s", step=proposal.title, source=source.label
        )
    return title[:200]


def _existing_insight(workspace_id: int, element_id: int, kind, source) -> Insight | None:
    return db.session.scalar(
        select(Insight)
        .join(EvidenceRow, EvidenceRow.insight_id == Insight.id)
        .where(
            Insight.workspace_id == workspace_id,
            Insight.element_id == element_id,
            Insight.kind == kind,
            Insight.evidence_source == source,
        )
        .order_by(Insight.id)
        .limit(1)
    )


def apply(
    blueprint: ServiceBlueprint,
    user_id: int | None,
    file_name: str,
    table: Table,
    settings: Settings,
    progress: Progress | None = None,
    after_writes: Progress | None = None,
) -> ApplyResult:
    """Apply the preview, all or nothing: raises `EvidenceProblems` (nothing written) when
    any row cannot be used. `progress` hears while rows are matched (before any write),
    `after_writes` while they are saved (see jobs.Progress.after_writes). The caller
    commits."""
    result = preview(blueprint, table, settings, progress)
    if result.problems:
        raise EvidenceProblems(
            _("%(n)s rows cannot be used; nothing was imported.", n=len(result.problems)),
            result.problems,
        )
    workspace_id = blueprint.workspace_id
    remember_mapping(workspace_id, table.headers, settings.mapping, settings.source)
    record = EvidenceImport(
        workspace_id=workspace_id,
        blueprint_id=blueprint.id,
        user_id=user_id,
        file_name=file_name[:200],
        source=settings.source,
        shape=shape_of(table.headers),
        mapping=json.dumps(settings.mapping.as_dict()),
        encoding=table.encoding or "",
        delimiter=table.delimiter_name or "",
        customers=settings.customers,
        file_rows=result.file_rows,
        new_rows=result.file_rows - result.known,
    )
    db.session.add(record)
    db.session.flush()

    # one insight per step kept; a merged step's rows go to the step it joins
    by_step = {p.element_id: p for p in result.proposals}
    target_of: dict[int, int | None] = {}
    for p in result.proposals:
        target = p.element_id
        hops = 0
        while target in settings.merged and hops < len(by_step):
            target, hops = settings.merged[target], hops + 1
        if p.element_id in settings.dropped or target in settings.dropped or target not in by_step:
            target_of[p.element_id] = None
        else:
            target_of[p.element_id] = target
    insight_of: dict[int, Insight] = {}
    created, updated = [], []
    for target in sorted({t for t in target_of.values() if t is not None}):
        p = by_step[target]
        joined = [by_step[e] for e, t in target_of.items() if t == target]
        rows = sum(j.rows for j in joined)
        frequency = max(j.frequency for j in joined)
        kind = InsightKind(p.kind)
        explicit = target in settings.severities or p.severity_from_scores
        insight = _existing_insight(workspace_id, target, kind, settings.source)
        if insight is None:
            insight = Insight(
                workspace_id=workspace_id,
                blueprint_id=blueprint.id,
                element_id=target,
                kind=kind,
                title=(settings.titles.get(target) or _default_title(p, settings.source))[:200],
                description=_description(joined, rows),
                severity=p.severity,
                frequency=frequency,
                evidence_source=settings.source,
                author_id=user_id,
            )
            db.session.add(insight)
            created.append(insight)
        else:
            insight.frequency = max(insight.frequency, frequency)
            if explicit:
                insight.severity = p.severity
            if settings.titles.get(target):
                insight.title = settings.titles[target][:200]
            updated.append(insight)
        insight_of[target] = insight
    db.session.flush()

    # every new row, with its match and the insight it supports
    payload = []
    for row, match in zip(result.rows, result.matches, strict=True):
        if match is None:
            continue
        target = target_of.get(match.element_id) if match.element_id is not None else None
        payload.append(
            {
                "workspace_id": workspace_id,
                "import_id": record.id,
                "insight_id": insight_of[target].id if target is not None else None,
                "element_id": match.element_id,
                "row_number": row.number,
                "reference": row.reference,
                "observed_on": row.day,
                "text": row.text,
                "content_hash": row.content_hash,
                "match_kind": match.kind,
                "score": match.score,
                "threshold": match.threshold,
                "matched_via": match.via[:200],
            }
        )
    for start in range(0, len(payload), CHUNK):
        db.session.execute(insert(EvidenceRow), payload[start : start + CHUNK])
        if after_writes is not None:
            after_writes(min(start + CHUNK, len(payload)), len(payload), _("Saving rows"))
    for insight in insight_of.values():
        _describe_evidence(insight)
    db.session.flush()
    return ApplyResult(record, created, updated, len(payload))


def _description(joined: list[proposals.Proposal], rows: int) -> str:
    quotes = [q for p in joined for q in p.examples][:3]
    lines = [_("Imported from %(n)s rows of evidence. For example:", n=rows)]
    lines += [f"“{q}”" for q in quotes]
    return "\n".join(lines)


def _describe_evidence(insight: Insight) -> None:
    """The insight's reference and date from all its evidence rows, of every import."""
    count, first_day, last_day = db.session.execute(
        select(
            func.count(EvidenceRow.id),
            func.min(EvidenceRow.observed_on),
            func.max(EvidenceRow.observed_on),
        )
        .where(EvidenceRow.workspace_id == insight.workspace_id)
        .where(EvidenceRow.insight_id == insight.id)
    ).one()
    first = list(
        db.session.scalars(
            select(EvidenceRow.reference)
            .where(EvidenceRow.workspace_id == insight.workspace_id)
            .where(EvidenceRow.insight_id == insight.id, EvidenceRow.reference != "")
            .order_by(EvidenceRow.id)
            .limit(FIRST_REFERENCES)
        )
    )
    insight.evidence_reference = _reference(count, first, first_day, last_day)
    if last_day is not None:
        insight.observed_on = last_day


# --- the insight page -------------------------------------------------------------------------


def insight_evidence(insight: Insight, limit: int = 200) -> tuple[int, list[EvidenceRow], list]:
    """How many rows support the insight, the first `limit` of them, and its imports."""
    where = (EvidenceRow.workspace_id == insight.workspace_id, EvidenceRow.insight_id == insight.id)
    count = db.session.scalar(select(func.count(EvidenceRow.id)).where(*where))
    rows = list(
        db.session.scalars(select(EvidenceRow).where(*where).order_by(EvidenceRow.id).limit(limit))
    )
    imports = list(
        db.session.scalars(
            select(EvidenceImport)
            .where(EvidenceImport.workspace_id == insight.workspace_id)
            .where(EvidenceImport.id.in_(select(EvidenceRow.import_id).where(*where)))
            .order_by(EvidenceImport.id)
        )
    )
    return count, rows, imports


def element_titles(rows: list[EvidenceRow]) -> dict[int, str]:
    ids = sorted({r.element_id for r in rows if r.element_id is not None})
    if not ids:
        return {}
    return dict(
        db.session.execute(select(Element.id, Element.title).where(Element.id.in_(ids))).all()
    )
