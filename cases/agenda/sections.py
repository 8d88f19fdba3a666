"""The agenda's part of the family file (listed in settings.FAMILY_SECTIONS)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from cases.agenda.panels import family_panel
from cases.sections import Section

agenda = Section(
    key="agenda",
    label=_("Afspraken en taken"),
    url_name="cases:family_agenda",
    panel=family_panel,
    nav_template="cases/agenda_nav_items.html",
)
