from __future__ import annotations

from django.urls import include, path

from cases import views
from cases.intake import views as intake_views

app_name = "cases"

urlpatterns = [
    path("", views.caseload, name="caseload"),
    path("language/", views.language_set, name="language_set"),
    path("families/", views.family_list, name="family_list"),
    path("families/new/", intake_views.intake, name="family_create"),
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
    # The family plan, the agenda, tasks, documents, the records rules and team members'
    # log-in (cases/plan/, cases/agenda/, cases/todo/, cases/documents/, cases/records/,
    # cases/accounts/): each sub-package keeps its own URLs.
    path("", include("cases.plan.urls")),
    path("", include("cases.agenda.urls")),
    path("", include("cases.todo.urls")),
    path("", include("cases.documents.urls")),
    path("", include("cases.records.urls")),
    path("", include("cases.legal.urls")),
    path("", include("cases.accounts.urls")),
    path("", include("cases.search.urls")),
    path("", include("cases.handover.urls")),
    path("", include("cases.portal.staff_urls")),
    path("", include("cases.comments.urls")),
    path("", include("cases.partners.urls")),
    path("", include("cases.elements.urls")),
]
