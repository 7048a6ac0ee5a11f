from django.urls import path

from csc_scorecard.web.returns import views

app_name = "returns"
urlpatterns = [
    path("", views.submissions, name="list"),
    path("upload/", views.upload, name="upload"),
    path("<int:submission_id>/issues/", views.issues, name="issues"),
    path("<int:submission_id>/issues.csv", views.issues_download, {"fmt": "csv"}, name="issues-csv"),
    path("<int:submission_id>/issues.xlsx", views.issues_download, {"fmt": "xlsx"}, name="issues-xlsx"),
]
