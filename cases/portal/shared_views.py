"""What the team shares with the family in its portal: documents and messages.

Every page starts with the portal gate (cases.portal.gate.portal_access); the access-log
labels hold ids only. A document is the family's to see only once the coach shared it
(Document.shared_at); an unshared one answers 404, as does another family's.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.files.storage import default_storage
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from cases.models import (
    PORTAL_MESSAGE_MAX,
    AccessAction,
    Document,
    DocumentVersion,
    PortalMessage,
)
from cases.portal import services
from cases.portal.forms import PortalMessageForm
from cases.portal.gate import portal_access


def _shared_documents(family):  # type: ignore[no-untyped-def]
    return (
        Document.objects.filter(family=family, shared_at__isnull=False)
        .only("id", "kind", "date", "description", "shared_at")
        .prefetch_related(
            Prefetch(
                "versions",
                queryset=DocumentVersion.objects.only(
                    "id", "document_id", "number", "file_name", "size", "uploaded_at"
                ).order_by("-number"),
            )
        )
        .order_by("-shared_at", "-pk")
    )


@require_GET
def documents(request: HttpRequest) -> HttpResponse:
    access = portal_access(request, obj="documenten")
    return render(
        request,
        "portal/documents.html",
        {
            "portal": access,
            "active": "documents",
            "documents": list(_shared_documents(access.family)),
        },
    )


@require_GET
def document_download(request: HttpRequest, document_id: int) -> HttpResponse:
    """The current version of a shared document, through the portal gate (an export row
    in the access log per download)."""
    access = portal_access(request, obj=f"document {document_id}", action=AccessAction.EXPORT)
    document = _shared_documents(access.family).filter(pk=document_id).first()
    version = document.current if document is not None else None
    if version is None:
        raise Http404("No shared document.")
    stored = DocumentVersion.objects.only("stored_name", "content_type").get(pk=version.pk)
    try:
        handle = default_storage.open(stored.stored_name, "rb")
    except FileNotFoundError:
        raise Http404("No such file.") from None
    response = FileResponse(
        handle, as_attachment=True, filename=version.file_name, content_type=stored.content_type
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_http_methods(["GET", "POST"])
def message_list(request: HttpRequest) -> HttpResponse:
    """The family's messages with the team, oldest first, and a form to write one. Opening
    the page marks the team's messages as read."""
    access = portal_access(
        request,
        obj="berichten",
        action=AccessAction.CREATE if request.method == "POST" else AccessAction.READ,
    )
    family = access.family
    form = PortalMessageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.portal_message_write(
                family=family, member=access.member, by=request.user, text=form.cleaned_data["text"]
            )
        except services.MessageRefused as refused:
            form.add_error("text", str(refused))
        else:
            messages.success(request, _("Uw bericht is verstuurd naar uw coach."))
            return redirect("portal:messages")
    thread = list(
        PortalMessage.objects.filter(family=family)
        .select_related("member", "author")
        .only(
            "id",
            "text",
            "created_at",
            "read_at",
            "member__id",
            "member__name",
            "author__id",
            "author__first_name",
            "author__last_name",
            "author__username",
        )
    )
    unread = [m.pk for m in thread if not m.from_family and m.read_at is None]
    if request.method == "GET" and unread:
        services.portal_messages_read_by_family(family=family)
    return render(
        request,
        "portal/messages.html",
        {
            "portal": access,
            "active": "messages",
            "thread": thread,
            "unread_ids": set(unread),
            "form": form,
            "max_length": PORTAL_MESSAGE_MAX,
        },
    )
