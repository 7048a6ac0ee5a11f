from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "csc_scorecard.reporting"
    label = "reporting"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = "Reports and commentary"
