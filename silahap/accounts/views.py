from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import AuthenticationForm
from django.db import connection
from django.db.utils import DatabaseError
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django.views.i18n import set_language as django_set_language

from silahap.accounts.forms_login import LoginForm
from silahap.accounts.middleware import SESSION_ENDED


# Django's reset-confirmation pages are the admin's, titled like the admin site.
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


set_language = login_not_required(django_set_language)


SERVICE_WORKER = settings.BASE_DIR / "static" / "js" / "sw.js"


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
