"""The network map (ecomap) as server-side SVG, shared by the network page and the PDF plan."""

from __future__ import annotations

from cases.models import Family


def network_map_svg(family: Family) -> str:
    """The family's network map as a complete, safe `<svg>` string ("" if there is no network)."""
    return ""
