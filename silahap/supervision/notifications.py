"""Notifications: delivery in the app and by email, once per (kind, object, day).

Write services record business events on the spine (silahap.events); supervision's subscribers
(silahap.supervision.subscribers) run after the commit in the task worker, decide who is told and
deliver through `deliver()`.
"""

from __future__ import annotations

import datetime
import logging
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, models, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from silahap.accounts.models import User
from silahap.supervision.models import Notification, NotificationKind

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

logger = logging.getLogger(__name__)

TEXTS: dict[str, StrOrPromise] = {
    NotificationKind.REPORT_SUBMITTED: _("%(officer)s submitted the daily report of %(date)s."),
    NotificationKind.REPORT_RETURNED: _("Your daily report of %(date)s was returned: %(reason)s"),
    NotificationKind.REPORT_APPROVED: _("Your daily report of %(date)s was approved."),
    NotificationKind.TASK_ASSIGNED: _(
        "New task under warrant %(warrant)s, due %(due)s: %(target)s"
    ),
    NotificationKind.STEP_DUE: _("Follow-up #%(followup)s: %(step)s is due today."),
    NotificationKind.STEP_OVERDUE: _("Follow-up #%(followup)s: %(step)s is overdue since %(due)s."),
    NotificationKind.REPORT_MISSING: _(
        "Your daily report of %(date)s has not been submitted and the deadline has passed."
    ),
    NotificationKind.REPORTS_MISSING_UNIT: _(
        "%(count)s daily reports of %(date)s are missing: %(names)s"
    ),
    NotificationKind.PERMIT_WARNINGS: _(
        "%(expiring)s stay permits expire within 30 days and %(overstay)s foreigners have "
        "overstayed in %(office)s."
    ),
    NotificationKind.UNUSUAL_ACCESS: _("%(user)s viewed %(count)s person records within one hour."),
    NotificationKind.ACCESS_GRANTED: _("%(actor)s gave %(user)s the role %(role)s in %(unit)s."),
    NotificationKind.IMPORT_FINISHED: _(
        "Import of %(file)s finished: %(created)s created, %(updated)s updated, "
        "%(refused)s rows refused."
    ),
    NotificationKind.DIRECTION_URGENT: _("Urgent direction from %(sender)s: %(excerpt)s"),
    NotificationKind.DIRECTION_REMINDER: _(
        "Please read the direction from %(sender)s: %(excerpt)s"
    ),
    NotificationKind.WEBHOOK_DISABLED: _(
        "Webhooks of the API client %(client)s are no longer sent: every delivery failed for "
        "more than 24 hours. Fix the receiver, then enable the subscription again."
    ),
    NotificationKind.TRAINING_REMINDER: _(
        "%(sender)s reminds you of required SOPs and tutorials not yet completed: %(items)s"
    ),
}


def text(notification: Notification) -> str:
    template = TEXTS.get(notification.kind)
    if template is None:
        return notification.get_kind_display()
    try:
        return str(template) % notification.params
    except (KeyError, TypeError, ValueError):
        return notification.get_kind_display()


def deliver(
    *,
    recipient: User,
    kind: str,
    target: models.Model,
    day: datetime.date,
    params: dict | None = None,
    url: str = "",
) -> Notification | None:
    """Put a notification in the recipient's bell and mail it; None when it was already sent."""
    if not recipient.is_active:
        return None
    try:
        with transaction.atomic():
            notification = Notification.objects.create(
                recipient=recipient,
                kind=kind,
                object_type=target._meta.label_lower,
                object_id=str(target.pk),
                day=day,
                params=params or {},
                url=url,
            )
    except IntegrityError:
        return None  # sent already: once per (kind, object, day)
    if recipient.email:
        with translation.override(settings.LANGUAGE_CODE):
            body = text(notification)
            if url:
                body += f"\n\n{settings.SILAHAP_SITE_URL.rstrip('/')}{url}"
            subject = f"SiLAHAP: {notification.get_kind_display()}"
        try:
            send_mail(subject, body, None, [recipient.email])
        except OSError:
            # The bell still has it; a mail server outage must not lose the in-app notification.
            logger.warning("notification %s: mail to %s failed", notification.pk, recipient.pk)
        else:
            Notification.objects.filter(pk=notification.pk).update(emailed_at=timezone.now())
    return notification
