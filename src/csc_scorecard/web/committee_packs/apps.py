from django.apps import AppConfig


class CommitteePacksPagesConfig(AppConfig):
    name = "csc_scorecard.web.committee_packs"
    label = "committee_packs"
    verbose_name = "Committee pack pages"
