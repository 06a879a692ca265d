"""Second-factor pages: status, enrolment with a QR code, the code step, recovery codes, resets."""

from __future__ import annotations

import django_otp
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods

from silahap.accounts import access, otp
from silahap.accounts.forms.otp import CodeForm, EnrolForm
from silahap.accounts.models import User
from silahap.accounts.services import otp as services_otp

THROTTLED_STATUS = 429


def _next_url(request) -> str:
    """Where to go once the code step is done: the page first asked for, if it is ours."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    # A path of ours: redirect() would take anything else for the name of a view (a 500).
    if candidate.startswith("/") and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse("home")


def _with_next(url: str, next_url: str) -> str:
    return f"{url}?{urlencode({'next': next_url})}"


def _verified(request, device) -> None:
    """Mark the session as having passed its second factor, under a new session id: one learnt
    between the password and the code is worth nothing afterwards."""
    request.session.cycle_key()
    django_otp.login(request, device)
    request.session[otp.ENROLLED_SESSION] = True


def _may_administer(user) -> bool:
    return user.is_superuser or bool(access.administered_units(user))


@require_GET
def security(request):
    user = request.user
    device = otp.totp_device(user)
    context = {
        "device": device,
        "enabled": otp.enabled(),
        "required": otp.role_requires(user),
        "codes_left": otp.recovery_codes_left(user) if device else 0,
        "may_administer": _may_administer(user),
    }
    return render(request, "accounts/security.html", context)


@sensitive_post_parameters("code")
@require_http_methods(["GET", "POST"])
def otp_enrol(request):
    user = request.user
    next_url = _next_url(request)
    owes_code = otp.needs_code(user, request.session)
    if otp.totp_device(user) is not None and owes_code:
        # Replacing an authenticator needs the old one first, or a stolen password would do.
        return redirect(_with_next(reverse("otp_verify"), next_url))
    key = request.session.get(otp.PENDING_KEY_SESSION, "")
    form = EnrolForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device, codes = services_otp.otp_device_confirm(
                by=user,
                key=key,
                code=form.cleaned_data["code"],
                session_verified=not owes_code,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            del request.session[otp.PENDING_KEY_SESSION]
            _verified(request, device)
            request.session[otp.NEW_CODES_SESSION] = codes
            messages.success(request, _("Your authenticator app is set up."))
            return redirect(_with_next(reverse("otp_recovery_codes"), next_url))
    if not otp.valid_secret(key):
        key = otp.new_secret()
        request.session[otp.PENDING_KEY_SESSION] = key
    device = otp.pending_device(user, key)
    context = {
        "form": form,
        "qr": otp.qr_data_uri(device),
        "secret": otp.secret_for_typing(key),
        "required": otp.role_requires(user),
        "next": next_url,
    }
    status = 422 if request.method == "POST" else 200
    return render(request, "accounts/otp_enrol.html", context, status=status)


@sensitive_post_parameters("code")
@require_http_methods(["GET", "POST"])
def otp_verify(request):
    user = request.user
    next_url = _next_url(request)
    if not otp.needs_code(user, request.session):
        return redirect(next_url)
    if otp.totp_device(user) is None:
        return redirect(_with_next(reverse("otp_enrol"), next_url))
    form = CodeForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            result = services_otp.otp_token_verify(user=user, code=form.cleaned_data["code"])
            if result.device is not None:
                _verified(request, result.device)
                return redirect(next_url)
            if result.locked_until is not None:
                seconds = max(1, int((result.locked_until - timezone.now()).total_seconds()) + 1)
                form.add_error(
                    "code",
                    _("Too many wrong codes. Wait %(seconds)s seconds and try again.")
                    % {"seconds": seconds},
                )
                status = THROTTLED_STATUS
            else:
                form.add_error("code", _("That code is not right. Try the newest code."))
    context = {"form": form, "next": next_url}
    return render(request, "accounts/otp_verify.html", context, status=status)


@require_http_methods(["GET", "POST"])
def otp_recovery_codes(request):
    """GET shows new recovery codes once; POST replaces them with a new set."""
    if request.method == "POST":
        try:
            codes = services_otp.otp_recovery_codes_regenerate(by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("security")
        request.session[otp.NEW_CODES_SESSION] = codes
        return redirect("otp_recovery_codes")
    codes = request.session.pop(otp.NEW_CODES_SESSION, None)
    if not codes:
        return redirect("security")
    context = {"codes": codes, "next": _next_url(request)}
    return render(request, "accounts/otp_recovery_codes.html", context)


@require_GET
def otp_user_list(request):
    if not _may_administer(request.user):
        raise PermissionDenied("administrators only")
    page = Paginator(otp.users_for_reset(request.user), 50).get_page(request.GET.get("page"))
    return render(request, "accounts/security_users.html", {"page": page})


@require_http_methods(["GET", "POST"])
def otp_device_reset(request, pk: int):
    target = get_object_or_404(User.objects.visible_to(request.user), pk=pk)
    if not access.can(request.user, "otp_device_reset", target):
        raise PermissionDenied("only an administrator of the user's office may reset")
    if request.method == "POST":
        services_otp.otp_device_reset(by=request.user, user=target)
        messages.success(
            request,
            _("The second factor of %(name)s was reset. They set it up again at their next login.")
            % {"name": target},
        )
        return redirect("otp_user_list")
    context = {"target": target, "has_device": otp.totp_device(target) is not None}
    return render(request, "accounts/otp_reset.html", context)
