"""What the family does itself in its portal: a reaction to a goal, its own statement in
the file (eigen verklaring), a request for a copy of the file (afschrift); and the
coordinator's answer to that request.

Each write is one transaction. The family's actions are logged by the portal gate
(cases.portal.gate.portal_access), the coordinator's by the family gate (access_family).
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from cases.handover.services import notification_create
from cases.models import (
    ClientStatement,
    CopyRequest,
    CopyRequestStatus,
    CopyScope,
    FamilyRole,
    GoalReaction,
    Member,
    Membership,
    NotificationKind,
    PlanGoal,
    Role,
    UserPreference,
    age_on,
)
from cases.records.consent import consent_age

logger = logging.getLogger(__name__)


class NotAllowed(Exception):
    """The member may not do this (the rule says why); nothing was written."""


# --- Who receives what: the copy rule ------------------------------------------------------


@dataclass
class CopyRule:
    """What a member who asks for a copy of the file receives, on one day."""

    may_ask: bool
    scope: str | None  # CopyScope, None when the member may not ask
    # Children of 16 and older: what concerns them stays out of a parent's copy.
    left_out: list[Member] = field(default_factory=list)
    # Children of 12 up to 16: what concerns them is in a parent's copy only with their consent.
    with_consent_of: list[Member] = field(default_factory=list)
    # A young person of 12 up to 16 asks with a parent with gezag.
    with_parent: bool = False


def _age(member: Member, on_date: datetime.date) -> int | None:
    return age_on(member.date_of_birth, on_date) if member.date_of_birth else None


def copy_rule(member: Member, on_date: datetime.date, *, members: list[Member]) -> CopyRule:
    """Who receives what of the file, by the Jeugdwet's ages (settings.CONSENT_AGES, the
    ages cases.records.consent uses for sharing), on `on_date` (a birthday counts from the
    day itself; a child without a known birth date counts as under 12):

    - a young person (role child) of 16 or older asks alone and receives what concerns
      them (CopyScope.OWN);
    - a young person of 12 up to 16 receives what concerns them, asked together with a
      parent with gezag (`with_parent`), as consent for them needs both;
    - a child under 12 does not ask: a parent with gezag asks;
    - a parent with gezag receives the family's file (CopyScope.FILE), except what
      concerns a child of 16 or older (`left_out`: the young person decides alone), and
      what concerns a child of 12 up to 16 only with that child's consent
      (`with_consent_of`);
    - any other adult member (without gezag) receives what concerns them (CopyScope.OWN).

    `members`: the family's members (the children are read from them).
    """
    alone_from = consent_age("CHILD_ALONE_FROM")
    with_child_from = consent_age("WITH_CHILD_FROM")
    if member.role == FamilyRole.CHILD:
        age = _age(member, on_date)
        if age is not None and age >= alone_from:
            return CopyRule(may_ask=True, scope=CopyScope.OWN)
        if age is not None and age >= with_child_from:
            return CopyRule(may_ask=True, scope=CopyScope.OWN, with_parent=True)
        return CopyRule(may_ask=False, scope=None)
    if member.has_parental_authority:
        rule = CopyRule(may_ask=True, scope=CopyScope.FILE)
        for child in members:
            if child.role != FamilyRole.CHILD or child.pk == member.pk:
                continue
            age = _age(child, on_date)
            if age is None or age < with_child_from:
                continue
            (rule.left_out if age >= alone_from else rule.with_consent_of).append(child)
        return rule
    return CopyRule(may_ask=True, scope=CopyScope.OWN)


def _names(members: list[Member]) -> str:
    """ "Lisa", "Lisa en Sem", "Lisa, Sem en Noah"."""
    names = [m.name for m in members]
    if len(names) == 1:
        return names[0]
    return _("%(first)s en %(last)s") % {"first": ", ".join(names[:-1]), "last": names[-1]}


def copy_rule_sentences(rule: CopyRule) -> list[str]:
    """What the member will receive, in plain Dutch (B1), as the portal page says it."""
    if not rule.may_ask:
        return [
            _("Een ouder met gezag kan een afschrift van het dossier vragen."),
            _("Vanaf 12 jaar kun je zelf vragen om wat over jou gaat."),
        ]
    if rule.scope == CopyScope.OWN:
        sentences = [_("U krijgt een afschrift van alles in het dossier dat over u gaat.")]
        if rule.with_parent:
            sentences.append(
                _(
                    "U bent nog geen 16. Daarom vraagt de coördinator ook uw ouder met gezag "
                    "of het goed is."
                )
            )
        return sentences
    sentences = [_("U krijgt een afschrift van het dossier van uw gezin.")]
    if rule.left_out:
        names = _names(rule.left_out)
        sentences.append(
            _(
                "Wat alleen over %(names)s gaat, zit er niet in. Vanaf 16 jaar beslist een "
                "jongere dat zelf."
            )
            % {"names": names}
        )
    if rule.with_consent_of:
        names = _names(rule.with_consent_of)
        if len(rule.with_consent_of) == 1:
            sentence = _("Wat over %(names)s gaat, zit er alleen in als %(names)s het goed vindt.")
        else:
            sentence = _(
                "Wat over %(names)s gaat, zit er alleen in als ieder van hen het goed vindt."
            )
        sentences.append(sentence % {"names": names})
        sentences.append(_("Van 12 tot 16 jaar beslist een kind mee."))
    return sentences


# --- Reactions and statements ----------------------------------------------------------


@transaction.atomic
def goal_reaction_add(*, goal: PlanGoal, member: Member, by: Any, text: str) -> GoalReaction:
    """A member's reaction to a goal of the family's plan, in their own words; the coach
    gets a notification (ids only, like a comment's)."""
    if goal.plan.family_id != member.family_id:
        raise NotAllowed("the goal is not of the member's family")
    text = text.strip()
    if not text:
        raise ValueError("a reaction needs text")
    reaction = GoalReaction.objects.create(goal=goal, member=member, text=text)
    notification_create(
        recipient=member.family.coach,
        kind=NotificationKind.GOAL_REACTION,
        by=by,
        family=member.family,
    )
    return reaction


@transaction.atomic
def portal_statement_add(*, member: Member, by: Any, text: str) -> ClientStatement:
    """The member's own statement added to the file (Jeugdwet), written in the portal:
    given by the member, recorded by their portal user; the coach gets a notification."""
    text = text.strip()
    if not text:
        raise ValueError("a statement needs text")
    statement = ClientStatement.objects.create(
        family=member.family,
        member=member,
        given_by=member.name,
        text=text,
        recorded_by=by,
        statement_date=timezone.localdate(),
    )
    notification_create(
        recipient=member.family.coach,
        kind=NotificationKind.STATEMENT,
        by=by,
        family=member.family,
    )
    return statement


# --- Copy requests ---------------------------------------------------------------------


def open_copy_request(member: Member) -> CopyRequest | None:
    return CopyRequest.objects.filter(member=member, status=CopyRequestStatus.REQUESTED).first()


@transaction.atomic
def copy_request_add(*, member: Member) -> CopyRequest:
    """The member asks for a copy of the file; the rule of the day (copy_rule) is kept with
    the request. A second request while one is open returns the open one. The coordinators
    of the family's team get an e-mail with the case number only."""
    family = member.family
    rule = copy_rule(member, timezone.localdate(), members=list(family.members.all()))
    if not rule.may_ask:
        raise NotAllowed("the member may not ask for a copy")
    # One open request per member: lock the member so two tabs make one request.
    Member.objects.select_for_update().filter(pk=member.pk).first()
    existing = open_copy_request(member)
    if existing is not None:
        return existing
    request = CopyRequest.objects.create(family=family, member=member, scope=rule.scope)
    case_number, team_id = family.case_number, family.team_id
    transaction.on_commit(lambda: _mail_coordinators(team_id=team_id, case_number=case_number))
    return request


def _mail_coordinators(*, team_id: int, case_number: str) -> None:
    """An e-mail to each coordinator of the team: the case number, no names (a mail leaves
    the system)."""
    memberships = Membership.objects.filter(
        team_id=team_id, role=Role.COORDINATOR, user__is_active=True
    ).select_related("user")
    languages = dict(
        UserPreference.objects.filter(user_id__in=[m.user_id for m in memberships]).values_list(
            "user_id", "language"
        )
    )
    for membership in memberships:
        user = membership.user
        if not user.email:
            continue
        with translation.override(languages.get(user.pk) or settings.LANGUAGE_CODE):
            subject = _("FamilieKracht: verzoek om afschrift (%(number)s)") % {
                "number": case_number
            }
            body = "\n".join(
                [
                    _("Beste %(name)s,") % {"name": user.first_name or user.username},
                    "",
                    _("In het gezinsportaal is gevraagd om een afschrift van dossier %(number)s.")
                    % {"number": case_number},
                    "",
                    _("U vindt het verzoek onder ‘Dossier en privacy’ van het gezin."),
                ]
            )
        try:
            send_mail(subject, body, None, [user.email])
        except Exception:
            # The request is saved and shown in the app; a mail hiccup must not undo it.
            logger.exception("copy request mail to user %s failed", user.pk)


@transaction.atomic
def copy_request_provide(*, copy_request: CopyRequest, by: Any) -> CopyRequest:
    """The coordinator gave the copy. Only an open request changes."""
    return _handle(copy_request, by=by, status=CopyRequestStatus.PROVIDED, reason="")


@transaction.atomic
def copy_request_refuse(*, copy_request: CopyRequest, by: Any, reason: str) -> CopyRequest:
    """The coordinator refuses the copy, with a reason the family reads in its portal."""
    reason = reason.strip()
    if not reason:
        raise ValueError("a refusal needs a reason")
    return _handle(copy_request, by=by, status=CopyRequestStatus.REFUSED, reason=reason)


def _handle(copy_request: CopyRequest, *, by: Any, status: str, reason: str) -> CopyRequest:
    locked = CopyRequest.objects.select_for_update().get(pk=copy_request.pk)
    if not locked.is_open:
        raise NotAllowed("the request was handled already")
    locked.status = status
    locked.handled_by = by
    locked.handled_at = timezone.now()
    locked.refusal_reason = reason
    locked.save(update_fields=["status", "handled_by", "handled_at", "refusal_reason"])
    return locked
