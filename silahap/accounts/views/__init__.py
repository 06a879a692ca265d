import os

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import AuthenticationForm
from django.core.cache import caches
from django.core.files.storage import default_storage
from django.db import connection
from django.db.utils import DatabaseError
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django.views.i18n import set_language as django_set_language

from silahap import replica
from silahap.accounts.forms.login import LoginForm
from silahap.accounts.middleware import SESSION_ENDED


@login_not_required
@require_GET
@never_cache
def healthz(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return HttpResponse("database unavailable\n", status=503, content_type="text/plain")
    return HttpResponse("ok\n", content_type="text/plain")


def _database_ready() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _cache_ready() -> None:
    key = "silahap:readyz"
    ping = getattr(caches["default"], "ping", None)
    if ping is not None:
        ping()  # Redis: its own error, not the miss the degrading cache would turn it into
    caches["default"].set(key, "1", timeout=10)
    if caches["default"].get(key) != "1":
        raise OSError("the cache did not keep a value")


def _storage_ready() -> None:
    default_storage.exists("readyz")
    location = getattr(default_storage, "location", None)
    if location is not None and not os.access(location, os.W_OK):
        raise OSError("the file store is not writable")


READINESS = {"database": _database_ready, "cache": _cache_ready, "storage": _storage_ready}


@login_not_required
@require_GET
@never_cache
def readyz(request):
    """Whether this node can serve: each dependency checked, 503 naming the ones that are down.

    /healthz stays the liveness check (the process answers); a balancer sends traffic only to
    nodes whose /readyz answers 200."""
    states = {}
    for name, check in READINESS.items():
        try:
            check()
        except Exception as error:  # noqa: BLE001 — any failure of a dependency is "down"
            states[name] = f"down ({type(error).__name__})"
        else:
            states[name] = "ok"
    ready = all(state == "ok" for state in states.values())
    if replica.configured():
        # Reported, not required: without the replica the primary answers every read.
        states["replica"] = replica.replica_state(force=True)[1]
    return JsonResponse(states, status=200 if ready else 503)


set_language = login_not_required(django_set_language)


SERVICE_WORKER = settings.BASE_DIR / "static" / "js" / "sw.js"
ICON = settings.BASE_DIR / "static" / "img" / "favicon.svg"


@login_not_required
@require_GET
def offline_shell(request):
    """What the phone shows for a page it may not keep when there is no signal: no personal
    data, the same for everyone; the service worker stores it when it starts."""
    response = render(request, "accounts/offline.html")
    response["Cache-Control"] = "no-cache"
    return response


@login_not_required
@require_GET
def favicon(request):
    """The site icon where browsers look first on a cold start and for files that are not pages
    (PDFs, JSON), which carry no <link rel=icon>: a 404 there filled every log."""
    response = HttpResponse(ICON.read_bytes(), content_type="image/svg+xml")
    response["Cache-Control"] = "public, max-age=86400"
    return response


@login_not_required
@require_GET
def service_worker(request):
    """The service worker must be served from the site root to control every page."""
    response = HttpResponse(SERVICE_WORKER.read_bytes(), content_type="text/javascript")
    response["Service-Worker-Allowed"] = "/"
    response["Cache-Control"] = "no-cache"
    return response


class LoginView(auth_views.LoginView):
    """Django's login (it passes `request` to authenticate, which django-axes needs), saying why
    the last session ended when the timeout ended it."""

    template_name = "accounts/login.html"
    redirect_authenticated_user = True
    authentication_form = LoginForm

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["session_ended"] = self.request.session.pop(SESSION_ENDED, "")
        return context


LOCKED_OUT_STATUS = 429


def login_locked_out(request, original_response=None, credentials=None):
    """django-axes' answer once a username and address have failed too often: the login page
    with the lockout message, the same for an existing and an unknown username."""
    username = (credentials or {}).get("username", "")
    form = AuthenticationForm(request, initial={"username": username})
    context = {
        "form": form,
        "locked_out": True,
        "cooloff_minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
        "next": request.POST.get("next", request.GET.get("next", "")),
    }
    return render(request, "accounts/login.html", context, status=LOCKED_OUT_STATUS)
