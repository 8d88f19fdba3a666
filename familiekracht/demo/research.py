"""The demo's research project, for both teams, and a first dataset request of it."""

from __future__ import annotations

from cases.models import Team
from reports.models import ResearchProject
from reports.research.services import research_export_request


def seed(*, teams: list[Team], researcher: object) -> ResearchProject:
    project, _created = ResearchProject.objects.get_or_create(
        key_id="demo-effectonderzoek-2026",
        defaults={"name": "Effectonderzoek FamilieKracht (demo)"},
    )
    project.teams.set(teams)
    # Built in the background: done when RESEARCH_SECRET is set, otherwise "mislukt" with
    # its retry button (both states of the research page). The other team has no dataset
    # yet.
    research_export_request(project=project, team=teams[0], by=researcher)
    return project
