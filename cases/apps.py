from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = _("Dossiers")

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from cases import audit, checks
        from cases.elements.services import team_created
        from cases.models import Team

        audit.connect()
        from cases.portal import gate as portal_gate

        portal_gate.connect()
        checks.register_checks()
        post_save.connect(team_created, sender=Team, dispatch_uid="working_element_defaults")
