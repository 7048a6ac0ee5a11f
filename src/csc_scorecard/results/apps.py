from django.apps import AppConfig


class ResultsConfig(AppConfig):
    name = "csc_scorecard.results"
    label = "results"
    verbose_name = "Indicator results"
    default_auto_field = "django.db.models.BigAutoField"
