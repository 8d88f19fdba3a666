from __future__ import annotations

from django.apps import AppConfig


class PhasesConfig(AppConfig):
    name = "phases"
