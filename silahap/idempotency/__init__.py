"""One record per intent: the key a page or an API client sends with a create, so that a double
tap, a retry or the outbox's resend finds the first record instead of making another.

Plumbing: it knows no domain. See docs/idempotency.md for how a create uses it.
"""
