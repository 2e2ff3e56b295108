"""Kent-wide comparisons, district profiles, a district's top neighbourhoods and the overview.

Every page is a stable, bookmarkable URL: the category or district is in the
path, and the window and group in the query string (end=YYYY-MM&months=12&group=kent).
"""

from django.urls import path

from assessments.views import comparisons, neighbourhoods

urlpatterns = [
    path("compare/", comparisons.comparison_start, name="comparison"),
    path("compare/<slug:category>/", comparisons.comparison, name="comparison-category"),
    path("districts/", comparisons.district_index, name="district-index"),
    path("districts/<str:code>/", comparisons.district_profile, name="district-profile"),
    path("districts/<str:code>/neighbourhoods/", neighbourhoods.district_neighbourhoods,
         name="district-neighbourhoods"),
    path("overview/", comparisons.overview, name="overview"),
]
