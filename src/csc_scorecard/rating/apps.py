from django.apps import AppConfig


class RatingConfig(AppConfig):
    name = "csc_scorecard.rating"
    label = "rating"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = "Targets and ratings"
