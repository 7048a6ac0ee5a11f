from django.urls import path

from csc_scorecard.accounts import views

app_name = "accounts"
urlpatterns = [
    path("sign-in/", views.sign_in, name="sign-in"),
    path("sign-in/two-factor/", views.two_factor, name="two-factor"),
    path("sign-in/two-factor/set-up/", views.enrol, name="enrol"),
    path("sign-out/", views.sign_out, name="sign-out"),
]
