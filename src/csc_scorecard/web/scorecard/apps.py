from django.apps import AppConfig


class ScorecardPagesConfig(AppConfig):
    name = "csc_scorecard.web.scorecard"
    label = "webscorecard"
    verbose_name = "Scorecard pages"
