"""The workbook kit: what every workbook Rootline writes or reads has in common.

Pure (openpyxl and defusedxml; no Flask, no database) and below both domain packages, so
blueprint's and backlog's workbooks share one rule instead of each keeping its own:

- `workbooks.cells` — the one rule for user text (no user text ever becomes a formula),
  the header row, a sheet of rows, column widths, print set-up and Excel tables;
- `workbooks.problems` — what a reader reports (sheet, row, column, message) and how many
  rows it reads;
- `workbooks.xlsxsafe` — the check of an upload before any of its XML is parsed.
"""
