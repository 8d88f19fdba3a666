"""The coordinator's page of team members' log-in: enrolment codes, two-factor reset."""

from __future__ import annotations

from django.urls import path

from cases.accounts import views

# No app_name: cases/urls.py includes these, so the names stay in the `cases` namespace.
urlpatterns = [
    path("team/accounts/", views.account_list, name="account_list"),
    path(
        "team/accounts/<int:user_id>/enrolment-code/",
        views.enrolment_code_create,
        name="account_enrolment_code",
    ),
    path(
        "team/accounts/<int:user_id>/two-factor-reset/",
        views.two_factor_reset,
        name="account_two_factor_reset",
    ),
]
