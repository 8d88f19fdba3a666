from __future__ import annotations

from django.urls import path

from cases.partners import views

# Included by cases/urls.py, so the names are "cases:…".
urlpatterns = [
    path("partners/", views.partner_list, name="partner_list"),
    path("partners/new/", views.partner_create, name="partner_create"),
    path("partners/<int:partner_id>/edit/", views.partner_edit, name="partner_edit"),
    path("partners/<int:partner_id>/archive/", views.partner_archive, name="partner_archive"),
    path(
        "partners/<int:partner_id>/contacts/new/",
        views.partner_contact_create,
        name="partner_contact_create",
    ),
    path(
        "partners/<int:partner_id>/contacts/<int:partner_contact_id>/edit/",
        views.partner_contact_edit,
        name="partner_contact_edit",
    ),
    path(
        "partners/<int:partner_id>/contacts/<int:partner_contact_id>/archive/",
        views.partner_contact_archive,
        name="partner_contact_archive",
    ),
    path("families/<int:family_id>/partners/", views.family_partners, name="family_partners"),
    path("families/<int:family_id>/referrals/new/", views.referral_create, name="referral_create"),
    path(
        "families/<int:family_id>/referrals/<int:referral_id>/edit/",
        views.referral_edit,
        name="referral_edit",
    ),
    path(
        "families/<int:family_id>/referrals/<int:referral_id>/status/",
        views.referral_status,
        name="referral_status",
    ),
]
