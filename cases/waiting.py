"""What waits for the psychologist's decision ("Wacht op mij"), at once.

Derived from the pending objects themselves (a proposed phase transition, a plan asked for
review, …), never from copied rows: what is decided is gone for everyone in the same
request. The sources live in their own apps and are listed in settings.WAITING_SOURCES
(dotted module paths); each module has

    items(user) -> list[Waiting]   what waits for `user`, one query or two
    count(user) -> int             how many, one query

`cases` imports none of them. The landing page lists the items, the navigation shows the
count (cases.context_processors.waiting), and `waiting_notify` mails the team's
psychologists by case number only when something starts to wait.
"""

from __future__ import annotations

import datetime
import importlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from types import ModuleType
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from cases.models import Membership, UserPreference
from cases.permissions import APPROVER_ROLES, user_memberships

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Waiting:
    """One thing that waits for a decision; shown by case number (no names)."""

    family_id: int
    case_number: str
    kind: str  # the kind's label, e.g. "Faseovergang"
    summary: str
    asked_at: datetime.datetime
    asked_by: str
    url: str  # the page where it is decided


def waiting_sources() -> list[ModuleType]:
    return [importlib.import_module(path) for path in settings.WAITING_SOURCES]


def approver_team_ids(user: Any) -> Any:
    """The teams in which `user` decides (the psychologist), as a subquery for a source."""
    return Membership.objects.filter(user=user, role__in=APPROVER_ROLES).values("team_id")


def is_approver(request: Any) -> bool:
    """Whether the user decides in any of their teams (from the request's memberships)."""
    return any(m.role in APPROVER_ROLES for m in user_memberships(request))


def waiting_for(user: Any) -> list[Waiting]:
    """Everything that waits for `user`, oldest first."""
    items = [item for source in waiting_sources() for item in source.items(user)]
    return sorted(items, key=lambda w: w.asked_at)


def waiting_count(user: Any) -> int:
    return sum(source.count(user) for source in waiting_sources())


def waiting_notify(
    *,
    team_id: int,
    kind: Any,
    case_number: str,
    exclude_user_id: int,
    still_waiting: Callable[[], bool],
) -> None:
    """Mail the team's active psychologists that something waits for them, once the
    transaction that made it commits and if it still waits then (`still_waiting`: decided
    in the same transaction, it is not mailed). `kind` is a lazy label, read in each one's
    language. E-mail is no safe channel for client data: the case number only, the rest
    is in the app behind the log-in."""

    def send() -> None:
        if still_waiting():
            _send(
                team_id=team_id,
                kind=kind,
                case_number=case_number,
                exclude_user_id=exclude_user_id,
            )

    transaction.on_commit(send)


def _send(*, team_id: int, kind: Any, case_number: str, exclude_user_id: int) -> None:
    recipients = list(
        Membership.objects.filter(team_id=team_id, role__in=APPROVER_ROLES, user__is_active=True)
        .exclude(user_id=exclude_user_id)
        .exclude(user__email="")
        .select_related("user")
    )
    languages = dict(
        UserPreference.objects.filter(user_id__in=[m.user_id for m in recipients]).values_list(
            "user_id", "language"
        )
    )
    for membership in recipients:
        user = membership.user
        with translation.override(languages.get(user.pk, settings.LANGUAGE_CODE)):
            label = str(kind)
            body = "\n".join(
                [
                    _("Beste %(name)s,") % {"name": user.first_name or user.username},
                    "",
                    _("Er wacht iets op uw besluit in FamilieKracht: %(kind)s, dossier %(number)s.")
                    % {"kind": label, "number": case_number},
                    "",
                    _("U vindt het onder ‘Wacht op mij’ op uw startpagina in FamilieKracht."),
                ]
            )
            subject = _("FamilieKracht: %(kind)s wacht op u (%(number)s)") % {
                "kind": label,
                "number": case_number,
            }
        try:
            send_mail(subject, body, None, [user.email])
        except Exception:
            # What waits is saved and shown in the app; a mail hiccup must not undo it.
            logger.exception("waiting mail to user %s failed", user.pk)
