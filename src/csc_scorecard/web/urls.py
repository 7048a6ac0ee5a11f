"""The web app's addresses: one include per bounded context."""

from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

urlpatterns = [
    path("", include("csc_scorecard.web.core.urls")),
    path("", include("csc_scorecard.accounts.urls")),
    path("", include("csc_scorecard.web.scorecard.urls")),
    path("reports/", include("csc_scorecard.web.reports.urls")),
    path("plans/", include("csc_scorecard.web.plans.urls")),
    path("returns/", include("csc_scorecard.web.returns.urls")),
    path("inspection/", include("csc_scorecard.web.inspection.urls")),
    path("tasks/", include("csc_scorecard.web.tasks.urls")),
    path("audit/", include("csc_scorecard.web.auditlog.urls")),
    path("scrutiny/", include("csc_scorecard.web.committee_packs.urls")),  # a meeting's pack
    path("scrutiny/", include("csc_scorecard.web.scrutiny.urls")),
    # The admin has no sign-in of its own: it would skip two-factor and lockout.
    path("admin/login/", RedirectView.as_view(pattern_name="accounts:sign-in", query_string=True)),
    path("admin/", admin.site.urls),
]

handler400 = "csc_scorecard.web.core.views.bad_request"
handler403 = "csc_scorecard.web.core.views.forbidden"
handler404 = "csc_scorecard.web.core.views.not_found"
handler500 = "csc_scorecard.web.core.views.server_error"
