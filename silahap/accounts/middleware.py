import time
import zoneinfo
from functools import partial

from django.conf import settings
from django.contrib.auth import SESSION_KEY, logout
from django.contrib.auth.views import redirect_to_login
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone, translation
from django.utils.functional import SimpleLazyObject
from django.utils.http import urlencode
from django_otp import DEVICE_ID_SESSION_KEY

from silahap.accounts import access, otp
from silahap.audit import services as audit

SUPPORTED = {code for code, _name in settings.LANGUAGES}


class LanguageMiddleware:
    """Indonesian unless the user chose English; a browser's Accept-Language is ignored on purpose,
    because officers' phones are often set to English while the office works in Indonesian."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen in SUPPORTED else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        translation.deactivate()
        return response


class ActiveAccountMiddleware:
    """Refuse the next request of an account that was deactivated or has expired since login."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and (not user.is_active or user.is_expired()):
            logout(request)
            return redirect(settings.LOGIN_URL)
        if not user.is_authenticated and SESSION_KEY in request.session:
            # Django's backend already refuses an inactive account; end its session too, so that
            # reactivating the account does not bring an old session back.
            request.session.flush()
        return self.get_response(request)


LOGIN_AT = "silahap_login_at"
SEEN_AT = "silahap_seen_at"
SESSION_ENDED = "silahap_session_ended"
# Requests a page sends by itself (the live board's polls) carry this header: they do not
# count as the person's activity, so a board left open still ends at the idle timeout.
POLL_HEADER = "X-Silahap-Poll"
SESSION_ZONE = "silahap_zone"
# Last activity is written at most this often, so a busy session is not saved on every request.
SEEN_AT_RESOLUTION = 30


def _sent_by_script(request) -> bool:
    return request.headers.get(POLL_HEADER) == "1" or request.headers.get("X-Outbox") == "1"


class SessionTimeoutMiddleware:
    """End a session after SILAHAP_SESSION_IDLE_SECONDS without the person's own requests, and
    SESSION_COOKIE_AGE after login however busy it was (saving the session renews its expiry)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.user.is_authenticated:
            return self.get_response(request)
        session = request.session
        now = int(time.time())
        polled = request.headers.get(POLL_HEADER) == "1"
        # Stamped at login (accounts.receivers); a session from before this rule starts now.
        login_at = session.get(LOGIN_AT, now)
        if LOGIN_AT not in session and not polled:
            session[LOGIN_AT] = now
        seen_at = session.get(SEEN_AT, login_at)
        if now - login_at >= settings.SESSION_COOKIE_AGE:
            return self._end(request, "absolute")
        if now - seen_at >= settings.SILAHAP_SESSION_IDLE_SECONDS:
            return self._end(request, "idle")
        if not polled and (SEEN_AT not in session or now - seen_at >= SEEN_AT_RESOLUTION):
            session[SEEN_AT] = now
        return self.get_response(request)

    @staticmethod
    def start(session) -> None:
        """Stamp a new login: both clocks start now."""
        now = int(time.time())
        session[LOGIN_AT] = now
        session[SEEN_AT] = now

    def _end(self, request, reason: str):

        audit.record(
            action="auth.session_ended",
            actor=request.user,
            target=request.user,
            summary={"reason": reason},
        )
        logout(request)
        request.session[SESSION_ENDED] = reason
        login_url = redirect_to_login(request.get_full_path())["Location"]
        if _sent_by_script(request):
            # A script must not follow a redirect to the login page and take it for success:
            # the phone's outbox keeps its entry until the person has logged in again.
            return JsonResponse({"login": login_url}, status=401)
        return redirect(login_url)


class NoStoreMiddleware:
    """Pages shown to a signed-in person hold personal data: no browser or proxy may keep them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.user.is_authenticated and "Cache-Control" not in response:
            response["Cache-Control"] = "no-store"
        return response


class OfficeTimezoneMiddleware:
    """Show and read times in the user's own office zone (WIB, WITA or WIT); storage stays UTC."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        zone = self._zone(request) if request.user.is_authenticated else ""
        if not zone:
            return self.get_response(request)
        with timezone.override(zoneinfo.ZoneInfo(zone)):
            return self.get_response(request)

    @staticmethod
    def _zone(request) -> str:
        """The office zone, kept in the session for the day so a poll costs no membership query;
        memberships change by the day, so a transfer shows from the next day on."""
        kept = request.session.get(SESSION_ZONE)
        if kept and kept[1] == timezone.localdate().isoformat():
            return kept[0]
        if request.headers.get(POLL_HEADER) == "1":
            return OfficeTimezoneMiddleware.office_zone(request.user)
        return OfficeTimezoneMiddleware.remember(request.session, request.user)

    @staticmethod
    def office_zone(user) -> str:

        memberships = access.current_memberships(user)
        office = next((m.unit.office for m in memberships if m.unit.office_id), None)
        return office.zone.key if office is not None else ""

    @staticmethod
    def remember(session, user) -> str:
        """Keep the user's office zone for today in the session (at login, then daily)."""
        zone = OfficeTimezoneMiddleware.office_zone(user)
        session[SESSION_ZONE] = [zone, timezone.localdate().isoformat()]
        return zone


class OutboxRedirectMiddleware:
    """A write sent by the phone's outbox (X-Outbox: 1) gets its redirect as JSON, so the phone
    loads the next page once instead of fetching it twice (by the redirect, then to show it)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.headers.get("X-Outbox") == "1" and response.status_code in (301, 302, 303):
            return JsonResponse({"redirect": response["Location"]})
        return response


# What a session that still owes its second factor may reach (static files never get here).
SECOND_FACTOR_OPEN = {
    "login",
    "logout",
    "healthz",
    "service_worker",
    "set_language",
    "otp_verify",
    "otp_enrol",
}


class VerifiedSessionMiddleware:
    """Give request.user django-otp's is_verified() from the session alone.

    django-otp's own middleware loads the device on every request, a query a poll cannot afford.
    The session's device id is written only by the code step, under a fresh session id, and a
    device reset ends the account's sessions (User.session_epoch), so it can be trusted as is."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.user = SimpleLazyObject(partial(self._mark, request, request.user))
        return self.get_response(request)

    @staticmethod
    def _mark(request, user):

        session = request.session
        user.otp_device = None
        user.is_verified = lambda: (
            user.is_authenticated and bool(session.get(DEVICE_ID_SESSION_KEY))
        )
        return user


class SecondFactorMiddleware:
    """Until the session has passed its second factor, a person who needs one (by role, or because
    they enrolled) reaches only the code or enrolment page, logout, the language switch and the
    health check; everything else sends them there, scripts getting 401 as on a timeout."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):

        user = request.user
        if not otp.needs_code(user, request.session):
            return self.get_response(request)
        if request.path_info.startswith(settings.STATIC_URL):
            return self.get_response(request)
        try:
            name = resolve(request.path_info).url_name
        except Resolver404:
            name = None
        if name in SECOND_FACTOR_OPEN:
            return self.get_response(request)
        target = reverse("otp_verify" if otp.totp_device(user) else "otp_enrol")
        if request.method == "GET":
            target = f"{target}?{urlencode({'next': request.get_full_path()})}"
        if _sent_by_script(request):
            return JsonResponse({"login": target}, status=401)
        return redirect(target)
