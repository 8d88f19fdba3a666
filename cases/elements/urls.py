from __future__ import annotations

from django.urls import path

from cases.elements import views

# Included by cases/urls.py, so the names are "cases:…".
urlpatterns = [
    path("working-elements/", views.element_list, name="working_element_list"),
    path("working-elements/new/", views.element_create, name="working_element_create"),
    path(
        "working-elements/<int:element_id>/edit/",
        views.element_edit,
        name="working_element_edit",
    ),
]
