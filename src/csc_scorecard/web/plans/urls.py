from django.urls import path

from csc_scorecard.web.plans import views

app_name = "plans"
urlpatterns = [
    path("", views.plans_list, name="list"),
    path("measures/", views.measures, name="measures"),
    path("measures/<slug:measure_id>/", views.measure, name="measure"),
    path("actions/<int:action_id>/", views.action, name="action"),
    path("actions/<int:action_id>/edit/", views.action_edit, name="action-edit"),
    path("<slug:reference>/", views.plan, name="plan"),
    path("<slug:reference>/risks/", views.risks, name="risks"),
    path("<slug:reference>/programmes/<int:number>/", views.programme, name="programme"),
    path("<slug:reference>/programmes/<int:number>/highlight/", views.highlight, name="highlight"),
    path("<slug:reference>/programmes/<int:number>/highlight/documents/", views.highlight_documents,
         name="highlight-documents"),
]
