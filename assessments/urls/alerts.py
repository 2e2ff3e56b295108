"""Email alerts: each person's subscriptions, and the unsubscribe link in every email."""

from django.urls import path

from assessments.views import alerts

urlpatterns = [
    path("alerts/", alerts.subscriptions, name="alert-subscriptions"),
    path("alerts/<int:pk>/remove/", alerts.subscription_remove, name="alert-subscription-remove"),
    path("alerts/emails/", alerts.email_preferences, name="email-preferences"),
    path("unsubscribe/<str:token>/", alerts.unsubscribe, name="unsubscribe"),
]
