from __future__ import annotations

from django.urls import path

from cases.todo import views

# Included by cases/urls.py, so the names are "cases:…".
urlpatterns = [
    path("tasks/", views.task_list, name="task_list"),
    path("families/<int:family_id>/tasks/new/", views.task_create, name="task_create"),
    path(
        "families/<int:family_id>/tasks/<int:task_id>/toggle/",
        views.task_toggle,
        name="task_toggle",
    ),
]
