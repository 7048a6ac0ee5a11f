from django.urls import path

from csc_scorecard.web.auditlog import views

app_name = "auditlog"
urlpatterns = [
    path("", views.events, name="list"),
    path("audit-log.csv", views.download, name="download"),
]
