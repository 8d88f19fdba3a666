from __future__ import annotations

from django.contrib import messages
from django.core.files.storage import default_storage
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cases.documents import services
from cases.documents.content import RefusedFile
from cases.documents.forms import DocumentForm, RemoveForm, ReplaceForm
from cases.models import AccessAction, Document, DocumentVersion, Member
from cases.permissions import Need, access_family


def _documents(family):  # type: ignore[no-untyped-def]
    return (
        Document.objects.filter(family=family)
        .select_related("created_by", "shared_by")
        .prefetch_related(
            Prefetch(
                "versions",
                queryset=DocumentVersion.objects.select_related("uploaded_by").order_by("-number"),
            ),
            Prefetch("members", queryset=Member.objects.only("id", "name")),
        )
    )


def _document_lookup(document_id: int):  # type: ignore[no-untyped-def]
    return lambda family: get_object_or_404(_documents(family), pk=document_id)


@require_GET
def document_list(request: HttpRequest, family_id: int) -> HttpResponse:
    access = access_family(request, family_id, obj="documenten")
    return render(
        request,
        "cases/document_list.html",
        {"family": access.family, "access": access, "documents": list(_documents(access.family))},
    )


@require_http_methods(["GET", "POST"])
def document_upload(request: HttpRequest, family_id: int) -> HttpResponse:
    access = access_family(
        request, family_id, need=Need.WRITE, action=AccessAction.CREATE, obj="document"
    )
    family = access.family
    form = DocumentForm(request.POST or None, request.FILES or None, family=family)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        upload = data["file"]
        try:
            services.document_upload(
                family=family,
                by=request.user,
                content=upload.read(),
                original_name=upload.name,
                kind=data["kind"],
                date=data["date"],
                members=data["members"],
                description=data["description"],
            )
        except RefusedFile as refused:
            form.add_error("file", str(refused))
        else:
            messages.success(request, _("Document toegevoegd aan het dossier."))
            return redirect("cases:document_list", family_id=family.pk)
    return render(
        request,
        "cases/document_form.html",
        {"form": form, "family": family, "access": access, "title": _("Document toevoegen")},
    )


@require_http_methods(["GET", "POST"])
def document_replace(request: HttpRequest, family_id: int, document_id: int) -> HttpResponse:
    access = access_family(
        request,
        family_id,
        need=Need.WRITE,
        action=AccessAction.CHANGE if request.method == "POST" else AccessAction.READ,
        obj=f"document {document_id}",
        lookup=_document_lookup(document_id),
    )
    family, document = access.family, access.record
    form = ReplaceForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            services.document_replace(
                document=document, by=request.user, content=upload.read(), original_name=upload.name
            )
        except RefusedFile as refused:
            form.add_error("file", str(refused))
        else:
            messages.success(request, _("Nieuwe versie opgeslagen; de vorige blijft bewaard."))
            return redirect("cases:document_list", family_id=family.pk)
    return render(
        request,
        "cases/document_form.html",
        {
            "form": form,
            "family": family,
            "access": access,
            "document": document,
            "title": _("Nieuwe versie van een document"),
        },
    )


@require_http_methods(["GET", "POST"])
def document_remove(request: HttpRequest, family_id: int, document_id: int) -> HttpResponse:
    """Removal asks first and needs the box ticked; the gate logs it as a delete."""
    access = access_family(
        request,
        family_id,
        need=Need.WRITE,
        action=AccessAction.DELETE if request.method == "POST" else AccessAction.READ,
        obj=f"document {document_id}",
        lookup=_document_lookup(document_id),
    )
    family, document = access.family, access.record
    form = RemoveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.document_remove(document=document)
        messages.success(request, _("Document verwijderd."))
        return redirect("cases:document_list", family_id=family.pk)
    return render(
        request,
        "cases/document_remove.html",
        {"form": form, "family": family, "access": access, "document": document},
    )


@require_GET
def document_download(
    request: HttpRequest, family_id: int, document_id: int, version_id: int
) -> HttpResponse:
    """The file as a download, under a safe name, through the gate: every download is an
    export in the access log."""
    access = access_family(
        request,
        family_id,
        action=AccessAction.EXPORT,
        obj=f"document {document_id} versie {version_id}",
        lookup=lambda family: get_object_or_404(
            DocumentVersion, pk=version_id, document_id=document_id, document__family=family
        ),
    )
    version = access.record
    try:
        handle = default_storage.open(version.stored_name, "rb")
    except FileNotFoundError:
        raise Http404("No such file.") from None
    response = FileResponse(
        handle, as_attachment=True, filename=version.file_name, content_type=version.content_type
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_POST
def document_share(request: HttpRequest, family_id: int, document_id: int) -> HttpResponse:
    """Share the document with the family in its portal, or (shared=0) undo that."""
    access = access_family(
        request,
        family_id,
        need=Need.WRITE,
        obj=f"document {document_id} delen met gezin",
        lookup=_document_lookup(document_id),
    )
    shared = request.POST.get("shared") != "0"
    services.document_share(document=access.record, by=request.user, shared=shared)
    messages.success(
        request,
        _("Het gezin ziet dit document nu in het gezinsportaal.")
        if shared
        else _("Het gezin ziet dit document niet meer in het gezinsportaal."),
    )
    return redirect("cases:document_list", family_id=access.family.pk)
