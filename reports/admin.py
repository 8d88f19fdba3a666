from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from cases.admin import ConfigurationAdmin
from reports.models import ResearchProject

# Configuration only (see cases/admin.py): research projects and the teams taking part.
# Their datasets and downloads are requested and logged on the research pages.


@admin.register(ResearchProject)
class ResearchProjectAdmin(ConfigurationAdmin):
    list_display = ["name", "key_id", "created_at"]
    filter_horizontal = ["teams"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        # The key id keys the pseudonyms: changed, the project's datasets no longer link.
        return ["key_id"] if obj is not None else []
