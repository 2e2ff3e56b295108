"""police.uk street-level crime: the analysts' upload page."""

from django.urls import path

from crimedata import policeuk_views

urlpatterns = [
    path("data/police-uk/", policeuk_views.upload, name="policeuk-upload"),
]
