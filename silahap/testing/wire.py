"""Bytes as the phone receives them: a live server answering as `make run` does, and Chromium's
own count of what came over the wire (encodedDataLength: compressed, headers included, nothing
for what came from its cache). Shared by the page-byte walk and the field-speed run."""

from __future__ import annotations

import threading

from django.core.handlers.wsgi import WSGIHandler
from django.core.management import call_command
from django.db import connection


def one_request_at_a_time(app):
    """The app behind a lock. With SQLite the test database lives in memory and the live
    server's threads share its one connection, so two requests at once interleave their
    transactions on it (two audit events taking one sequence number, a savepoint released under
    another thread's open cursor); a deployment has a connection per thread. What a response
    streams afterwards runs outside the lock."""
    lock = threading.Lock()

    def serialised(environ, start_response):
        with lock:
            return app(environ, start_response)

    return serialised


def serve_as_run(live_server, settings, tmp_path, *, everything: bool = False):
    """Point the live server at collected, compressed static files (settings.STATIC_COLLECTED);
    returns a function that puts it back."""
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "silahap.compression.CollectedStaticStorage"},
    }
    settings.WHITENOISE_USE_FINDERS = False
    settings.WHITENOISE_AUTOREFRESH = False
    # The field screens use only the site's own files; a walk of every role collects everything.
    others = [] if everything else ["admin", "rest_framework", "drf_spectacular*", "flags"]
    call_command("collectstatic", interactive=False, verbosity=0, ignore_patterns=others)
    server = live_server.thread.httpd
    original = server.get_app()
    handler = WSGIHandler()  # WhiteNoise reads the collected files, as in production
    server.set_app(one_request_at_a_time(handler) if connection.vendor == "sqlite" else handler)
    return lambda: server.set_app(original)


class Wire:
    """What each request cost on the wire, from Chromium's own network accounting."""

    def __init__(self, page):
        self.page = page
        self.urls: dict[str, str] = {}
        self.sizes: dict[str, int] = {}
        cdp = page.context.new_cdp_session(page)
        cdp.on("Network.requestWillBeSent", self._sent)
        cdp.on("Network.loadingFinished", self._finished)
        cdp.send("Network.enable")

    def _sent(self, event):
        self.urls[event["requestId"]] = event["request"]["url"]

    def _finished(self, event):
        self.sizes[event["requestId"]] = int(event["encodedDataLength"])

    def take(self) -> tuple[int, list[str]]:
        self.page.evaluate("() => 1")  # lets the last network events in
        total = sum(self.sizes.values())
        fetched = [self.urls.get(key, "?") for key, size in self.sizes.items() if size > 0]
        self.urls, self.sizes = {}, {}
        return total, fetched
