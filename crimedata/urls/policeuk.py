"""police.uk street-level crime: the analysts' upload page and each district's top neighbourhoods."""

from django.urls import path

from crimedata import policeuk_views

urlpatterns = [
    path("data/police-uk/", policeuk_views.upload, name="policeuk-upload"),
    path(
        "districts/<str:code>/neighbourhoods/", policeuk_views.district_neighbourhoods,
        name="district-neighbourhoods",
    ),
]
