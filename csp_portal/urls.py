"""URL configuration. Each capability owns one URL module, included here."""

from django.contrib import admin
from django.urls import include, path

from csp_portal import errors, views

admin.site.site_header = "CSP Portal administration"
admin.site.site_title = "CSP Portal admin"
admin.site.index_title = "Reference data, figures and users"

urlpatterns = [
    # The site's own pages: home, about the data, accessibility.
    path("", views.home, name="home"),
    path("about-the-data/", views.about_data, name="about-data"),
    path("accessibility/", views.accessibility, name="accessibility"),
    # Browsers ask for /favicon.ico whatever the page links.
    path("favicon.ico", errors.favicon, name="favicon"),
    # Django admin: reference data, figures and users.
    path("admin/", admin.site.urls),
    # Kent-wide comparisons, district profiles and the overview.
    path("", include("assessments.urls.comparisons")),
    # The open data API and its documentation page.
    path("", include("assessments.urls.api")),
    # SPC charts, significance, suppression and generated commentary.
    path("", include("assessments.urls.statistics")),
    # Strategic assessments, priorities, plans, funding and scrutiny.
    path("", include("assessments.urls.plans")),
    # Signing in and out.
    path("", include("crimedata.urls.accounts")),
    # Officers' data entry: the quarterly grid, spreadsheet uploads, sign-off and completeness.
    path("", include("crimedata.urls.entry")),
    # Collection windows: what is due from districts, by when, and their progress.
    path("", include("crimedata.urls.collections")),
    # Email alerts: subscriptions and the unsubscribe links in every email.
    path("", include("assessments.urls.alerts")),
    # The change history of a district's figures.
    path("", include("crimedata.urls.history")),
    # police.uk street-level crime: the analysts' upload.
    path("", include("crimedata.urls.policeuk")),
]

# The site's own 404 and 500 pages (csp_portal/errors.py); 403 uses Django's handler with templates/403.html.
handler404 = "csp_portal.errors.page_not_found"
handler500 = "csp_portal.errors.server_error"
