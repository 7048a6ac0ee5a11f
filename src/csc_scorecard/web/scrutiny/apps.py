from django.apps import AppConfig


class ScrutinyPagesConfig(AppConfig):
    name = "csc_scorecard.web.scrutiny"
    label = "webscrutiny"
    verbose_name = "Scrutiny pages"
