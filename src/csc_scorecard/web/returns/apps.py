from django.apps import AppConfig


class ReturnsPagesConfig(AppConfig):
    name = "csc_scorecard.web.returns"
    label = "webreturns"
    verbose_name = "Returns pages"
