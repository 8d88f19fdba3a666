"""The coach's side of the family portal: who has an account, invitations, ending one.

On the family's page (members section, "Gezinsportaal"); the coach of the family or the
coordinator (Need.WRITE) invites a member with gezag or aged 12+.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cases.models import AccessAction, Member, PortalAccount, PortalInvitation, PortalMessage
from cases.permissions import Need, access_family
from cases.portal import services
from cases.portal.forms import PortalMessageForm


@require_GET
def portal_members(request: HttpRequest, family_id: int) -> HttpResponse:
    access = access_family(request, family_id, need=Need.READ, obj="gezinsportaal")
    family = access.family
    members = list(
        family.members.prefetch_related(
            Prefetch(
                "portal_accounts",
                queryset=PortalAccount.objects.filter(ended_at__isnull=True).select_related("user"),
                to_attr="open_accounts",
            ),
            Prefetch(
                "portal_invitations",
                queryset=PortalInvitation.objects.usable(),
                to_attr="usable_invitations",
            ),
        )
    )
    for member in members:
        member.may_be_invited = services.may_be_invited(member)
        member.account = member.open_accounts[0] if member.open_accounts else None
        member.invitation = member.usable_invitations[0] if member.usable_invitations else None
    return render(
        request,
        "portal/staff_members.html",
        {"family": family, "access": access, "members": members},
    )


@require_POST
def portal_invite(request: HttpRequest, family_id: int, member_id: int) -> HttpResponse:
    access = access_family(
        request,
        family_id,
        need=Need.WRITE,
        action=AccessAction.CREATE,
        obj=f"uitnodiging gezinsportaal, gezinslid {member_id}",
        lookup=lambda family: get_object_or_404(Member, pk=member_id, family=family),
    )
    member = access.record
    if not services.may_be_invited(member):
        messages.error(
            request,
            _(
                "Alleen een gezinslid met gezag of van 12 jaar of ouder kan een account voor "
                "het gezinsportaal krijgen."
            ),
        )
        return redirect("cases:portal_members", family_id=family_id)
    if services.open_account(member) is not None:
        messages.error(request, _("Dit gezinslid heeft al een account voor het gezinsportaal."))
        return redirect("cases:portal_members", family_id=family_id)
    token = services.portal_invitation_create(member=member, by=request.user)
    link = request.build_absolute_uri(reverse("portal:invitation", kwargs={"token": token}))
    return render(
        request,
        "portal/staff_invitation.html",
        {
            "family": access.family,
            "access": access,
            "member": member,
            "link": link,
            "invitation_days": settings.PORTAL["INVITATION_DAYS"],
        },
    )


@require_POST
def portal_invitation_revoke(
    request: HttpRequest, family_id: int, invitation_id: int
) -> HttpResponse:
    access = access_family(
        request,
        family_id,
        need=Need.WRITE,
        obj=f"uitnodiging gezinsportaal {invitation_id}",
        lookup=lambda family: get_object_or_404(
            PortalInvitation, pk=invitation_id, member__family=family
        ),
    )
    services.portal_invitation_revoke(invitation=access.record)
    messages.success(request, _("De uitnodiging is ingetrokken; de link werkt niet meer."))
    return redirect("cases:portal_members", family_id=family_id)


@require_POST
def portal_account_end(request: HttpRequest, family_id: int, account_id: int) -> HttpResponse:
    access = access_family(
        request,
        family_id,
        need=Need.WRITE,
        obj=f"account gezinsportaal {account_id}",
        lookup=lambda family: get_object_or_404(
            PortalAccount, pk=account_id, family=family, ended_at__isnull=True
        ),
    )
    services.portal_account_end(account=access.record, by=request.user)
    messages.success(request, _("Het account is beëindigd; inloggen kan niet meer."))
    return redirect("cases:portal_members", family_id=family_id)


@require_http_methods(["GET", "POST"])
def family_messages(request: HttpRequest, family_id: int) -> HttpResponse:
    """The messages with the family (its portal), read and answered by the team members
    who may write in the file. Opening the page marks the family's messages as read."""
    access = access_family(
        request,
        family_id,
        need=Need.WRITE,
        action=AccessAction.CREATE if request.method == "POST" else AccessAction.READ,
        obj="berichten gezinsportaal",
    )
    family = access.family
    form = PortalMessageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.staff_message_write(
                family=family, by=request.user, text=form.cleaned_data["text"]
            )
        except services.MessageRefused as refused:
            form.add_error("text", str(refused))
        else:
            messages.success(request, _("Uw antwoord staat nu in het portaal van het gezin."))
            return redirect("cases:portal_messages", family_id=family.pk)
    thread = list(PortalMessage.objects.filter(family=family).select_related("member", "author"))
    unread = {m.pk for m in thread if m.from_family and m.read_at is None}
    if request.method == "GET" and unread:
        services.portal_messages_read_by_staff(family=family)
    return render(
        request,
        "portal/staff_messages.html",
        {
            "family": family,
            "access": access,
            "active_tab": "portal_messages",
            "thread": thread,
            "unread_ids": unread,
            "form": form,
        },
    )
