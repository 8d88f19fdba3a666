"""The records rules' pages: inzage and export, statements, consent, destruction."""

from __future__ import annotations

from django.urls import path

from cases.records import views

# No app_name: cases/urls.py includes these, so the names stay in the `cases` namespace.
urlpatterns = [
    path("families/<int:family_id>/records/", views.records, name="records"),
    path(
        "families/<int:family_id>/records/statements/new/",
        views.statement_create,
        name="statement_create",
    ),
    path(
        "families/<int:family_id>/records/consents/new/",
        views.consent_create,
        name="consent_create",
    ),
    path(
        "families/<int:family_id>/records/consents/<int:consent_id>/withdraw/",
        views.consent_withdraw,
        name="consent_withdraw",
    ),
    path(
        "families/<int:family_id>/records/copy-requests/<int:copy_request_id>/provided/",
        views.copy_request_provide,
        name="copy_request_provide",
    ),
    path(
        "families/<int:family_id>/records/copy-requests/<int:copy_request_id>/refused/",
        views.copy_request_refuse,
        name="copy_request_refuse",
    ),
    path("families/<int:family_id>/records/share/", views.share_check, name="share_check"),
    path(
        "families/<int:family_id>/records/export/json/",
        views.export_json,
        name="records_export_json",
    ),
    path(
        "families/<int:family_id>/records/export/pdf/",
        views.export_pdf,
        name="records_export_pdf",
    ),
    path(
        "families/<int:family_id>/records/export/zip/",
        views.export_zip,
        name="records_export_zip",
    ),
    path(
        "families/<int:family_id>/records/exports/<int:export_id>/<int:volume>/",
        views.export_download,
        name="records_export_download",
    ),
    path(
        "families/<int:family_id>/records/exports/<int:export_id>/retry/",
        views.export_retry,
        name="records_export_retry",
    ),
    path(
        "families/<int:family_id>/records/destroy/",
        views.family_destroy,
        name="family_destroy",
    ),
    path("families/<int:family_id>/access-log/", views.access_log, name="access_log"),
    path(
        "families/<int:family_id>/access-log/export.csv",
        views.access_log_export,
        name="access_log_export",
    ),
    path("records/destruction-list/", views.destruction_list, name="destruction_list"),
    path(
        "records/destruction-register/",
        views.destruction_register,
        name="destruction_register",
    ),
]
