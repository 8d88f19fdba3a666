from __future__ import annotations

from django.urls import path

from strengths import views

app_name = "strengths"

PREFIX = "families/<int:family_id>/strengths/"

urlpatterns = [
    path(PREFIX, views.overview, name="overview"),
    path(f"{PREFIX}moments/new/", views.moment_create, name="moment_create"),
    path(
        f"{PREFIX}moments/<int:moment_id>/<slug:perspective>/",
        views.scores,
        name="scores",
    ),
    path(f"{PREFIX}analyses/new/", views.analysis_create, name="analysis_create"),
    path(
        f"{PREFIX}analyses/<int:analysis_id>/edit/",
        views.analysis_edit,
        name="analysis_edit",
    ),
    path(f"{PREFIX}timeline/", views.timeline, name="timeline"),
    path(f"{PREFIX}timeline/new/", views.event_create, name="event_create"),
    path(f"{PREFIX}timeline/<int:event_id>/edit/", views.event_edit, name="event_edit"),
]
