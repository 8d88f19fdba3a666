from __future__ import annotations

from django.urls import path

from cases.comments import views

# Included by cases/urls.py, so the names are "cases:…".
urlpatterns = [
    path(
        "families/<int:family_id>/contacts/<int:contact_id>/comments/new/",
        views.contact_comment,
        name="contact_comment",
    ),
    path(
        "families/<int:family_id>/plan/goals/<int:plan_goal_id>/comments/new/",
        views.goal_comment,
        name="goal_comment",
    ),
    path(
        "families/<int:family_id>/plan/<int:family_plan_id>/comments/new/",
        views.plan_comment,
        name="plan_comment",
    ),
]
