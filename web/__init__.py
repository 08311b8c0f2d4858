"""What every package's web pages share, below all of them: the rules at the door (input,
security headers, error pages, the health check). It may import Flask and `extensions`,
never a domain package, so `accounts`, `blueprint` and `backlog` all build on it."""
