"""The family portal in the demo: a parent with gezag and a 15-year-old of one Zuidoost
family with their own portal accounts, and a plan waiting for their agreement (shared by
the coach on purpose), a shared document, a message thread with an unread answer from the
coach, and the network's helpers and agreements on the portal's home page. The parent has a
questionnaire waiting, the young person filled in the SDM-Q-9 in the portal.

Also an invitation not used yet and an ended account in other families, so the coach's
portal page shows every state; the parent's reaction to a goal, own statement and open
request for a copy, and a provided and a refused request in another family. Through the
portal and plan services, as the views do.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from cases import services as case_services
from cases.documents import services as document_services
from cases.models import (
    Family,
    FamilyRole,
    FamilyStatus,
    Member,
    Membership,
    PlanGoal,
    PlanStatus,
    PortalAccount,
    Role,
)
from cases.plan import services as plan_services
from cases.portal import own_services
from cases.portal import services as portal_services
from network import services as network_services
from network.models import AgreementWho, NetworkMember
from reports.portal import services as questionnaire_services

# (username, who): the demo's family accounts (settings.DEMO_USERNAMES names them too).
DEMO_PORTAL_USERS = [("ouder-zuidoost", "parent"), ("jongere-zuidoost", "young")]
YOUNG_AGE = 15


def _family_with_plan_to_agree(team_name: str) -> Family | None:
    """An active Zuidoost family with a fixed plan and a draft not yet agreed."""
    families = Family.objects.filter(
        team__name=team_name, status=FamilyStatus.ACTIVE, coach__isnull=False
    ).order_by("case_number")
    for family in families:
        plans = list(family.plans.all())
        has_fixed = any(p.status == PlanStatus.FIXED for p in plans)
        draft = next((p for p in plans if p.status == PlanStatus.DRAFT), None)
        parent = family.members.filter(has_parental_authority=True).exists()
        if has_fixed and draft is not None and draft.agreed_on is None and parent:
            return family
    return None


def _young_member(family: Family, today: datetime.date) -> Member:
    for member in family.members.all():
        if member.age == YOUNG_AGE:
            return member
    surname = family.display_name.split()[-1]
    born = today.replace(year=today.year - YOUNG_AGE) - datetime.timedelta(days=100)
    return case_services.member_save(
        member=Member(
            family=family,
            name=f"Dani {surname}",
            date_of_birth=born,
            role=FamilyRole.CHILD,
            lives_in_household=True,
        )
    )


def _account(member: Member, *, username: str, password_hash: str, by: Any) -> PortalAccount:
    token = portal_services.portal_invitation_create(member=member, by=by)
    account, _device, _codes = portal_services.portal_account_create(
        invitation=portal_services.invitation_for_token(token),
        password="unused-" + token,  # replaced by the demo password below  # noqa: S106
        totp=None,
        username=username,
    )
    account.user.password = password_hash
    account.user.save(update_fields=["password"])
    return account


def _family_input(family: Family, account: PortalAccount, others: Any) -> None:
    """What the family wrote itself: a reaction to a goal of the fixed plan, its own
    statement and an open request for a copy; and a handled request in another family."""
    member, user = account.member, account.user
    goal = PlanGoal.objects.filter(plan__family=family, plan__status=PlanStatus.FIXED).first()
    if goal is not None:
        own_services.goal_reaction_add(
            goal=goal,
            member=member,
            by=user,
            text="Dit doel past bij ons. Het gaat al beter, maar de ochtenden blijven zwaar.",
        )
    own_services.portal_statement_add(
        member=member,
        by=user,
        text=(
            "In het verslag staat dat ik afspraken vergeet. Dat klopt niet: ik had toen geen "
            "vervoer. Ik wil dat dit in het dossier staat."
        ),
    )
    own_services.copy_request_add(member=member)
    for other in others.order_by("-case_number"):
        asker = other.members.filter(has_parental_authority=True).order_by("pk").first()
        coordinator = (
            Membership.objects.filter(team=other.team, role=Role.COORDINATOR)
            .select_related("user")
            .first()
        )
        if asker is None or coordinator is None:
            continue
        provided = own_services.copy_request_add(member=asker)
        own_services.copy_request_provide(copy_request=provided, by=coordinator.user)
        refused = own_services.copy_request_add(member=asker)
        own_services.copy_request_refuse(
            copy_request=refused,
            by=coordinator.user,
            reason="U kreeg vorige week al een afschrift. Er is sindsdien niets nieuws bijgekomen.",
        )
        return


def seed(*, password: str) -> Family | None:
    today = timezone.localdate()
    family = _family_with_plan_to_agree("Amsterdam Zuidoost")
    if family is None:
        return None
    coach = family.coach
    draft = family.plans.get(status=PlanStatus.DRAFT)
    if draft.review_requested_at is None and draft.reviewed_at is None:
        # Ready for the family: the coach asked the psychologist to review it.
        plan_services.plan_review_request(plan=draft, by=coach)
    if draft.shared_at is None:
        # The coach shares the draft on purpose: only then is it the family's to agree to.
        draft = plan_services.plan_share(plan=draft, by=coach)
    password_hash = make_password(password)
    parents = list(family.members.filter(has_parental_authority=True).order_by("pk"))
    # The parent for whom a questionnaire waits (the demo's other rows may have filled one).
    parent = next(
        (p for p in parents if questionnaire_services.questionnaires_for(family, p).waiting),
        parents[0],
    )
    young = _young_member(family, today)
    parent_account = _account(
        parent, username="ouder-zuidoost", password_hash=password_hash, by=coach
    )
    young_account = _account(
        young, username="jongere-zuidoost", password_hash=password_hash, by=coach
    )
    if questionnaire_services.questionnaires_for(family, young).sdm_moment is not None:
        # Filled in by the young person in the portal, as the portal's page does.
        questionnaire_services.portal_sdm_record(
            member=young, user=young_account.user, items=[4, 3, 4, 2, 4, 5, 3, 4, 4]
        )
    _shared_with_family(family, coach=coach, parent=parent)
    # Other states on the coach's portal page: a link not used yet, an ended account.
    others = Family.objects.filter(team__name="Amsterdam Zuidoost").exclude(pk=family.pk)
    invited = ended = False
    for other in others.order_by("case_number"):
        member = other.members.filter(has_parental_authority=True).order_by("pk").first()
        if member is None or other.coach is None:
            continue
        if not invited:
            portal_services.portal_invitation_create(member=member, by=other.coach)
            invited = True
        elif not ended:
            token = portal_services.portal_invitation_create(member=member, by=other.coach)
            account, _device, _codes = portal_services.portal_account_create(
                invitation=portal_services.invitation_for_token(token),
                password="unused-" + token,  # noqa: S106 - never logged in with
                totp=None,
            )
            portal_services.portal_account_end(account=account, by=other.coach)
            ended = True
        else:
            break
    _family_input(family, parent_account, others)
    return family


def _shared_with_family(family: Family, *, coach: Any, parent: Member) -> None:
    """What the coach shares: the newest document, a thread of messages whose last answer
    the family has not read yet, and (if the network has none) a helper with an agreement."""
    document = family.documents.order_by("-date", "-pk").first()
    if document is not None:
        document_services.document_share(document=document, by=coach)
    user = parent.portal_accounts.get(ended_at__isnull=True).user
    portal_services.portal_message_write(
        family=family,
        member=parent,
        by=user,
        text="Kunnen we de afspraak van donderdag een uur later doen? Dan kan ik eerst werken.",
    )
    portal_services.portal_messages_read_by_staff(family=family)
    portal_services.staff_message_write(
        family=family,
        by=coach,
        text="Dat is goed. Ik kom donderdag om 15.00 uur. Tot dan!",
    )
    helper = (
        NetworkMember.objects.filter(family=family, willing_to_contribute=True)
        .order_by("pk")
        .first()
    )
    if helper is None:
        helper = network_services.network_member_create(
            family=family,
            data={
                "name": "Tante Gloria",
                "relation": "tante",
                "circle": "family",
                "willing_to_contribute": True,
                "special_role": "safety_net",
            },
        )
    if not family.agreements.filter(network_member=helper).exists():
        network_services.agreement_create(
            family=family,
            data={
                "who_kind": AgreementWho.NETWORK_MEMBER,
                "network_member": helper,
                "what": "Past op de kinderen als er een afspraak bij school is.",
                "frequency": "als het nodig is",
            },
        )
