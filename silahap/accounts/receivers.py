"""At every login, by the login page or force_login: start the session's idle and absolute clocks,
and keep the office zone for the day and whether the account has an authenticator."""

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from silahap.accounts import otp
from silahap.accounts.middleware import OfficeTimezoneMiddleware, SessionTimeoutMiddleware


@receiver(user_logged_in, dispatch_uid="session_clocks_start")
def session_clocks_start(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        SessionTimeoutMiddleware.start(request.session)
        OfficeTimezoneMiddleware.remember(request.session, user)
        otp.remember_enrolment(request.session, user)
