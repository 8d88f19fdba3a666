"""Writes for reports: family plan PDFs, case reviews and questionnaires."""

from __future__ import annotations

import datetime
import hashlib
import logging
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from cases.models import Consent, Family, FamilyPlan, Member, StoredFileKind, TaskSource
from cases.storage import family_file_save
from cases.todo.forms import default_due_on
from cases.todo.services import task_create
from reports import pdf
from reports.models import (
    EXIT_ITEMS,
    IMPLEMENTATION_ITEMS,
    CaseReview,
    ExitQuestionnaire,
    ExportState,
    FilledVia,
    ImplementationResponse,
    PlanPdf,
    ProfessionalSdmResponse,
    SdmResponse,
    half_of,
)
from reports.questionnaires import professional_sdm_score, sdm_score

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

logger = logging.getLogger(__name__)

RECENT_EXPORTS = 5


def recent_exports(family: Family) -> list[PlanPdf]:
    return list(family.plan_pdfs.select_related("requested_by", "family")[:RECENT_EXPORTS])


def export_name(export: PlanPdf) -> str:
    """The export's name in the storage; fixed per export, so a second run makes no new file.

    Private: the storage has no URL route; files leave only through the access gate.
    """
    return f"plans/{export.family_id}/{export.pk}.pdf"


def _enqueue(export: PlanPdf) -> None:
    from reports.tasks import render_plan_pdf

    transaction.on_commit(lambda: render_plan_pdf.delay(export.pk))


@transaction.atomic
def plan_pdf_request(
    *,
    family: Family,
    plan: FamilyPlan,
    by: Any,
    recipient: str = "",
    consent: Consent | None = None,
    include_strengths: bool = False,
    include_timeline: bool = False,
) -> PlanPdf:
    """Record the request and render it in the background once the request is committed.

    `recipient` names an organisation outside the team the plan is made for, with the
    consent that covers it (None when the requester confirmed sharing without one).
    """
    export = PlanPdf.objects.create(
        family=family,
        plan=plan,
        plan_number=plan.number,
        requested_by=by,
        recipient=recipient,
        consent=consent,
        include_strengths=include_strengths,
        include_timeline=include_timeline,
    )
    _enqueue(export)
    return export


@transaction.atomic
def plan_pdf_retry(*, export: PlanPdf) -> PlanPdf:
    """Queue a failed export again (the retry button)."""
    updated = PlanPdf.objects.filter(pk=export.pk, state=ExportState.FAILED).update(
        state=ExportState.QUEUED, error="", attempts=0, state_changed_at=timezone.now()
    )
    if updated:
        _enqueue(export)
    export.refresh_from_db()
    return export


def plan_pdf_render(*, export_id: int) -> PlanPdf | None:
    """Render one export. Safe to run twice: a finished export is left alone, and the
    file path is fixed per export, so a repeated run replaces the file instead of adding one.

    Not one transaction on purpose: the "running" state must be visible while rendering.
    """
    with transaction.atomic():
        export = (
            PlanPdf.objects.select_for_update()
            .select_related("family")
            .filter(pk=export_id)
            .first()
        )
        if export is None:
            logger.warning("Plan PDF %s no longer exists; nothing to render.", export_id)
            return None
        if export.state == ExportState.DONE:
            return export
        # A redelivered task (worker lost) finds "running" and simply renders again.
        export.state = ExportState.RUNNING
        export.state_changed_at = timezone.now()
        export.attempts += 1
        export.save(update_fields=["state", "state_changed_at", "attempts"])

    plan = FamilyPlan.objects.select_related(
        "family__team", "family__coach", "safety_set_by", "reviewed_by"
    ).get(pk=export.plan_id)
    options = pdf.PlanPdfOptions(
        strengths=export.include_strengths, timeline=export.include_timeline
    )
    data = pdf.render_plan_pdf(plan, options=options)
    # Through the family's register of stored files, so destruction removes it too.
    export.file_path = family_file_save(
        family=export.family, name=export_name(export), content=data, kind=StoredFileKind.PLAN_PDF
    )
    export.checksum_sha256 = hashlib.sha256(data).hexdigest()
    export.size = len(data)
    export.state = ExportState.DONE
    export.error = ""
    export.finished_at = export.state_changed_at = timezone.now()
    export.save(
        update_fields=[
            "file_path",
            "checksum_sha256",
            "size",
            "state",
            "state_changed_at",
            "error",
            "finished_at",
        ]
    )
    return export


def plan_pdf_failed(*, export_id: int, error: str, final: bool) -> None:
    """Note a failed attempt; after the last retry the export is "mislukt"."""
    state = ExportState.FAILED if final else ExportState.QUEUED
    PlanPdf.objects.filter(pk=export_id).exclude(state=ExportState.DONE).update(
        state=state, error=error[:2000], state_changed_at=timezone.now()
    )


@transaction.atomic
def case_review_create(
    *,
    family: Family,
    by: AbstractBaseUser,
    data: dict[str, Any],
    participants: Iterable[Any],
    follow_up_task: str = "",
) -> CaseReview:
    """Record a case review; a follow-up becomes a task for the family's coach (Mijn taken)."""
    review = CaseReview.objects.create(family=family, created_by=by, **data)
    review.participants.set(participants)
    if follow_up_task.strip():
        task_create(
            family=family,
            by=by,
            title=follow_up_task.strip(),
            owner=family.coach or by,
            due_on=default_due_on(),
            source=TaskSource.CASE_REVIEW,
            case_review_ref=review.pk,
        )
    return review


@transaction.atomic
def sdm_record(
    *,
    family: Family,
    member: Member,
    moment: str,
    date: datetime.date,
    items: list[int],
    by: AbstractBaseUser,
    via: str = FilledVia.STAFF,
) -> SdmResponse:
    if member.family_id != family.pk:
        raise ValueError("member of another family")
    return SdmResponse.objects.create(
        family=family,
        member=member,
        moment=moment,
        date=date,
        coach_id=family.coach_id,
        score=sdm_score(items),
        recorded_by=by,
        via=via,
        **{f"item_{i}": value for i, value in enumerate(items, start=1)},
    )


@transaction.atomic
def exit_record(
    *,
    family: Family,
    member: Member,
    date: datetime.date,
    answers: dict[str, int],
    comments: str,
    by: AbstractBaseUser,
    via: str = FilledVia.STAFF,
) -> ExitQuestionnaire:
    if member.family_id != family.pk:
        raise ValueError("member of another family")
    return ExitQuestionnaire.objects.create(
        family=family,
        member=member,
        date=date,
        coach_id=family.coach_id,
        comments=comments,
        recorded_by=by,
        via=via,
        **{name: answers[name] for name in EXIT_ITEMS},
    )


@transaction.atomic
def professional_sdm_record(
    *,
    family: Family,
    professional: AbstractBaseUser,
    moment: str,
    date: datetime.date,
    items: list[int],
) -> ProfessionalSdmResponse:
    """The professional's own SDM about the family (the counterpart of the SDM-Q-9)."""
    return ProfessionalSdmResponse.objects.create(
        family=family,
        professional=professional,
        moment=moment,
        date=date,
        score=professional_sdm_score(items),
        **{f"item_{i}": value for i, value in enumerate(items, start=1)},
    )


class ImplementationTaken(Exception):
    """The professional already answered for this half year."""


def implementation_record(
    *,
    team: Any,
    professional: AbstractBaseUser,
    date: datetime.date,
    answers: dict[str, int],
    remark: str,
) -> ImplementationResponse:
    """One implementation questionnaire for the half year `date` falls in; a second one in
    the same half year raises ImplementationTaken (the unique constraint decides)."""
    names = [name for names in IMPLEMENTATION_ITEMS.values() for name in names]
    try:
        with transaction.atomic():
            return ImplementationResponse.objects.create(
                team=team,
                professional=professional,
                year=date.year,
                half=half_of(date),
                remark=remark,
                **{name: answers[name] for name in names},
            )
    except IntegrityError:
        raise ImplementationTaken from None
