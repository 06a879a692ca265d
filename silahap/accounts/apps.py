from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "silahap.accounts"
    label = "accounts"

    def ready(self):
        from silahap.accounts import receivers, rules  # noqa: F401, PLC0415 — signals and access rules, once models load
