"""The open-data API and its documentation page."""

from django.urls import path

from assessments.views import api

urlpatterns = [
    path("api/", api.api_docs, name="api-docs"),
    path("api/v1/comparison/", api.comparison_api, name="api-comparison"),
    path("api/v1/districts/<str:code>/summary/", api.district_summary_api, name="api-district-summary"),
]
