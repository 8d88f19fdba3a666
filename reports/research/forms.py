from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from cases.formbase import Form
from cases.models import Team
from reports.models import ResearchProject


class ResearchExportForm(Form):
    """A dataset of one of the researcher's teams for a project that team takes part in."""

    project = forms.ModelChoiceField(label=_("Onderzoeksproject"), queryset=None)
    team = forms.ModelChoiceField(label=_("Team"), queryset=None)

    def __init__(self, *args: Any, teams: Iterable[Team], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        team_ids = [team.pk for team in teams]
        self.fields["team"].queryset = Team.objects.filter(pk__in=team_ids).order_by("name")
        self.fields["project"].queryset = ResearchProject.objects.filter(
            teams__in=team_ids
        ).distinct()

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        project, team = data.get("project"), data.get("team")
        if project and team and not project.teams.filter(pk=team.pk).exists():
            raise forms.ValidationError(_("Dit team doet niet mee aan dit onderzoeksproject."))
        return data
