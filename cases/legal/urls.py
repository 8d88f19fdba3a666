"""The legal measures' pages, in the `cases` namespace (cases/urls.py includes them)."""

from __future__ import annotations

from django.urls import path

from cases.legal import views

urlpatterns = [
    path(
        "families/<int:family_id>/measures/new/",
        views.measure_create,
        name="legal_measure_create",
    ),
    path(
        "families/<int:family_id>/measures/<int:legal_measure_id>/edit/",
        views.measure_edit,
        name="legal_measure_edit",
    ),
]
