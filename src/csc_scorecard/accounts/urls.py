from django.urls import path

from csc_scorecard.accounts import manage_views, views

app_name = "accounts"
urlpatterns = [
    path("sign-in/", views.sign_in, name="sign-in"),
    path("sign-in/two-factor/", views.two_factor, name="two-factor"),
    path("sign-in/two-factor/set-up/", views.enrol, name="enrol"),
    path("sign-out/", views.sign_out, name="sign-out"),
    # administrators: who has set up two-factor, and resetting another account's
    path("accounts/two-factor/", manage_views.two_factor_list, name="two-factor-list"),
    path("accounts/two-factor/<str:username>/reset/", manage_views.two_factor_reset, name="two-factor-reset"),
]
