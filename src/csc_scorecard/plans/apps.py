from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "csc_scorecard.plans"
    label = "plans"
    verbose_name = "Improvement plans"
    default_auto_field = "django.db.models.BigAutoField"
