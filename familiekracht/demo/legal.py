"""Consent by age and legal measures in the demo, for the first three families of a team:

- the first: a consent that covers every child (the buurtteam), one that was withdrawn (the
  huisarts) and one that has expired (Veilig Thuis); a foster child without a birth date;
- the second: a consent from the parents alone, which misses its 14-year-old (jeugd-ggz),
  and an OTS of that child that ends within four weeks (the caseload flag, a reminder);
- the third: a machtiging uithuisplaatsing that runs, and an OTS continued by a verlenging.

A consent or measure names the team's (active) partner of the kind where the team has one
(Den Haag's GI, Zuidoost's buurtteam and huisarts) and stays free text otherwise (Zuidoost's
GI, Veilig Thuis), so the records page shows both. Every other family has no measures. Made
through the services the pages call, after the partners; no random numbers are drawn, so
the rest of the demo stays as it was.
"""

from __future__ import annotations

import datetime
from typing import Any

from cases import services
from cases.legal import services as legal_services
from cases.models import Family, FamilyRole, MeasureKind, Member, Partner, PartnerKind, age_on
from cases.records import services as records_services
from cases.records.consent import consent_age

GI = "Jeugdbescherming Regio Amsterdam"


def _to(family: Family, kind: str, name: str) -> dict[str, Any]:
    """The recipient as the consent form sends it: the team's first active partner of
    `kind`, or the free-text `name` when the team has none."""
    partner = Partner.objects.active().filter(team_id=family.team_id, kind=kind).first()
    return {"partner": partner, "organisation": partner.name if partner else name}


def _gi(family: Family) -> dict[str, Any]:
    """The measure's GI as the form sends it: the team's GI partner, or the free text."""
    to = _to(family, PartnerKind.CERTIFIED_INSTITUTION, GI)
    return {"partner": to["partner"], "institution": to["organisation"]}


def _years_ago(today: datetime.date, years: int, days: int) -> datetime.date:
    return today.replace(year=today.year - years) - datetime.timedelta(days=days)


def _required(members: list[Member], today: datetime.date) -> list[Member]:
    """Everyone whose consent the rules need for every child today: the parents with gezag
    and every child of 12 or older."""
    return [
        m
        for m in members
        if m.has_parental_authority
        or (
            m.role == FamilyRole.CHILD
            and m.date_of_birth is not None
            and age_on(m.date_of_birth, today) >= consent_age("WITH_CHILD_FROM")
        )
    ]


def _consent(family: Family, by: Any, givers: list[Member], **fields: Any) -> Any:
    return records_services.consent_add(
        family=family,
        by=by,
        given_by_member=givers,
        given_by_name="",
        purpose=fields.pop("purpose", "Afstemmen over de hulp en het gezinsplan."),
        **fields,
    )


def _child(family: Family, members: list[Member], *, age: int, today: datetime.date) -> Member:
    """A child of about `age` (the demo's children are random): the member or a new one."""
    for m in members:
        if m.role == FamilyRole.CHILD and m.date_of_birth and age_on(m.date_of_birth, today) == age:
            return m
    surname = family.display_name.removeprefix("Gezin ")
    return services.member_save(
        member=Member(
            family=family,
            name=f"Yara {surname}",
            date_of_birth=_years_ago(today, age, 100),
            role=FamilyRole.CHILD,
        )
    )


def seed(families: list[Family], *, today: datetime.date) -> None:
    if len(families) < 3:
        return
    covered, missing, measured = families[:3]

    coach = covered.coach
    # A foster child whose birth date is not known yet: the parents with gezag decide.
    services.member_save(
        member=Member(
            family=covered,
            name=f"Amir {covered.display_name.removeprefix('Gezin ')}",
            date_of_birth=None,
            role=FamilyRole.CHILD,
        )
    )
    members = list(covered.members.all())
    everyone = _required(members, today)
    _consent(
        covered,
        coach,
        everyone,
        **_to(covered, PartnerKind.NEIGHBOURHOOD_TEAM, "Buurtteam Zuidoost"),
        valid_from=today - datetime.timedelta(days=40),
        valid_until=today + datetime.timedelta(days=325),
    )
    withdrawn = _consent(
        covered,
        coach,
        everyone,
        **_to(covered, PartnerKind.GP, "Huisartsenpraktijk Bijlmerdreef"),
        valid_from=today - datetime.timedelta(days=120),
        valid_until=None,
    )
    parent = next((m for m in members if m.has_parental_authority), None)
    records_services.consent_withdraw(
        consent=withdrawn,
        withdrawn_on=today - datetime.timedelta(days=12),
        withdrawn_by=parent.name if parent else "moeder",
    )
    _consent(
        covered,
        coach,
        everyone,
        **_to(covered, PartnerKind.VEILIG_THUIS, "Veilig Thuis"),
        valid_from=today - datetime.timedelta(days=400),
        valid_until=today - datetime.timedelta(days=35),
    )

    coach = missing.coach
    members = list(missing.members.all())
    fourteen = _child(missing, members, age=14, today=today)
    parents = [m for m in members if m.has_parental_authority]
    _consent(
        missing,
        coach,
        parents,
        **_to(missing, PartnerKind.YOUTH_MENTAL_HEALTH, "Jeugd-ggz Levvel"),
        valid_from=today - datetime.timedelta(days=20),
        valid_until=None,
        concerns_members=[fourteen],
    )
    legal_services.legal_measure_add(
        family=missing,
        by=coach,
        data={
            "member": fourteen,
            "kind": MeasureKind.OTS,
            "urgent": False,
            "starts_on": today - datetime.timedelta(days=345),
            "ends_on": today + datetime.timedelta(days=20),
            "decided_on": today - datetime.timedelta(days=350),
            **_gi(missing),
            "note": "Verzoek tot verlenging ligt bij de GI.",
        },
    )

    coach = measured.coach
    children = [m for m in measured.members.all() if m.role == FamilyRole.CHILD]
    child = children[0] if children else _child(measured, [], age=9, today=today)
    legal_services.legal_measure_add(
        family=measured,
        by=coach,
        data={
            "member": child,
            "kind": MeasureKind.PLACEMENT,
            "urgent": False,
            "starts_on": today - datetime.timedelta(days=90),
            "ends_on": today + datetime.timedelta(days=275),
            "decided_on": today - datetime.timedelta(days=92),
            **_gi(measured),
            "note": "Verblijf bij een pleeggezin in de buurt; omgang met moeder elke week.",
        },
    )
    # The OTS of the same child, continued by a verlenging: no reminder, no flag.
    ots = {"member": child, "kind": MeasureKind.OTS, "urgent": False, **_gi(measured)}
    legal_services.legal_measure_add(
        family=measured,
        by=coach,
        data={
            **ots,
            "starts_on": today - datetime.timedelta(days=360),
            "ends_on": today + datetime.timedelta(days=5),
            "decided_on": today - datetime.timedelta(days=362),
            "note": "",
        },
    )
    legal_services.legal_measure_add(
        family=measured,
        by=coach,
        data={
            **ots,
            "starts_on": today + datetime.timedelta(days=6),
            "ends_on": today + datetime.timedelta(days=370),
            "decided_on": today - datetime.timedelta(days=14),
            "note": "Verlenging met een jaar.",
        },
    )
