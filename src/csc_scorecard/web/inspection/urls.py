from django.urls import path

from csc_scorecard.web.inspection import pack_views, views

app_name = "inspection"
urlpatterns = [
    path("", views.inspections, name="list"),
    path("new/", views.inspection_edit, name="new"),
    path("<int:pk>/", views.inspection, name="detail"),
    path("<int:pk>/edit/", views.inspection_edit, name="edit"),
    path("<int:pk>/recommendations/new/", views.recommendation_edit, name="recommendation-new"),
    path("<int:pk>/recommendations/<str:number>/", views.recommendation_edit, name="recommendation"),
    path("<int:pk>/recommendations/<str:number>/delete/", views.recommendation_delete,
         name="recommendation-delete"),
    path("self-evaluations/", views.evaluations, name="evaluations"),
    path("self-evaluations/new/", views.evaluation_edit, name="evaluation-new"),
    path("self-evaluations/<int:pk>/", views.evaluation, name="evaluation"),
    path("self-evaluations/<int:pk>/edit/", views.evaluation_edit, name="evaluation-edit"),
    path("self-evaluations/<int:pk>/sections/new/", views.section_edit, name="section-new"),
    path("self-evaluations/<int:pk>/sections/<int:section>/", views.section_edit, name="section"),
    path("self-evaluations/<int:pk>/sections/<int:section>/delete/", views.section_delete,
         name="section-delete"),
    path("self-evaluations/<int:pk>.<str:fmt>", views.evaluation_download, name="evaluation-download"),
    path("pack/", pack_views.pack, name="pack"),
    path("pack/journey.svg", pack_views.journey_chart, name="pack-journey"),
    path("pack/data-quality/", pack_views.quality, name="pack-quality"),
    path("pack/children/", pack_views.children, name="pack-children"),
    path("pack/files/<int:run_id>.<str:fmt>", pack_views.download, name="pack-download"),
]
