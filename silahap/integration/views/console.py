"""The console where administrators register API clients and leaders approve their scope;
tokens and webhook secrets are shown once, on the page that made them."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from silahap.accounts import access
from silahap.integration.forms import ClientForm, SubscriptionForm, TokenForm
from silahap.integration.models import ApiClient, ApiToken, WebhookDelivery, WebhookSubscription
from silahap.integration.services import clients as client_services
from silahap.integration.services import webhooks as webhook_services

DELIVERIES_SHOWN = 100


def _require_console(user) -> None:
    if not (
        user.is_superuser
        or access.administered_units(user)
        or access.units_with_role(user, [access.Role.LEADER])
    ):
        raise PermissionDenied("administrators and leaders only")


def _apply_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def _clients(user):
    return ApiClient.objects.visible_to(user).select_related("unit", "approved_by")


@require_http_methods(["GET", "POST"])
def client_list(request):
    """The clients an administrator registered or a leader may approve; the register form."""
    _require_console(request.user)
    may_register = request.user.is_superuser or bool(access.administered_units(request.user))
    form = ClientForm(request.POST or None, user=request.user) if may_register else None
    status = 200
    if request.method == "POST":
        if form is None:
            raise PermissionDenied("administrators only")
        if form.is_valid():
            data = form.cleaned_data
            try:
                client = client_services.api_client_register(
                    by=request.user,
                    name=data["name"],
                    unit=data["unit"],
                    resources=data["resources"],
                    access_level=data["access"],
                    contact_email=data["contact_email"],
                    requests_per_minute=data["requests_per_minute"],
                )
            except ValidationError as error:
                _apply_errors(form, error)
            else:
                messages.success(request, _("The client was registered."))
                return redirect("integration:client_detail", pk=client.pk)
        status = 422
    return render(
        request,
        "integration/client_list.html",
        {"clients": list(_clients(request.user)), "form": form},
        status=status,
    )


def _detail(request, client, *, status=200, **extra):
    subscriptions = list(client.subscriptions.all())
    tokens = list(client.tokens.all())
    context = {
        "client": client,
        "tokens": tokens,
        "subscriptions": subscriptions,
        "may_manage": access.can(request.user, "manage", client),
        "may_approve": access.can(request.user, "approve", client)
        and client.needs_approval
        and client.approved_at is None
        and not client.is_revoked,
        "token_form": TokenForm(),
        "subscription_form": SubscriptionForm(),
        **extra,
    }
    return render(request, "integration/client_detail.html", context, status=status)


@require_GET
def client_detail(request, pk: int):
    client = get_object_or_404(_clients(request.user), pk=pk)
    return _detail(request, client)


@require_POST
def client_approve(request, pk: int):
    client = get_object_or_404(_clients(request.user), pk=pk)
    client_services.api_client_approve(by=request.user, client=client)
    messages.success(request, _("The client's scope was approved."))
    return redirect("integration:client_detail", pk=client.pk)


@require_POST
def client_revoke(request, pk: int):
    client = get_object_or_404(_clients(request.user), pk=pk)
    client_services.api_client_revoke(by=request.user, client=client)
    messages.success(request, _("The client and all its tokens were revoked."))
    return redirect("integration:client_detail", pk=client.pk)


@require_POST
def token_issue(request, pk: int):
    """The token is in this answer only: not stored, not in a message, not in a redirect."""
    client = get_object_or_404(_clients(request.user), pk=pk)
    form = TokenForm(request.POST)
    if not form.is_valid():
        return _detail(request, client, status=422, token_form=form)
    try:
        issued = client_services.api_token_issue(
            by=request.user, client=client, valid_days=form.cleaned_data["valid_days"]
        )
    except ValidationError as error:
        _apply_errors(form, error)
        return _detail(request, client, status=422, token_form=form)
    return _detail(request, client, new_token=issued.raw)


@require_POST
def token_revoke(request, pk: int):
    token = get_object_or_404(
        ApiToken.objects.filter(client__in=_clients(request.user)).select_related("client"), pk=pk
    )
    client_services.api_token_revoke(by=request.user, token=token)
    messages.success(request, _("The token was revoked."))
    return redirect("integration:client_detail", pk=token.client_id)


@require_POST
def subscription_create(request, pk: int):
    client = get_object_or_404(_clients(request.user), pk=pk)
    form = SubscriptionForm(request.POST)
    if form.is_valid():
        try:
            new = webhook_services.webhook_subscribe(
                by=request.user, client=client, **form.cleaned_data
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            return _detail(
                request, client, new_secret=new.secret, new_subscription=new.subscription
            )
    return _detail(request, client, status=422, subscription_form=form)


def _subscriptions(user):
    return WebhookSubscription.objects.filter(client__in=_clients(user)).select_related("client")


@require_GET
def subscription_detail(request, pk: int):
    """The delivery log: every attempt's status code, latency and the receiver's first words."""
    subscription = get_object_or_404(_subscriptions(request.user), pk=pk)
    deliveries = list(
        subscription.deliveries.order_by("-id").prefetch_related(Prefetch("tries"))[
            :DELIVERIES_SHOWN
        ]
    )
    return render(
        request,
        "integration/subscription_detail.html",
        {
            "subscription": subscription,
            "deliveries": deliveries,
            "may_manage": access.can(request.user, "manage", subscription.client),
        },
    )


@require_POST
def subscription_enable(request, pk: int):
    subscription = get_object_or_404(_subscriptions(request.user), pk=pk)
    try:
        webhook_services.webhook_subscription_enable(by=request.user, subscription=subscription)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The subscription sends again."))
    return redirect("integration:subscription_detail", pk=subscription.pk)


@require_POST
def delivery_resend(request, pk: int):
    delivery = get_object_or_404(
        WebhookDelivery.objects.filter(
            subscription__in=_subscriptions(request.user)
        ).select_related("subscription__client"),
        pk=pk,
    )
    try:
        webhook_services.webhook_delivery_resend(by=request.user, delivery=delivery)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The delivery will be sent again in a moment."))
    return redirect("integration:subscription_detail", pk=delivery.subscription_id)
