"""The network's part of the family file (listed in settings.FAMILY_SECTIONS)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from cases.sections import Section
from network.panels import family_figures_of_network, family_panel

network = Section(
    key="network",
    label=_("Netwerk"),
    url_name="network:overview",
    panel=family_panel,
    figures=family_figures_of_network,
    nav_template="network/nav_items.html",
)
