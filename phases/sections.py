"""The phases' part of the family file (listed in settings.FAMILY_SECTIONS)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from cases.sections import Section
from phases.panels import family_figures_of_phases, family_panel

phases = Section(
    key="phases",
    label=_("Fasen en uren"),
    url_name="phases:family_phases",
    panel=family_panel,
    figures=family_figures_of_phases,
    nav_template="phases/nav_items.html",
)
