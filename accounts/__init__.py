"""Users, workspaces, memberships and roles, login and the session."""
