from __future__ import annotations

from django.urls import path

from reports import views

app_name = "reports"

urlpatterns = [
    path(
        "families/<int:family_id>/reports/plan-pdf/",
        views.plan_pdf_request,
        name="plan_pdf_request",
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
]
