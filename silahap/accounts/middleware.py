from django.conf import settings
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.utils import timezone, translation

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
        return self.get_response(request)


class OfficeTimezoneMiddleware:
    """Show and read times in the user's own office zone (WIB, WITA or WIT); storage stays UTC."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from silahap.accounts import access

        memberships = (
            access.current_memberships(request.user) if request.user.is_authenticated else []
        )
        office = next((m.unit.office for m in memberships if m.unit.office_id), None)
        if office is None:
            return self.get_response(request)
        with timezone.override(office.zone):
            return self.get_response(request)


class OutboxRedirectMiddleware:
    """A write sent by the phone's outbox (X-Outbox: 1) gets its redirect as JSON, so the phone
    loads the next page once instead of fetching it twice (by the redirect, then to show it)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.headers.get("X-Outbox") == "1" and response.status_code in (301, 302, 303):
            from django.http import JsonResponse

            return JsonResponse({"redirect": response["Location"]})
        return response
