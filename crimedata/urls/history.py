"""The change history of one district's figures for one category."""

from django.urls import path

from crimedata.views import history

urlpatterns = [
    path("history/<str:code>/<slug:slug>/", history.figure_history_page, name="figure-history"),
]
