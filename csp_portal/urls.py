"""URL configuration. Each capability owns one URL module, included here."""

from django.contrib import admin
from django.urls import include, path

from csp_portal import errors, views

admin.site.site_header = "CSP Portal administration"
admin.site.site_title = "CSP Portal admin"
admin.site.index_title = "Reference data, figures and users"

urlpatterns = [
    path("", views.home, name="home"),
    path("about-the-data/", views.about_data, name="about-data"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("favicon.ico", errors.favicon, name="favicon"),
    path("admin/", admin.site.urls),
    # Kent-wide comparisons, district profiles and the overview (issue 3).
    path("", include("assessments.urls.comparisons")),
    # Open data API and its documentation page (issue 3).
    path("", include("assessments.urls.api")),
    # SPC charts, significance, suppression and commentary (issue 6).
    path("", include("assessments.urls.statistics")),
    # Strategic assessments, priorities, plans, funding and scrutiny (issue 5).
    path("", include("assessments.urls.plans")),
    # Sign-in, officers' data entry, uploads, sign-off, history, completeness (issue 4).
    path("", include("crimedata.urls.entry")),
    # police.uk street-level crime uploads (issue 7).
    path("", include("crimedata.urls.policeuk")),
]

# The site's own 404 and 500 pages (csp_portal/errors.py); 403 uses Django's handler with templates/403.html.
handler404 = "csp_portal.errors.page_not_found"
handler500 = "csp_portal.errors.server_error"
