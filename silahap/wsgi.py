import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "silahap.settings")
application = get_wsgi_application()

from silahap.deploy import settle_served_process  # noqa: E402 — needs the settings loaded

settle_served_process()
