from django.apps import AppConfig


class InspectionConfig(AppConfig):
    name = "csc_scorecard.inspection"
    label = "inspection"
    verbose_name = "Inspections and self-evaluation"
    default_auto_field = "django.db.models.BigAutoField"
