"""SPC charts and their step changes; the edit pages of every generated text (one view)."""

from django.urls import path

from assessments.views import commentary, spc

urlpatterns = [
    path("spc/", spc.spc_index, name="spc-index"),
    path("spc/<str:code>/<slug:slug>/", spc.spc_chart_page, name="spc-chart"),
    path("spc/<str:code>/<slug:slug>/step-changes/", spc.spc_step_change_add, name="spc-step-change-add"),
    path(
        "spc/<str:code>/<slug:slug>/step-changes/<int:pk>/remove/",
        spc.spc_step_change_remove,
        name="spc-step-change-remove",
    ),
    path("spc/<str:code>/<slug:slug>/summary/", commentary.edit_commentary, {"kind": "spc"}, name="spc-commentary"),
    path(
        "commentary/districts/<str:code>/<slug:part>/",
        commentary.edit_commentary,
        {"kind": "profile"},
        name="profile-commentary",
    ),
    path(
        "commentary/priorities/<int:pk>/", commentary.edit_commentary, {"kind": "priority"},
        name="priority-commentary",
    ),
]
