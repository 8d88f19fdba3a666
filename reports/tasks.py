"""Background tasks of reports: thin wrappers that take ids and call a service."""

from __future__ import annotations

import logging

from celery import shared_task

from reports import services, teamreport
from reports.research import services as research

MAX_RETRIES = 3
logger = logging.getLogger(__name__)


# A task that builds a file for a request the user sees: acknowledged after the work and put
# back if the worker dies mid-render (the services are idempotent, so running again is
# safe), retried with exponential backoff.
REQUEST_TASK = {
    "bind": True,
    "acks_late": True,
    "reject_on_worker_lost": True,
    "autoretry_for": (Exception,),
    "retry_backoff": True,
    "retry_backoff_max": 300,
    "retry_jitter": True,
    "max_retries": MAX_RETRIES,
}


def _build_or_record(task, build, failed, export_id: int, what: str) -> str | None:  # type: ignore[no-untyped-def]
    try:
        export = build(export_id=export_id)
    except Exception as exc:
        # Run in-process (no REDIS_URL: `make run`, tests), a retry would block the web
        # request without any backoff, so that run is one attempt; the page offers a retry.
        final = task.request.is_eager or task.request.retries >= task.max_retries
        failed(export_id=export_id, error=repr(exc), final=final)
        if final:
            # Mislukt: recorded on the request, with a retry button on its page.
            logger.exception("%s %s failed (attempt %s)", what, export_id, task.request.retries + 1)
            return None
        raise  # autoretry_for schedules the next attempt, with exponential backoff
    return export.state if export else None


@shared_task(**REQUEST_TASK)
def render_plan_pdf(self, export_id: int) -> str | None:  # type: ignore[no-untyped-def]
    return _build_or_record(
        self, services.plan_pdf_render, services.plan_pdf_failed, export_id, "Plan PDF"
    )


@shared_task(**REQUEST_TASK)
def build_research_export(self, export_id: int) -> str | None:  # type: ignore[no-untyped-def]
    return _build_or_record(
        self,
        research.research_export_build,
        research.research_export_failed,
        export_id,
        "Research export",
    )


@shared_task(name="reports.refresh_fidelity", acks_late=True, reject_on_worker_lost=True)
def refresh_fidelity(team_id: int) -> None:
    """The team report's fidelity table for one team, computed anew (reports.teamreport)."""
    teamreport.refresh_fidelity_snapshot(team_id)


@shared_task(name="reports.refresh_fidelity_all")
def refresh_fidelity_all() -> int:
    """Every team's fidelity table, one after another (the beat schedule); returns how many."""
    return teamreport.refresh_fidelity_snapshots()


@shared_task(name="reports.refresh_team_report", acks_late=True, reject_on_worker_lost=True)
def refresh_team_report(team_id: int, year: int | None = None) -> None:
    """The team report of one team computed anew (reports.teamreport.refresh_team_reports):
    for `year`, or for this year and every year it has a snapshot of."""
    teamreport.refresh_team_reports(team_id, years=None if year is None else [year])


@shared_task(name="reports.refresh_team_reports_all")
def refresh_team_reports_all() -> int:
    """Every team's report, its fidelity table included (the beat schedule); returns how
    many teams."""
    return teamreport.refresh_all_team_reports()


@shared_task(name="reports.refresh_stale_flags")
def refresh_stale_flags() -> int:
    """The caseload flags of the active families whose stored flags a write emptied since
    the last run (reports.caseload.refresh_flags); until then they are computed live."""
    from reports.caseload import refresh_flags

    return refresh_flags(stale_only=True)


@shared_task(name="reports.refresh_family_figures")
def refresh_family_figures() -> int:
    """Every active family's caseload figures for today (reports.figures; the beat
    schedule runs it at 00:05, when the 4 weeks' window moves a day)."""
    from reports.figures import refresh_all

    return refresh_all()
