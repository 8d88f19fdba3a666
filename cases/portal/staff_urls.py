"""The coach's pages of the family portal (in the `cases` namespace)."""

from __future__ import annotations

from django.urls import path

from cases.portal import staff_views

urlpatterns = [
    path(
        "families/<int:family_id>/portal/messages/",
        staff_views.family_messages,
        name="portal_messages",
    ),
    path(
        "families/<int:family_id>/portal/",
        staff_views.portal_members,
        name="portal_members",
    ),
    path(
        "families/<int:family_id>/portal/members/<int:member_id>/invite/",
        staff_views.portal_invite,
        name="portal_invite",
    ),
    path(
        "families/<int:family_id>/portal/invitations/<int:invitation_id>/revoke/",
        staff_views.portal_invitation_revoke,
        name="portal_invitation_revoke",
    ),
    path(
        "families/<int:family_id>/portal/accounts/<int:account_id>/end/",
        staff_views.portal_account_end,
        name="portal_account_end",
    ),
]
