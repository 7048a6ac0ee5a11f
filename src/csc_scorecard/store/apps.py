from django.apps import AppConfig


class StoreConfig(AppConfig):
    name = "csc_scorecard.store"
    label = "store"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = "Case store"
