"""Metrics for Prometheus at /metrics, for the monitoring server alone.

Request latencies by view come from each process (with gunicorn's several workers, set
PROMETHEUS_MULTIPROC_DIR to an empty folder per node and every worker's samples are summed; bin/
run-prod does). The rest is read from the database at scrape time, so every node reports the
same figures: queue depth, events waiting for dispatch, task failures, webhook failures, audit
events in the last minute.

The path answers 404 unless SILAHAP_METRICS_TOKEN is set and the request carries it
(`Authorization: Bearer …`): no one else learns it exists.
"""

from __future__ import annotations

import datetime
import hmac
import os
import time

from django.apps import apps
from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db.models import Q
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.utils import timezone
from django.views.decorators.cache import never_cache
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily

REQUEST_SECONDS = Histogram(
    "silahap_request_seconds",
    "Time to answer a request, by view (Django's URL name) and status class.",
    ["view", "method", "status"],
    buckets=(0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)


class MetricsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        view = (match.view_name if match else "") or "unresolved"
        REQUEST_SECONDS.labels(
            view=view, method=request.method, status=f"{response.status_code // 100}xx"
        ).observe(time.perf_counter() - started)
        return response


class DatabaseCollector:
    """Figures every node shares, read from the database at each scrape."""

    def collect(self):
        task = apps.get_model("django_tasks_database", "DBTaskResult")
        ready = task.objects.filter(status="READY").count()
        failed = task.objects.filter(status="FAILED").count()
        yield GaugeMetricFamily("silahap_task_queue_depth", "Tasks waiting to run.", value=ready)
        yield CounterMetricFamily(
            "silahap_task_failures", "Tasks that ended in failure (kept results).", value=failed
        )
        # The event spine queues one drain per burst, not a task per event: its backlog is here.
        business = apps.get_model("events", "BusinessEvent")
        yield GaugeMetricFamily(
            "silahap_events_waiting",
            "Business events not yet handled by every subscriber (dispatch backlog).",
            value=business.objects.filter(handled_at__isnull=True).count(),
        )
        if apps.is_installed("silahap.integration"):
            attempt = apps.get_model("integration", "WebhookAttempt")
            delivery = apps.get_model("integration", "WebhookDelivery")
            failed_tries = attempt.objects.filter(
                Q(status_code__isnull=True) | Q(status_code__lt=200) | Q(status_code__gte=300)
            ).count()
            yield CounterMetricFamily(
                "silahap_webhook_attempt_failures",
                "Webhook sends that failed (error or non-2xx).",
                value=failed_tries,
            )
            yield GaugeMetricFamily(
                "silahap_webhook_deliveries_failed",
                "Webhook deliveries given up on.",
                value=delivery.objects.filter(status="failed").count(),
            )
        event = apps.get_model("audit", "AuditEvent")
        since = timezone.now() - datetime.timedelta(minutes=1)
        yield GaugeMetricFamily(
            "silahap_audit_events_last_minute",
            "Audit events recorded in the last minute.",
            value=event.objects.filter(occurred_at__gte=since).count(),
        )


def _registry() -> CollectorRegistry:
    registry = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        multiprocess.MultiProcessCollector(registry)
    else:
        registry.register(REQUEST_SECONDS)
    registry.register(DatabaseCollector())
    return registry


def _allowed(request) -> bool:
    token = settings.SILAHAP_METRICS_TOKEN
    if not token:
        return False
    given = request.headers.get("Authorization", "")
    return hmac.compare_digest(given.encode(), f"Bearer {token}".encode())


@login_not_required
@never_cache
def metrics(request):
    if not _allowed(request):
        raise Http404
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    return HttpResponse(generate_latest(_registry()), content_type=CONTENT_TYPE_LATEST)
