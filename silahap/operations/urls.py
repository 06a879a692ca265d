from django.urls import path  # noqa: F401 — the app's pages are added here

app_name = "operations"

urlpatterns: list = []
