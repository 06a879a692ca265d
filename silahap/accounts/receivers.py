"""Start a new login's idle and absolute clocks, whether by the login page or force_login."""

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from silahap.accounts.middleware import SessionTimeoutMiddleware


@receiver(user_logged_in, dispatch_uid="session_clocks_start")
def session_clocks_start(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        SessionTimeoutMiddleware.start(request.session)
