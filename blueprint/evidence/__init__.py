"""Evidence files (ticket, complaint and survey exports) read and matched to the steps of a
blueprint, with a proposed insight per step. Pure: no Flask, no database; the backlog's
`backlog/evidence/` stores imports and creates the insights.

- `files`: CSV (UTF-8, UTF-8 with BOM, Windows-1250; comma, semicolon or tab) and .xlsx
- `rows`: the column mapping, the file's shape, each row's cells read
- `matching`: step column → category mapping → fuzzy → unmatched, with the reason
- `proposals`: per step, what the rows say and the insight proposed
"""
