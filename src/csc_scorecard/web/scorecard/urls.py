from django.urls import path

from csc_scorecard.web.scorecard import views

app_name = "scorecard"
urlpatterns = [
    path("scorecard/", views.scorecard, name="scorecard"),
    path("scorecard.csv", views.scorecard_download, {"fmt": "csv"}, name="scorecard-csv"),
    path("scorecard.xlsx", views.scorecard_download, {"fmt": "xlsx"}, name="scorecard-xlsx"),
    path("indicators/<slug:indicator_id>/", views.indicator, name="indicator"),
    path("indicators/<slug:indicator_id>/chart.svg", views.indicator_chart, name="indicator-chart"),
    path("indicators/<slug:indicator_id>/children/", views.children, name="children"),
    path("targets/", views.targets, name="targets"),
    path("targets/<slug:indicator_id>/<str:year>/", views.target_edit, name="target-edit"),
    path("commentary/", views.commentary, name="commentary"),
]
