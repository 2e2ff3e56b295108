"""Kent-wide comparisons, district profiles and the overview (issue 3).

Every page is a stable, bookmarkable URL: the category or district is in the
path, and the window and group in the query string (end=YYYY-MM&months=12&group=kent).
"""

from django.urls import path

from assessments.views import comparisons

urlpatterns = [
    path("compare/", comparisons.comparison_start, name="comparison"),
    path("compare/<slug:category>/", comparisons.comparison, name="comparison-category"),
    path("districts/", comparisons.district_index, name="district-index"),
    path("districts/<str:code>/", comparisons.district_profile, name="district-profile"),
    path("overview/", comparisons.overview, name="overview"),
]
