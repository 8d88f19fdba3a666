"""The strengths' parts of the family file (listed in settings.FAMILY_SECTIONS)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from cases.sections import Section
from strengths.panels import family_panel, member_figures

analysis = Section(
    key="strengths",
    label=_("Analyse"),
    url_name="strengths:overview",
    panel=family_panel,
    member_figures=member_figures,
)
timeline = Section(key="timeline", label=_("Tijdlijn"), url_name="strengths:timeline")
