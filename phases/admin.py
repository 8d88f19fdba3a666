from __future__ import annotations

from django.contrib import admin

from cases.admin import ConfigurationAdmin
from phases.models import PhaseDefinition, TeamPhaseSettings

# Configuration only (see cases/admin.py): a family's episodes, transitions and reminders
# are part of its file and stay out of the admin.


@admin.register(PhaseDefinition)
class PhaseDefinitionAdmin(ConfigurationAdmin):
    list_display = ["team", "kind", "weeks_min", "weeks_max", "hours_min", "hours_max"]
    list_filter = ["team"]


@admin.register(TeamPhaseSettings)
class TeamPhaseSettingsAdmin(ConfigurationAdmin):
    list_display = ["team", "approval_required"]
