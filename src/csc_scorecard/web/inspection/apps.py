from django.apps import AppConfig


class InspectionPagesConfig(AppConfig):
    name = "csc_scorecard.web.inspection"
    label = "webinspection"
    verbose_name = "Inspection pages"
