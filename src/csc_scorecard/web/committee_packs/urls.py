from django.urls import path

from csc_scorecard.web.committee_packs import views

app_name = "committee_packs"
urlpatterns = [
    path("<slug:committee>/<str:day>/", views.meeting_pack, name="meeting"),
    path("download/<int:run_id>.<str:fmt>", views.download, name="download"),
]
