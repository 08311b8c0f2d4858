"""Root-cause analysis on the dependency graph, one module per question:

- `trace` — what does this step rely on, level by level (the cause tree)?
- `ranking` — which causes sit under most of the pain (root-cause ranking)?
- `blast_radius` — what relies on this element, and which customer actions feel it?
- `handoffs` — how often does the work change hands beneath each customer action?
- `health` — what is wrong with this map (the seven checks of the health page)?
- `dependencies` — what they share: which edges are followed, and the blueprint's reading
  order.

All of them are pure: graphs and plain values in, plain values out; no Flask, no database;
the input graph is never modified. Import from the topic module
(``from blueprint.analysis.ranking import rank_root_causes``); this package re-exports
nothing, so ``blueprint.analysis.trace`` is always the module.

Assumptions shared by every function (ARCHITECTURE.md section 5):

- `G` is a `networkx.DiGraph` whose nodes carry at least `kind` (an ElementKind value) and
  `title`, and optionally `blueprint_id`, `stage`, `stage_position`, `position`,
  `fail_point`, `duration`, `tolerance`, `evidence_source`, `emotion` (blueprint.graph
  builds such graphs from the database).
- An edge A → B with `kind` in relies_on / performed_by / uses means "A relies on B"; edges
  of kind `next` order steps in time and are never followed.
- Cycles are legal. Functions terminate on them (they work on the condensation) and report
  them where that is a finding.
"""
