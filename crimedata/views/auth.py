"""Sign-in and sign-out with Django auth (django-axes locks an account after repeated failures)."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from crimedata.forms import SignInForm, error_summary


class SignInView(auth_views.LoginView):
    form_class = SignInForm
    template_name = "registration/login.html"
    redirect_authenticated_user = True
    extra_context = {"page_title": "Sign in"}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # A wrong username or password is the form's own error; it links to the username.
        context["errors"] = error_summary(context["form"], non_field_href="#id_username")
        return context


class SignOutView(auth_views.LogoutView):
    """POST only (Django's LogoutView refuses GET), then a plain 'signed out' page."""

    next_page = "signed-out"


def signed_out(request: HttpRequest) -> HttpResponse:
    return render(request, "registration/logged_out.html", {"page_title": "You have signed out"})
