from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "silahap.accounts"
    label = "accounts"
