"""The family portal's pages, under /gezin/ (namespace `portal`)."""

from __future__ import annotations

from django.urls import path

from cases.portal import extensions, own_views, shared_views, views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("wie-keek/", views.access_overview, name="access_overview"),
    path("plan/<int:plan_id>/akkoord/", views.plan_agree, name="plan_agree"),
    path("documenten/", shared_views.documents, name="documents"),
    path(
        "documenten/<int:document_id>/download/",
        shared_views.document_download,
        name="document_download",
    ),
    path("berichten/", shared_views.message_list, name="messages"),
    path("doelen/", own_views.goals, name="goals"),
    path("doelen/<int:goal_id>/reactie/", own_views.goal_react, name="goal_react"),
    path("verklaring/", own_views.statement, name="statement"),
    path("afschrift/", own_views.copy_request, name="copy_request"),
    path("uitnodiging/<str:token>/", views.invitation, name="invitation"),
    # Pages of other apps (settings.PORTAL_URLCONFS), in this namespace.
    *extensions.urlpatterns(),
]
