from django.urls import path

from csc_scorecard.web.tasks import views

app_name = "tasks"
urlpatterns = [
    path("<int:task_id>/", views.detail, name="detail"),
    path("<int:task_id>/status.json", views.status, name="status"),
]
