"""Every named route of the URL configuration, namespaced as reverse() takes them."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, get_resolver


def named_routes(resolver=None, namespace: str = "") -> set[str]:
    names: set[str] = set()
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            names |= named_routes(entry, inner)
        elif isinstance(entry, URLPattern):
            if namespace.startswith("admin:") and entry.name is None:
                continue  # Django admin's redirect of bare object ids; covered with the admin
            assert entry.name, f"unnamed URL pattern {entry.pattern}: name it and give it a row"
            names.add(f"{namespace}{entry.name}")
    return names
