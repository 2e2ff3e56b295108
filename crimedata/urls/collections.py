"""Collection windows: the analysts' list and form, and each window's page."""

from django.urls import path

from crimedata.views import collections

urlpatterns = [
    path("entry/windows/", collections.window_list, name="collection-windows"),
    path("entry/windows/new/", collections.window_new, name="collection-window-new"),
    path("entry/windows/<int:pk>/", collections.window_detail, name="collection-window"),
    path("entry/windows/<int:pk>/edit/", collections.window_edit, name="collection-window-edit"),
]
