"""Backup and restore of whole workspaces. Sits above every other package: it carries the
rows of accounts, blueprint and backlog alike."""
