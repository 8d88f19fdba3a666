"""The questionnaire pages of the family portal, under /gezin/ (namespace `portal`)."""

from __future__ import annotations

from django.urls import path

from reports.portal import views

urlpatterns = [
    path("vragenlijsten/", views.questionnaires, name="questionnaires"),
    path("vragenlijsten/samen-beslissen/", views.sdm_fill, name="questionnaire_sdm"),
    path("vragenlijsten/afsluiting/", views.exit_fill, name="questionnaire_exit"),
]
