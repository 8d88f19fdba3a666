"""Link the free-text recipients of consents and the GIs of legal measures to the team's
partners whose name they spell (ignoring case and surrounding spaces).

Run once by migration 0023 for the records made before partners could be chosen; it takes
the model classes so the migration can pass its historical ones.
"""

from __future__ import annotations

from typing import Any


def _key(name: str) -> str:
    return name.strip().casefold()


def link_free_text_to_partners(
    *, partner_model: Any, consent_model: Any, measure_model: Any
) -> int:
    """Set `partner` on every consent and measure without one whose free text equals the
    name of a partner of the family's team. Returns how many records it linked."""
    partners: dict[tuple[int, str], int] = {
        (team_id, _key(name)): pk
        for pk, team_id, name in partner_model.objects.values_list("pk", "team_id", "name")
    }
    linked = 0
    for model, field in ((consent_model, "organisation"), (measure_model, "institution")):
        rows = (
            model.objects.filter(partner__isnull=True)
            .exclude(**{field: ""})
            .values_list("pk", "family__team_id", field)
        )
        for pk, team_id, text in rows:
            partner_id = partners.get((team_id, _key(text)))
            if partner_id is not None:
                linked += model.objects.filter(pk=pk).update(partner_id=partner_id)
    return linked
