"""Sign-in and sign-out with Django auth (django-axes locks an account after repeated failures)."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from crimedata.forms import SignInForm


class SignInView(auth_views.LoginView):
    form_class = SignInForm
    template_name = "registration/login.html"
    redirect_authenticated_user = True
    extra_context = {"page_title": "Sign in"}


class SignOutView(auth_views.LogoutView):
    """POST only (Django's LogoutView refuses GET), then a plain 'signed out' page."""

    next_page = "signed-out"


def signed_out(request: HttpRequest) -> HttpResponse:
    return render(request, "registration/logged_out.html", {"page_title": "You have signed out"})
