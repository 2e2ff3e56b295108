"""police.uk street-level crime: the analysts' upload page and each district's top neighbourhoods."""

from django.urls import path

from crimedata import policeuk_views
from crimedata.views import policeuk

urlpatterns = [
    path("data/police-uk/", policeuk.upload, name="policeuk-upload"),
    path(
        "districts/<str:code>/neighbourhoods/", policeuk_views.district_neighbourhoods,
        name="district-neighbourhoods",
    ),
]
