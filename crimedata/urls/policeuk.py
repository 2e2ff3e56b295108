"""police.uk street-level crime: the analysts' upload page."""

from django.urls import path

from crimedata.views import policeuk

urlpatterns = [
    path("data/police-uk/", policeuk.upload, name="policeuk-upload"),
]
