from __future__ import annotations

from django.contrib import admin

from phases.models import PhaseDefinition, TeamPhaseSettings


@admin.register(PhaseDefinition)
class PhaseDefinitionAdmin(admin.ModelAdmin):
    list_display = ["team", "kind", "weeks_min", "weeks_max", "hours_min", "hours_max"]
    list_filter = ["team"]


@admin.register(TeamPhaseSettings)
class TeamPhaseSettingsAdmin(admin.ModelAdmin):
    list_display = ["team", "approval_required"]
