"""What every package's web pages share, below all of them: the rules at the door (input,
security headers, error pages, the health check), the generic form fields (`web.forms`) and
the edit handshake (`web.edits`). It may import Flask, WTForms and `extensions`, never a
domain package, so `accounts`, `blueprint` and `backlog` all build on it."""
