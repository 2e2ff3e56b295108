"""Signing in and out."""

from django.urls import path

from crimedata.views import auth

urlpatterns = [
    path("sign-in/", auth.SignInView.as_view(), name="login"),
    path("sign-out/", auth.SignOutView.as_view(), name="logout"),
    path("signed-out/", auth.signed_out, name="signed-out"),
]
