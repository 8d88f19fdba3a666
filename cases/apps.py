from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = _("Dossiers")

    def ready(self) -> None:
        from cases import audit, checks

        audit.connect()
        from cases.portal import gate as portal_gate

        portal_gate.connect()
        checks.register_checks()
