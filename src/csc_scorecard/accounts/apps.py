from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "csc_scorecard.accounts"
    label = "accounts"
    verbose_name = "Accounts"
