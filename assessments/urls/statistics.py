"""SPC charts, step changes and their edited summaries; edits of the generated commentary (issue 6)."""

from django.urls import path

from assessments import spc_views
from assessments.views import commentary

urlpatterns = [
    path("spc/", spc_views.spc_index, name="spc-index"),
    path("spc/<str:code>/<slug:slug>/", spc_views.spc_chart, name="spc-chart"),
    path("spc/<str:code>/<slug:slug>/step-changes/", spc_views.spc_step_change_add, name="spc-step-change-add"),
    path(
        "spc/<str:code>/<slug:slug>/step-changes/<int:pk>/remove/",
        spc_views.spc_step_change_remove,
        name="spc-step-change-remove",
    ),
    path("spc/<str:code>/<slug:slug>/summary/", spc_views.spc_commentary, name="spc-commentary"),
    path("commentary/districts/<str:code>/<slug:part>/", commentary.profile_commentary, name="profile-commentary"),
    path("commentary/priorities/<int:pk>/", commentary.priority_commentary, name="priority-commentary"),
]
