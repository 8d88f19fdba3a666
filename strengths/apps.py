from __future__ import annotations

from django.apps import AppConfig


class StrengthsConfig(AppConfig):
    name = "strengths"
