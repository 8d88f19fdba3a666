"""Writes of the research pages: request a dataset, build its ZIP, log each download."""

from __future__ import annotations

import csv
import hashlib
import io
import logging
import zipfile
from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from cases import taskstate
from cases.models import Family, Team
from cases.models.families import FamilyStatus, Referrer
from reports.models import ExportState, ResearchDownload, ResearchExport, ResearchProject
from reports.research import dataset, method_tables
from reports.research.columns import Column, dataset_columns, long_tables
from reports.research.pseudonyms import Pseudonymiser

logger = logging.getLogger(__name__)

TRAJECTORIES_FILE = "trajectories.csv"


@transaction.atomic
def research_export_request(
    *, project: ResearchProject, team: Team, by: AbstractBaseUser
) -> ResearchExport:
    """Queue a dataset of `team` for `project`; the task builds it after the commit."""
    export = ResearchExport.objects.create(project=project, team=team, requested_by=by)
    taskstate.send(ResearchExport, export.pk)
    return export


def _csv(columns: list[Column], rows: Iterable[Mapping[str, Any]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([c.name for c in columns])
    for row in rows:
        writer.writerow(["" if row.get(c.name) is None else row.get(c.name) for c in columns])
    return out.getvalue().encode("utf-8")


def _codebook(tables: list[tuple[str, list[Column]]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["file", "column", "meaning", "values"])
    for name, columns in tables:
        for column in columns:
            writer.writerow([name, column.name, str(column.meaning), str(column.values)])
    return out.getvalue().encode("utf-8")


README = """Pseudonymised research dataset of FamilieKracht

Project: {project}
Team: {team}
Made: {month}

No names, case numbers, birth dates, free text or areas below the team are in these files.
Families and family members carry pseudonyms that stay the same within this project and
differ from those of every other project. Dates are months (YYYY-MM), ages are bands.

Files:
{files}
codebook.csv: every column of every file, its meaning and its values.
"""


def dataset_zip(*, project: ResearchProject, team: Team) -> tuple[bytes, int]:
    """The ZIP of the team's dataset for the project, and the number of families in it."""
    pseudonymiser = Pseudonymiser(project.key_id)
    rows = dataset.trajectories(team, pseudonymiser)
    trajectory_columns = dataset_columns()
    trajectory_rows = [{c.name: c.value(row) for c in trajectory_columns} for row in rows]
    long_rows = {
        "members.csv": dataset.member_rows(rows, pseudonymiser),
        "scores.csv": dataset.score_rows(rows),
        "contacts_per_week.csv": dataset.contact_week_rows(rows),
        "questionnaires.csv": dataset.questionnaire_rows(rows, pseudonymiser),
        "working_elements_per_phase.csv": method_tables.element_phase_rows(rows, pseudonymiser),
        "implementation.csv": method_tables.implementation_rows(team, pseudonymiser),
    }
    tables = [(TRAJECTORIES_FILE, trajectory_columns), *long_tables()]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(TRAJECTORIES_FILE, _csv(trajectory_columns, trajectory_rows))
        for name, columns in long_tables():
            archive.writestr(name, _csv(columns, long_rows[name]))
        archive.writestr("codebook.csv", _codebook(tables))
        archive.writestr(
            "README.txt",
            README.format(
                project=project.name,
                team=team.name,
                month=dataset.month(timezone.localdate()),
                files="\n".join(name for name, _columns in tables),
            ),
        )
    return buffer.getvalue(), len({row.family.pk for row in rows})


def export_name(export: ResearchExport) -> str:
    return f"research/{export.project_id}/{export.pk}.zip"


def research_export_build(*, export_id: int) -> ResearchExport | None:
    """Build one dataset. Safe to run twice: a finished one is left alone, and the file's
    name is fixed per export, so a second run replaces it. Not one transaction: the
    "running" state must be visible while it builds."""
    with transaction.atomic():
        export = (
            ResearchExport.objects.select_for_update()
            .select_related("project", "team")
            .filter(pk=export_id)
            .first()
        )
        if export is None:
            return None
        if export.state == ExportState.DONE:
            return export
        export.state = ExportState.RUNNING
        export.state_changed_at = timezone.now()
        export.attempts += 1
        export.save(update_fields=["state", "state_changed_at", "attempts"])
    data, families = dataset_zip(project=export.project, team=export.team)
    name = export_name(export)
    if default_storage.exists(name):
        default_storage.delete(name)
    export.file_path = default_storage.save(name, ContentFile(data))
    export.checksum_sha256 = hashlib.sha256(data).hexdigest()
    export.size = len(data)
    export.families = families
    export.state = ExportState.DONE
    export.error = ""
    export.finished_at = export.state_changed_at = timezone.now()
    export.save(
        update_fields=[
            "file_path",
            "checksum_sha256",
            "size",
            "families",
            "state",
            "error",
            "finished_at",
            "state_changed_at",
        ]
    )
    return export


@transaction.atomic
def research_export_retry(*, export: ResearchExport) -> None:
    """Queue a failed dataset again ("Opnieuw proberen"); any other state is left alone."""
    queued = ResearchExport.objects.filter(pk=export.pk, state=ExportState.FAILED).update(
        state=ExportState.QUEUED, attempts=0, error="", state_changed_at=timezone.now()
    )
    if queued:
        taskstate.send(ResearchExport, export.pk)


def research_export_failed(*, export_id: int, error: str, final: bool) -> None:
    state = ExportState.FAILED if final else ExportState.QUEUED
    ResearchExport.objects.filter(pk=export_id).exclude(state=ExportState.DONE).update(
        state=state, error=error[:2000], state_changed_at=timezone.now()
    )


@transaction.atomic
def research_download_log(*, export: ResearchExport, by: AbstractBaseUser) -> ResearchDownload:
    return ResearchDownload.objects.create(
        export=export,
        user=by,
        username=by.get_username(),
        checksum_sha256=export.checksum_sha256,
    )


def suppressed(count: int) -> str:
    """A count for the research page: below settings.RESEARCH_MIN_CELL it shows as "<5"."""
    limit = settings.RESEARCH_MIN_CELL
    return f"<{limit}" if count < limit else str(count)


def team_overview(team: Team) -> dict[str, Any]:
    """What the research page shows of a team: families by referrer and by status, every
    cell of fewer than RESEARCH_MIN_CELL families shown as "<5" (the total likewise).
    One query."""
    pairs = list(Family.objects.filter(team=team).values_list("referrer", "status"))
    by_referrer = Counter(referrer for referrer, _status in pairs)
    by_status = Counter(status for _referrer, status in pairs)
    return {
        "team": team,
        "total": suppressed(len(pairs)),
        "by_referrer": [
            (Referrer(value).label, suppressed(by_referrer[value]))
            for value in Referrer.values
            if by_referrer[value]
        ],
        "by_status": [
            (FamilyStatus(value).label, suppressed(by_status[value]))
            for value in FamilyStatus.values
            if by_status[value]
        ],
    }
