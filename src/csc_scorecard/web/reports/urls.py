from django.urls import path

from csc_scorecard.web.reports import views

app_name = "reports"
urlpatterns = [
    path("", views.reports, name="list"),
    path("<int:run_id>.<str:fmt>", views.download, name="download"),
]
