"""A replica that fails in the middle of a heavy page's request (restarted since the last health
check: "not yet accepting connections") costs the person nothing: the page is answered again from
the primary, through Django's whole middleware stack, where a view's exception has already become
a 500 response before it reaches the replica's middleware (make soak found the 500s)."""

from __future__ import annotations

import pytest
from django.contrib.auth.decorators import login_not_required
from django.db.utils import OperationalError
from django.http import HttpResponse
from django.test import Client
from django.urls import path

from silahap import replica

reads: list[bool] = []


@login_not_required
def heavy_page(request):
    reads.append(replica._reading_replica.get())
    if replica._reading_replica.get():
        raise OperationalError("the database system is not yet accepting connections")
    return HttpResponse("from the primary")


urlpatterns = [path("insights/heavy/", heavy_page)]


class ReplicaConnection:
    def close(self) -> None:
        pass


@pytest.mark.urls(__name__)
@pytest.mark.django_db
def test_a_replica_failing_mid_request_is_answered_again_from_the_primary(monkeypatch):
    monkeypatch.setattr(replica, "configured", lambda: True)
    monkeypatch.setattr(replica.ReplicaMiddleware, "_wants_replica", lambda self, request: True)
    monkeypatch.setattr(replica, "connections", {replica.REPLICA: ReplicaConnection()})
    monkeypatch.setattr(replica, "_health", {"checked": 0.0, "usable": True, "state": "ok"})
    reads.clear()

    response = Client(raise_request_exception=False).get("/insights/heavy/")

    assert response.status_code == 200
    assert response.content == b"from the primary"
    assert reads == [True, False]  # the replica first, then the primary once
    assert replica._health["state"] == "down (OperationalError)"
