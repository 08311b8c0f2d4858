"""Insights, improvement tasks, scoring and prioritisation, Excel workbooks."""
