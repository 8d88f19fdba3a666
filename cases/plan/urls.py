"""The family plan's pages, under /families/<id>/plan/."""

from __future__ import annotations

from django.urls import path

from cases.plan import views

# No app_name: cases/urls.py includes these, so the names stay in the `cases` namespace.
urlpatterns = [
    path("families/<int:family_id>/plan/", views.plan_detail, name="plan_detail"),
    path(
        "families/<int:family_id>/plan/versions/<int:number>/",
        views.plan_version,
        name="plan_version",
    ),
    path("families/<int:family_id>/plan/start/", views.plan_start, name="plan_start"),
    path("families/<int:family_id>/plan/edit/", views.plan_edit, name="plan_edit"),
    path(
        "families/<int:family_id>/plan/review/ask/",
        views.plan_review_request,
        name="plan_review_request",
    ),
    path("families/<int:family_id>/plan/share/", views.plan_share, name="plan_share"),
    path("families/<int:family_id>/plan/review/", views.plan_review, name="plan_review"),
    path("families/<int:family_id>/plan/return/", views.plan_return, name="plan_return"),
    path("families/<int:family_id>/plan/agreement/", views.plan_agreement, name="plan_agreement"),
    path("families/<int:family_id>/plan/fix/", views.plan_fix, name="plan_fix"),
    path("families/<int:family_id>/plan/goals/new/", views.goal_create, name="goal_create"),
    path(
        "families/<int:family_id>/plan/goals/<int:goal_id>/edit/",
        views.goal_edit,
        name="goal_edit",
    ),
    path(
        "families/<int:family_id>/plan/goals/<int:goal_id>/delete/",
        views.goal_delete,
        name="goal_delete",
    ),
    path(
        "families/<int:family_id>/plan/goals/<int:goal_id>/restore/",
        views.goal_restore,
        name="goal_restore",
    ),
    path(
        "families/<int:family_id>/plan/actions/new/",
        views.action_create,
        name="action_create",
    ),
    path(
        "families/<int:family_id>/plan/actions/<int:action_id>/edit/",
        views.action_edit,
        name="action_edit",
    ),
    path(
        "families/<int:family_id>/plan/actions/<int:action_id>/delete/",
        views.action_delete,
        name="action_delete",
    ),
    path(
        "families/<int:family_id>/plan/actions/<int:action_id>/restore/",
        views.action_restore,
        name="action_restore",
    ),
]
