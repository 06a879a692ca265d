"""Which pages the service worker may keep on the phone: one rule, in one place.

A page is kept only when its view is marked a field screen (`field_screen`, in the urls) and
the signed-in person is a field officer and nothing more: officers see only their own reports,
so every field screen they open is their own; a leader, analyst, administrator or partner reads
other people's records and none of their pages is ever kept. Registry, person, audit, PDP,
review and admin pages are never marked. The answer travels in one response header that
static/js/sw.js obeys.

Every response also names the session it was made for (an opaque token, "none" when signed
out) and when that session ends; the service worker drops the kept pages of any other session:
after a logout in another tab, a password change, a timeout or another person's login. The
outbox entries on the phone carry the owner's key (`user_key`) and are sent only while that
person is signed in.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.utils.crypto import salted_hmac

from silahap.accounts import access
from silahap.accounts.middleware import LOGIN_AT, SEEN_AT

KEEP_HEADER = "X-Silahap-Offline"
SESSION_HEADER = "X-Silahap-Session"
ENDS_HEADER = "X-Silahap-Session-Ends"
SIGNED_OUT = "none"


def field_screen(view):
    """Mark a view whose page an officer may reopen without a signal (their own field work)."""
    view.offline_field_screen = True
    return view


def user_key(user) -> str:
    """A stable, opaque name for the person on this phone (never their id or username)."""
    return salted_hmac("silahap.offline.user", str(user.pk)).hexdigest()[:20]


def session_token(request) -> str:
    key = request.session.session_key if request.user.is_authenticated else None
    if not key:
        return SIGNED_OUT
    return salted_hmac("silahap.offline.session", key).hexdigest()[:20]


def may_keep(request, response) -> bool:
    """The rule: a marked field screen, a 200 answer to a GET, for someone only an officer."""
    if not getattr(request, "offline_field_screen", False):
        return False
    if request.method != "GET" or response.status_code != 200:
        return False
    user = request.user
    return user.is_authenticated and access.roles_of(user) == {"officer"}


def session_ends(request) -> int | None:
    """When this session ends by the clocks of SessionTimeoutMiddleware (epoch seconds)."""
    if not request.user.is_authenticated:
        return None
    now = int(time.time())
    login_at = request.session.get(LOGIN_AT, now)
    seen_at = request.session.get(SEEN_AT, login_at)
    return min(
        login_at + settings.SESSION_COOKIE_AGE, seen_at + settings.SILAHAP_SESSION_IDLE_SECONDS
    )


class OfflineMiddleware:
    """Name the session on every response and mark the pages the phone may keep."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response[SESSION_HEADER] = session_token(request)
        ends = session_ends(request)
        if ends is not None:
            response[ENDS_HEADER] = str(ends)
        if may_keep(request, response):
            response[KEEP_HEADER] = "keep"
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        request.offline_field_screen = getattr(view_func, "offline_field_screen", False)


def context(request):
    """The signed-in person's key for the outbox (static/js/outbox.js)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"offline_user_key": user_key(user)}
