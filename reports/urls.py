from __future__ import annotations

from django.urls import path

from reports import views
from reports.research import views as research
from reports.supervision import views as supervision

app_name = "reports"

F = "families/<int:family_id>/reports/"

urlpatterns = [
    # The researcher's pages: no family in any of them (reports.research).
    path("onderzoek/", research.research, name="research"),
    path(
        "onderzoek/datasets/<int:export_id>/retry/",
        research.research_retry,
        name="research_retry",
    ),
    path(
        "onderzoek/datasets/<int:export_id>/<str:filename>",
        research.research_download,
        name="research_download",
    ),
    path(
        "families/<int:family_id>/reports/plan-pdf/",
        views.plan_pdf_request,
        name="plan_pdf_request",
    ),
    path(
        "families/<int:family_id>/reports/plan-pdf/share/",
        views.plan_pdf_share,
        name="plan_pdf_share",
    ),
    path(
        "families/<int:family_id>/reports/plan-pdf/<int:export_id>/retry/",
        views.plan_pdf_retry,
        name="plan_pdf_retry",
    ),
    # The URL ends in the file name, so browsers save it as "gezinsplan-…-v2.pdf".
    path(
        "families/<int:family_id>/reports/plan-pdf/<int:export_id>/<str:filename>",
        views.plan_pdf_download,
        name="plan_pdf_download",
    ),
    path(F, views.family_reports, name="family_reports"),
    path(F + "reviews/new/", views.case_review_create, name="case_review_create"),
    path(F + "sdm/new/", views.sdm_create, name="sdm_create"),
    path(F + "exit/new/", views.exit_create, name="exit_create"),
    path(
        F + "sdm-professional/new/",
        views.professional_sdm_create,
        name="professional_sdm_create",
    ),
    path("reports/implementation/", views.implementation_create, name="implementation"),
    path("caseload/", views.caseload, name="caseload"),
    path("caseload/coaches/", views.coach_load_view, name="coach_load"),
    path("caseload/aftercare/", views.caseload_aftercare, name="caseload_aftercare"),
    path("supervision/", supervision.supervision_list, name="supervision_list"),
    path("supervision/new/", supervision.supervision_create, name="supervision_create"),
    path("supervision/mine/", supervision.supervision_mine, name="supervision_mine"),
    path("reports/team/", views.team_report_view, name="team_report"),
    path("reports/team/refresh/", views.team_report_refresh, name="team_report_refresh"),
    path("reports/team/print/", views.team_report_print, name="team_report_print"),
    path("reports/team/csv/", views.team_report_csv_view, name="team_report_csv"),
    path("reports/team/xlsx/", views.team_report_xlsx_view, name="team_report_xlsx"),
]
