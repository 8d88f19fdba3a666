from __future__ import annotations

from django.urls import path

from network import views

app_name = "network"

F = "families/<int:family_id>/network/"

urlpatterns = [
    path(F, views.network_overview, name="overview"),
    path(F + "members/add/", views.member_quick_add, name="member_quick_add"),
    path(F + "members/<int:member_id>/edit/", views.member_edit, name="member_edit"),
    path(F + "agreements/new/", views.agreement_create, name="agreement_create"),
    path(F + "agreements/<int:agreement_id>/edit/", views.agreement_edit, name="agreement_edit"),
    path(F + "meetings/new/", views.meeting_create, name="meeting_create"),
    path(F + "meetings/<int:meeting_id>/", views.meeting_detail, name="meeting_detail"),
    path(F + "meetings/<int:meeting_id>/edit/", views.meeting_edit, name="meeting_edit"),
    path(
        F + "meetings/<int:meeting_id>/evaluate/", views.meeting_evaluate, name="meeting_evaluate"
    ),
    path(F + "krachtgezinnen/new/", views.krachtgezin_create, name="krachtgezin_create"),
    path(
        F + "krachtgezinnen/<int:krachtgezin_id>/",
        views.krachtgezin_detail,
        name="krachtgezin_detail",
    ),
    path(
        F + "krachtgezinnen/<int:krachtgezin_id>/edit/",
        views.krachtgezin_edit,
        name="krachtgezin_edit",
    ),
    path(
        F + "krachtgezinnen/<int:krachtgezin_id>/matching/",
        views.krachtgezin_match_edit,
        name="krachtgezin_match_edit",
    ),
    path(
        F + "krachtgezinnen/<int:krachtgezin_id>/end/",
        views.krachtgezin_match_end,
        name="krachtgezin_match_end",
    ),
    path(
        F + "krachtgezinnen/<int:krachtgezin_id>/stays/new/",
        views.stay_create,
        name="stay_create",
    ),
    path("network/krachtgezinnen/", views.krachtgezin_list, name="krachtgezin_list"),
    path(
        "network/krachtgezinnen/new/", views.krachtgezin_pool_create, name="krachtgezin_pool_create"
    ),
]
