"""The family portal's pages, under /gezin/ (namespace `portal`)."""

from __future__ import annotations

from django.urls import path

from cases.portal import extensions, views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("wie-keek/", views.access_overview, name="access_overview"),
    path("plan/<int:plan_id>/akkoord/", views.plan_agree, name="plan_agree"),
    path("uitnodiging/<str:token>/", views.invitation, name="invitation"),
    # Pages of other apps (settings.PORTAL_URLCONFS), in this namespace.
    *extensions.urlpatterns(),
]
