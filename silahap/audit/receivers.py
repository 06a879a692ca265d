"""Logins, logouts and failed logins happen inside Django's auth; its signals are the only hook."""

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest

from silahap.audit import services as audit


@receiver(user_logged_in, dispatch_uid="audit_login")
def audit_login(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    audit.record(action="auth.login", actor=user, target=user)


@receiver(user_logged_out, dispatch_uid="audit_logout")
def audit_logout(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if user is not None:
        audit.record(action="auth.logout", actor=user, target=user)


@receiver(user_login_failed, dispatch_uid="audit_login_failed")
def audit_login_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    # Only the username is kept: never the password that was tried.
    audit.record(
        action="auth.login_failed",
        summary={"username": str(credentials.get("username", ""))[:150]},
    )
