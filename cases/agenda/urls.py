from __future__ import annotations

from django.urls import path

from cases.agenda import views

# Included by cases/urls.py, so the names are "cases:…".
urlpatterns = [
    path("agenda/", views.agenda, name="agenda"),
    path("agenda/feed/new/", views.calendar_feed_create, name="calendar_feed_create"),
    path("agenda/feed/revoke/", views.calendar_feed_revoke, name="calendar_feed_revoke"),
    path("agenda/feed/<str:token>.ics", views.calendar_feed, name="calendar_feed"),
    path("families/<int:family_id>/agenda/", views.family_agenda, name="family_agenda"),
    path(
        "families/<int:family_id>/agenda/new/",
        views.appointment_create,
        name="appointment_create",
    ),
    path(
        "families/<int:family_id>/agenda/<int:appointment_id>/edit/",
        views.appointment_edit,
        name="appointment_edit",
    ),
    path(
        "families/<int:family_id>/agenda/<int:appointment_id>/cancel/",
        views.appointment_cancel,
        name="appointment_cancel",
    ),
    path(
        "families/<int:family_id>/agenda/<int:appointment_id>/held/",
        views.appointment_held,
        name="appointment_held",
    ),
    path(
        "families/<int:family_id>/agenda/<int:appointment_id>/log/",
        views.appointment_log,
        name="appointment_log",
    ),
]
