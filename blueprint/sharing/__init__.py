"""Share links: a read-only link to one blueprint's board, summary, SVG and PDF, for people
without an account (README, "Share links").

An owner or editor makes one with an expiry (1–365 days, 30 by default) and an optional
label; whoever holds it sees those four pages and nothing else, without logging in. The
token is random (`secrets.token_urlsafe(32)`, 256 bits), stored only as its SHA-256 and
compared in constant time; the token is never written to the audit trail or the app's
logs (`redact`). An expired, revoked or unknown token answers the same 404, and a client
address that sends too many of them is refused with 429 (`throttle`).

- `models`: the link and the counter of unknown tokens;
- `services`: make, revoke, resolve, list, record a view, sweep (add and flush, never
  commit);
- `throttle`: unknown tokens counted per client address, across workers;
- `redact`: the token out of every log line that carries a shared path;
- `pages`: what a shared page may show (pure).
"""
