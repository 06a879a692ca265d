"""The admin site's URLs with hostile values, as the office administrator who may open it: no
500, no request over 3 s, a bounded number of queries (issue 23). What each admin URL reads
follows from its kind (list, add, change, …) and, for forms, the model's editable fields; a
kind of admin URL not known here fails the first test.
"""

from __future__ import annotations

import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from silahap.admin_site import admin_site
from silahap.testing.hostile import HOSTILE, MOST_QUERIES, SLOWEST_SECONDS, encode, quoted
from silahap.testing.routes import named_routes

LIST = ("q", "p", "o", "all", "_changelist_filters")
# What Django's admin views read, by the last part of the URL name.
BY_KIND: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "changelist": (LIST, ("action", "_selected_action", "index", "select_across")),
    "add": (("_changelist_filters", "_popup", "_to_field"), ("_save", "_continue")),
    "change": (("_changelist_filters", "_popup", "_to_field"), ("_save", "_continue")),
    "delete": (("_changelist_filters",), ("post",)),
    "history": (("p",), ()),
    "index": ((), ()),
    "app_list": ((), ()),
    "login": (("next",), ("username", "password", "next")),
    "logout": ((), ()),
    "password_change": ((), ("old_password", "new_password1", "new_password2")),
    "password_change_done": ((), ()),
    "autocomplete": (("term", "app_label", "model_name", "field_name", "page"), ()),
    "jsi18n": ((), ()),
    "view_on_site": ((), ()),
    "auth_user_password_change": ((), ("password1", "password2", "usable_password")),
    # The reset link sent to the account's own email (issue 23, part 1): a POST, no fields.
    "user_password_reset": ((), ()),
}
SAMPLE = ["huge", "nul", "oversized", "unicode", "non-numeric"]


def _kind(name: str) -> str:
    short = name.removeprefix("admin:")
    if short in BY_KIND:
        return short
    return next((kind for kind in BY_KIND if short.endswith(f"_{kind}")), "")


def _model_admin(name: str):
    short = name.removeprefix("admin:")
    for model, model_admin in admin_site._registry.items():
        if short.startswith(f"{model._meta.app_label}_{model._meta.model_name}_"):
            return model, model_admin
    return None, None


def test_every_admin_url_kind_is_known():
    unknown = sorted(
        name for name in named_routes() if name.startswith("admin:") and not _kind(name)
    )
    assert unknown == [], f"add these admin URL kinds to BY_KIND: {unknown}"


def _fields(model) -> tuple[str, ...]:
    return tuple(
        field.name
        for field in model._meta.get_fields()
        if field.concrete and field.editable and not field.auto_created
    )


def _paths(name: str, kind: str, people) -> list[str]:
    model, _model_admin_ = _model_admin(name)
    if kind in ("change", "delete", "history"):
        record = model._default_manager.order_by("pk").first()
        real = reverse(name, args=[record.pk if record else 1])
        marked = reverse(name, args=["HOSTILE"])
        return [real] + [marked.replace("HOSTILE", quoted(HOSTILE[k])) for k in SAMPLE]
    if kind in ("auth_user_password_change", "user_password_reset"):
        return [reverse(name, args=[people.officer_a.pk])]
    if kind == "app_list":
        # Its converter is a list of app labels: anything else is the resolver's 404.
        return [reverse(name, args=["registry"])]
    if kind == "view_on_site":
        return [reverse(name, args=[1, 1]), reverse(name, args=[quoted(HOSTILE["huge"]), "x"])]
    return [reverse(name)]


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["GET", "POST"])
def test_hostile_values_break_no_admin_page(client, people, method):
    client.raise_request_exception = False
    failures: list[str] = []
    slowest = (0.0, "")
    for name in sorted(n for n in named_routes() if n.startswith("admin:")):
        kind = _kind(name)
        model, _model_admin_ = _model_admin(name)
        get, post = BY_KIND[kind]
        fields = get if method == "GET" else post + (_fields(model) if model else ())
        client.force_login(people.office_admin)
        paths = _paths(name, kind, people)
        requests = [(path, []) for path in paths[1:]]
        requests += [(paths[0], [(field, HOSTILE[k]) for field in fields]) for k in SAMPLE]
        for path, pairs in requests:
            body = encode(pairs)
            with CaptureQueriesContext(connection) as queries:
                start = time.thread_time()
                if method == "GET":
                    response = client.get(f"{path}?{body}" if body else path)
                else:
                    response = client.post(
                        path, body.encode("ascii"), content_type="application/x-www-form-urlencoded"
                    )
                seconds = time.thread_time() - start
            where = f"{method} {name} {path[:80]} {[(f, v[:12]) for f, v in pairs][:3]}"
            if response.status_code >= 500:
                failures.append(f"{response.status_code}: {where}")
            if len(queries.captured_queries) > MOST_QUERIES:
                failures.append(f"{len(queries.captured_queries)} queries: {where}")
            slowest = max(slowest, (seconds, where))
    assert not failures, "\n".join(failures)
    assert slowest[0] < SLOWEST_SECONDS, slowest


@pytest.mark.django_db
def test_admin_search_of_many_words_is_bounded(client, people):
    client.force_login(people.office_admin)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("admin:registry_place_changelist"), {"q": "a " * 3000})
    assert response.status_code == 200
    assert max(len(query["sql"]) for query in queries.captured_queries) < 20_000
