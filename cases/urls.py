from __future__ import annotations

from django.urls import path

from cases import account_views, plan_views, records_views, views

app_name = "cases"

urlpatterns = [
    path("", views.caseload, name="caseload"),
    path("language/", views.language_set, name="language_set"),
    path("families/", views.family_list, name="family_list"),
    path("families/new/", views.family_create, name="family_create"),
    path("families/<int:family_id>/", views.family_detail, name="family_detail"),
    path("families/<int:family_id>/edit/", views.family_edit, name="family_edit"),
    path("families/<int:family_id>/safety/", views.family_safety, name="family_safety"),
    path("families/<int:family_id>/members/new/", views.member_create, name="member_create"),
    path(
        "families/<int:family_id>/members/<int:member_id>/edit/",
        views.member_edit,
        name="member_edit",
    ),
    path("families/<int:family_id>/contacts/new/", views.contact_create, name="contact_create"),
    path(
        "families/<int:family_id>/contacts/<int:contact_id>/edit/",
        views.contact_edit,
        name="contact_edit",
    ),
    path("families/<int:family_id>/access-log/", views.family_access_log, name="access_log"),
    # The family plan (cases/plan_views.py).
    path("families/<int:family_id>/plan/", plan_views.plan_detail, name="plan_detail"),
    path(
        "families/<int:family_id>/plan/versions/<int:number>/",
        plan_views.plan_version,
        name="plan_version",
    ),
    path("families/<int:family_id>/plan/start/", plan_views.plan_start, name="plan_start"),
    path("families/<int:family_id>/plan/edit/", plan_views.plan_edit, name="plan_edit"),
    path("families/<int:family_id>/plan/review/", plan_views.plan_review, name="plan_review"),
    path("families/<int:family_id>/plan/fix/", plan_views.plan_fix, name="plan_fix"),
    path("families/<int:family_id>/plan/goals/new/", plan_views.goal_create, name="goal_create"),
    path(
        "families/<int:family_id>/plan/goals/<int:goal_id>/edit/",
        plan_views.goal_edit,
        name="goal_edit",
    ),
    path(
        "families/<int:family_id>/plan/goals/<int:goal_id>/delete/",
        plan_views.goal_delete,
        name="goal_delete",
    ),
    path(
        "families/<int:family_id>/plan/actions/new/",
        plan_views.action_create,
        name="action_create",
    ),
    path(
        "families/<int:family_id>/plan/actions/<int:action_id>/edit/",
        plan_views.action_edit,
        name="action_edit",
    ),
    path(
        "families/<int:family_id>/plan/actions/<int:action_id>/delete/",
        plan_views.action_delete,
        name="action_delete",
    ),
    # Records rules, consent and the access-log export (records_views).
    path("families/<int:family_id>/records/", records_views.records, name="records"),
    path(
        "families/<int:family_id>/records/statements/new/",
        records_views.statement_create,
        name="statement_create",
    ),
    path(
        "families/<int:family_id>/records/consents/new/",
        records_views.consent_create,
        name="consent_create",
    ),
    path("families/<int:family_id>/records/share/", records_views.share_check, name="share_check"),
    path(
        "families/<int:family_id>/records/export.json",
        records_views.export_json,
        name="records_export_json",
    ),
    path(
        "families/<int:family_id>/records/export.pdf",
        records_views.export_pdf,
        name="records_export_pdf",
    ),
    path(
        "families/<int:family_id>/records/destroy/",
        records_views.family_destroy,
        name="family_destroy",
    ),
    path(
        "families/<int:family_id>/access-log/export.csv",
        records_views.access_log_export,
        name="access_log_export",
    ),
    path("records/destruction-list/", records_views.destruction_list, name="destruction_list"),
    path(
        "records/destruction-register/",
        records_views.destruction_register,
        name="destruction_register",
    ),
    # Team members' log-in: enrolment codes and two-factor reset (cases/account_views.py).
    path("team/accounts/", account_views.account_list, name="account_list"),
    path(
        "team/accounts/<int:user_id>/enrolment-code/",
        account_views.enrolment_code_create,
        name="account_enrolment_code",
    ),
    path(
        "team/accounts/<int:user_id>/two-factor-reset/",
        account_views.two_factor_reset,
        name="account_two_factor_reset",
    ),
]
