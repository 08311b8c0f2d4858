"""Evidence imported from files (tickets, complaints, survey answers) as insights: the
imports and their rows, the team's step aliases, category → step mapping and remembered
column mappings (`models`), and the preview and apply (`services`). The reading and the
matching are pure and live below, in `blueprint/evidence/`."""
