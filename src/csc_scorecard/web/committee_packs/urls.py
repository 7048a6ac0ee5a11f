"""Mounted at scrutiny/ before the scrutiny pages: the pack page sits under its meeting's address."""

from django.urls import path, re_path

from csc_scorecard.web.committee_packs import views

app_name = "committee_packs"
urlpatterns = [
    re_path(r"^(?P<committee>[-a-zA-Z0-9_]+)/(?P<day>\d{4}-\d{2}-\d{2})/pack/$", views.meeting_pack,
            name="meeting"),
    path("packs/<int:run_id>.<str:fmt>", views.download, name="download"),
]
