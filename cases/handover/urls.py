from __future__ import annotations

from django.urls import path

from cases.handover import views

urlpatterns = [
    path("families/<int:family_id>/coach/", views.family_handover, name="family_handover"),
    path("team/handover/", views.team_handover, name="team_handover"),
    path("team/replacements/", views.replacements, name="replacements"),
    path(
        "team/replacements/<int:replacement_id>/end/",
        views.replacement_end,
        name="replacement_end",
    ),
    path("notifications/", views.notification_list, name="notification_list"),
]
