from __future__ import annotations

from django.urls import path

from phases import views

app_name = "phases"

urlpatterns = [
    path("families/<int:family_id>/phases/", views.family_phases, name="family_phases"),
    path("families/<int:family_id>/phases/start/", views.trajectory_start, name="trajectory_start"),
    path(
        "families/<int:family_id>/phases/propose/",
        views.transition_propose,
        name="transition_propose",
    ),
    path(
        "families/<int:family_id>/phases/transitions/<int:transition_id>/decide/",
        views.transition_decide,
        name="transition_decide",
    ),
    path(
        "families/<int:family_id>/phases/extensions/",
        views.extension_propose,
        name="extension_propose",
    ),
    path(
        "families/<int:family_id>/phases/extensions/<int:extension_id>/decide/",
        views.extension_decide,
        name="extension_decide",
    ),
    path(
        "families/<int:family_id>/phases/aftercare/<int:checkin_id>/record/",
        views.aftercare_checkin_record,
        name="aftercare_checkin_record",
    ),
    path("families/<int:family_id>/phases/step-back/", views.phase_step_back, name="step_back"),
    path("families/<int:family_id>/phases/extra-hours/", views.extra_hours_add, name="extra_hours"),
    path("phases/definitions/", views.definitions_edit, name="definitions"),
    path("phases/reminders/", views.reminder_list, name="reminder_list"),
    path("phases/reminders/read-all/", views.reminder_read_all, name="reminder_read_all"),
    path("phases/reminders/<int:reminder_id>/read/", views.reminder_read, name="reminder_read"),
]
