"""Reading the idempotency key a page rendered, as a browser would send it back."""

from __future__ import annotations

import re

KEY = re.compile(r'name="(?:[\w-]+-)?client_id" value="([0-9a-f-]{36})"')


def page_key(response) -> str:
    """The client_id the page's create form carries (the first one on the page)."""
    match = KEY.search(response.content.decode())
    assert match, "the page has no client_id field"
    return match.group(1)
