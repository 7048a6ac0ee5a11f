from django.apps import AppConfig


class ScrutinyConfig(AppConfig):
    name = "csc_scorecard.scrutiny"
    label = "scrutiny"
    verbose_name = "Scrutiny committees"
    default_auto_field = "django.db.models.BigAutoField"
