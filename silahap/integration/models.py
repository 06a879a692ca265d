"""API clients, their tokens, the writes they made once, and their webhook subscriptions."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from silahap.accounts import access
from silahap.accounts.models import OrgUnit
from silahap.idempotency.models import IdempotentModel, once_per_key


class Resource(models.TextChoices):
    """What a client may read; a scope with one of SENSITIVE needs a leader's approval."""

    UNITS = "units", _("Organisation units")
    REPORTS = "reports", _("Daily reports, activities, checks, findings, evidence")
    SUPERVISION = "supervision", _("Follow-ups, warrants and tasks")
    PERSONS = "persons", _("Foreign nationals, documents, permits, sponsors")
    PLACES = "places", _("Places")
    OPERATIONS = "operations", _("Operations and their results")
    METRICS = "metrics", _("Performance metrics of units and officers")
    EVENTS = "events", _("Event feed")


# Reports and persons (and what is derived from reports) are personal data a leader answers for.
# Operations are read by leaders and analysts only (administrators never see them), and metrics
# per officer are an officer's performance: both need a leader's approval too.
SENSITIVE = frozenset(
    {
        Resource.REPORTS,
        Resource.SUPERVISION,
        Resource.PERSONS,
        Resource.OPERATIONS,
        Resource.METRICS,
    }
)


class AccessLevel(models.TextChoices):
    READ = "read", _("Read")
    READ_WRITE = "read_write", _("Read and write (registry persons and permits)")


class ApiClientQuerySet(models.QuerySet):
    def visible_to(self, user) -> ApiClientQuerySet:
        """Administrators see the clients of their subtrees; leaders those they may approve."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        scopes = access.administered_units(user) + access.units_with_role(
            user, [access.Role.LEADER]
        )
        return self.filter(access.subtree_q(scopes))


class ApiClient(models.Model):
    """A system that calls the API (SIMKIM, a DG dashboard...), scoped like a user would be."""

    Access = AccessLevel

    name = models.CharField(_("name"), max_length=120)
    contact_email = models.EmailField(_("contact email"), blank=True)
    # The subtree the client reads, as an analyst of this unit would.
    unit = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="api_clients", verbose_name=_("unit")
    )
    access = models.CharField(
        _("access"), max_length=10, choices=AccessLevel.choices, default=AccessLevel.READ
    )
    resources = models.JSONField(_("resources"), default=list)
    requests_per_minute = models.PositiveIntegerField(_("requests per minute"), default=120)
    # The account the client acts as: audit events, created_by and visible_to name it.
    account = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="api_client"
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    registered_at = models.DateTimeField(auto_now_add=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ApiClientQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("API client")
        verbose_name_plural = _("API clients")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(access__in=AccessLevel.values), name="apiclient_access_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(requests_per_minute__gte=1)
                & models.Q(requests_per_minute__lte=6000),
                name="apiclient_rate_bounded",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def needs_approval(self) -> bool:
        return bool(SENSITIVE & set(self.resources))

    @property
    def is_approved(self) -> bool:
        return not self.needs_approval or self.approved_at is not None

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    def allows(self, resource: str) -> bool:
        """Whether the client may read `resource` now (listed, approved when sensitive)."""
        if self.is_revoked or resource not in self.resources:
            return False
        return resource not in SENSITIVE or self.approved_at is not None

    @property
    def can_write(self) -> bool:
        return self.access == AccessLevel.READ_WRITE


class ApiToken(models.Model):
    """A bearer token of a client: only its SHA-256 is kept; the token is shown once."""

    client = models.ForeignKey(ApiClient, on_delete=models.CASCADE, related_name="tokens")
    # The first characters after the "slh_" mark, to name a token in lists and find it quickly.
    prefix = models.CharField(max_length=12, unique=True)
    digest = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    last_used_ip = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"slh_{self.prefix}…"

    def is_usable(self, now=None) -> bool:
        now = now or timezone.now()
        return self.revoked_at is None and self.expires_at > now


class ApiWrite(IdempotentModel):
    """One write a client made with an Idempotency-Key, and the answer it was given."""

    # Not "client": IdempotentModel's key column is client_id.
    api_client = models.ForeignKey(ApiClient, on_delete=models.CASCADE, related_name="writes")
    method = models.CharField(max_length=8)
    path = models.CharField(max_length=255)
    status_code = models.PositiveSmallIntegerField()
    body = models.JSONField(default=dict)
    # SHA-256 of the method, path and JSON body: the same key with another request is a 422.
    request_hash = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [once_per_key("api_client", name="apiwrite_once_per_key")]

    def __str__(self) -> str:
        return f"{self.method} {self.path} ({self.status_code})"


class WebhookSubscription(models.Model):
    """Deliver a client's chosen event types to a URL, signed with this subscription's secret."""

    client = models.ForeignKey(ApiClient, on_delete=models.CASCADE, related_name="subscriptions")
    url = models.URLField(_("target URL"), max_length=500)
    event_types = models.JSONField(_("event types"), default=list)
    # Standard Webhooks secret ("whsec_" + base64); needed in clear to sign, shown once.
    secret = models.CharField(max_length=100, editable=False)
    is_active = models.BooleanField(_("active"), default=True)
    consecutive_failures = models.PositiveIntegerField(default=0)
    disabled_at = models.DateTimeField(null=True, blank=True)
    disabled_reason = models.CharField(max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("webhook subscription")
        verbose_name_plural = _("webhook subscriptions")

    def __str__(self) -> str:
        return self.url


class WebhookDeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    DELIVERED = "delivered", _("Delivered")
    RETRYING = "retrying", _("Retrying")
    FAILED = "failed", _("Failed")


class WebhookDelivery(models.Model):
    """One event for one subscription: its message id stays the same on every attempt."""

    Status = WebhookDeliveryStatus

    subscription = models.ForeignKey(
        WebhookSubscription, on_delete=models.CASCADE, related_name="deliveries"
    )
    event_id = models.PositiveBigIntegerField()
    message_id = models.CharField(max_length=64, unique=True)
    event_type = models.CharField(max_length=64)
    payload = models.JSONField(default=dict)
    status = models.CharField(
        max_length=10, choices=WebhookDeliveryStatus.choices, default=WebhookDeliveryStatus.PENDING
    )
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-id"]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["subscription", "event_id"], name="webhookdelivery_once_per_event"
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=WebhookDeliveryStatus.values),
                name="webhookdelivery_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event_type} → {self.subscription_id}"


class WebhookAttempt(models.Model):
    """One try at sending a delivery: when, the status code, how long, what the receiver said."""

    delivery = models.ForeignKey(WebhookDelivery, on_delete=models.CASCADE, related_name="tries")
    attempted_at = models.DateTimeField(default=timezone.now)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    latency_ms = models.PositiveIntegerField(default=0)
    error = models.CharField(max_length=300, blank=True)
    response_excerpt = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-attempted_at", "-id"]

    def __str__(self) -> str:
        return f"{self.delivery_id} {self.status_code or self.error}"
