from __future__ import annotations

from django.urls import path

from cases.documents import views

# Included by cases/urls.py, so the names are "cases:…".
urlpatterns = [
    path("families/<int:family_id>/documents/", views.document_list, name="document_list"),
    path("families/<int:family_id>/documents/new/", views.document_upload, name="document_upload"),
    path(
        "families/<int:family_id>/documents/<int:document_id>/replace/",
        views.document_replace,
        name="document_replace",
    ),
    path(
        "families/<int:family_id>/documents/<int:document_id>/remove/",
        views.document_remove,
        name="document_remove",
    ),
    path(
        "families/<int:family_id>/documents/<int:document_id>/share/",
        views.document_share,
        name="document_share",
    ),
    path(
        "families/<int:family_id>/documents/<int:document_id>/versions/<int:version_id>/download/",
        views.document_download,
        name="document_download",
    ),
]
