from django.urls import path, register_converter

from csc_scorecard.web.scrutiny import views


class IsoDate:
    regex = r"\d{4}-\d{2}-\d{2}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value) -> str:
        return value.isoformat() if hasattr(value, "isoformat") else str(value)


register_converter(IsoDate, "isodate")

app_name = "scrutiny"
urlpatterns = [
    path("", views.committees, name="committees"),
    path("<slug:slug>/", views.work_programme, name="work-programme"),
    path("<slug:slug>/tracker/", views.tracker, name="tracker"),
    path("<slug:slug>/tracker/<int:item_id>/", views.item, name="item"),
    path("<slug:slug>/<isodate:day>/", views.meeting, name="meeting"),
]
