"""When a questionnaire waits for a family member in the portal, and filling it in.

Who may fill: a member with gezag, or a member of YOUNG_PERSON_MIN_AGE (12) or older (the
age from which staff let a child answer, reports.forms._QuestionnaireForm); a member
without gezag and without a known birth date stays with the coach's form.

When the SDM-Q-9 waits: at the moment that belongs to where the family stands, the moments
staff use (QuestionnaireMoment), once per member per moment, whoever entered it:
    start or analysis phase          -> Start
    execution phase                  -> Na de analyse
    closing phase or aftercare       -> Afsluiting
The "tussentijds" moment is the coach's choice and stays a staff form.
When the exit questionnaire waits: in the closing phase or in aftercare, once per member.

The answers land in the staff models (SdmResponse, ExitQuestionnaire) through the same
services, with via=portal and recorded_by the member's portal user, so the team report and
the research dataset read them unchanged.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from cases.models import Family, FamilyStatus, Member
from phases.models import PhaseEpisode, PhaseKind
from reports import services
from reports.forms import YOUNG_PERSON_MIN_AGE
from reports.models import ExitQuestionnaire, FilledVia, QuestionnaireMoment, SdmResponse

SDM = "sdm"
EXIT = "exit"

_MOMENT_OF_PHASE = {
    PhaseKind.START: QuestionnaireMoment.START,
    PhaseKind.ANALYSIS: QuestionnaireMoment.START,
    PhaseKind.EXECUTION: QuestionnaireMoment.AFTER_ANALYSIS,
    PhaseKind.CLOSING: QuestionnaireMoment.CLOSING,
}


class NotWaiting(Exception):
    """The questionnaire does not (or no longer) wait for this member."""


def may_fill(member: Member) -> bool:
    age = member.age
    return member.has_parental_authority or (age is not None and age >= YOUNG_PERSON_MIN_AGE)


def current_moment(family: Family) -> str | None:
    """The SDM moment where the family stands now, or None (not started, closed)."""
    if family.status == FamilyStatus.AFTERCARE:
        return QuestionnaireMoment.CLOSING
    if family.status != FamilyStatus.ACTIVE:
        return None
    kind = (
        PhaseEpisode.objects.open()
        .filter(family=family)
        .order_by("-started_on")
        .values_list("kind", flat=True)
        .first()
    )
    return _MOMENT_OF_PHASE.get(kind) if kind else None


@dataclass(frozen=True)
class Filled:
    kind: str  # SDM or EXIT
    moment: str  # a QuestionnaireMoment value, "" for the exit questionnaire
    date: datetime.date

    @property
    def moment_label(self) -> Any:
        return QuestionnaireMoment(self.moment).label if self.moment else ""


@dataclass(frozen=True)
class Questionnaires:
    """What waits for one member and what this member filled in (dates only, no scores)."""

    sdm_moment: str | None  # the SDM moment that waits, or None
    exit_waits: bool
    filled: list[Filled]

    @property
    def waiting(self) -> bool:
        return self.sdm_moment is not None or self.exit_waits

    @property
    def sdm_moment_label(self) -> Any:
        return QuestionnaireMoment(self.sdm_moment).label if self.sdm_moment else ""


def questionnaires_for(family: Family, member: Member) -> Questionnaires:
    """Three queries: the member's SDMs and exit questionnaires, and the open phase."""
    sdm = list(
        SdmResponse.objects.filter(family=family, member=member)
        .order_by("date", "pk")
        .values_list("moment", "date")
    )
    exits = list(
        ExitQuestionnaire.objects.filter(family=family, member=member)
        .order_by("date", "pk")
        .values_list("date", flat=True)
    )
    filled = [Filled(SDM, moment, day) for moment, day in sdm] + [
        Filled(EXIT, "", day) for day in exits
    ]
    filled.sort(key=lambda f: f.date)
    if not may_fill(member):
        return Questionnaires(sdm_moment=None, exit_waits=False, filled=filled)
    moment = current_moment(family)
    done = {m for m, _day in sdm}
    return Questionnaires(
        sdm_moment=moment if moment is not None and moment not in done else None,
        exit_waits=moment == QuestionnaireMoment.CLOSING and not exits,
        filled=filled,
    )


def _lock(member: Member) -> Family:
    # One answer per member and moment: a second tab or a double tap waits here, then
    # finds the questionnaire no longer waiting.
    return Family.objects.select_for_update().get(pk=member.family_id)


@transaction.atomic
def portal_sdm_record(*, member: Member, user: Any, items: list[int]) -> SdmResponse:
    family = _lock(member)
    moment = questionnaires_for(family, member).sdm_moment
    if moment is None:
        raise NotWaiting
    return services.sdm_record(
        family=family,
        member=member,
        moment=moment,
        date=timezone.localdate(),
        items=items,
        by=user,
        via=FilledVia.PORTAL,
    )


@transaction.atomic
def portal_exit_record(
    *, member: Member, user: Any, answers: dict[str, int], comments: str
) -> ExitQuestionnaire:
    family = _lock(member)
    if not questionnaires_for(family, member).exit_waits:
        raise NotWaiting
    return services.exit_record(
        family=family,
        member=member,
        date=timezone.localdate(),
        answers=answers,
        comments=comments,
        by=user,
        via=FilledVia.PORTAL,
    )
