from django.apps import AppConfig


class ReportsPagesConfig(AppConfig):
    name = "csc_scorecard.web.reports"
    label = "webreports"
    verbose_name = "Reports pages"
