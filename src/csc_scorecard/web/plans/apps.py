from django.apps import AppConfig


class PlansPagesConfig(AppConfig):
    name = "csc_scorecard.web.plans"
    label = "webplans"  # "plans" is the models' app (csc_scorecard.plans)
    verbose_name = "Plans pages"
