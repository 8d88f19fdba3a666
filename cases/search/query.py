"""Find families of the user's teams by family name, member name, date of birth, case
number or area, and say why each one matched.

On PostgreSQL the comparison forgives accents and typing errors: both sides go through
`fk_unaccent(lower(...))` (made by migration cases 0009 with GIN trigram indexes on the same
expressions) and a name also matches on trigram word similarity. On SQLite (the dev setup)
it is a plain case-insensitive `contains`.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.postgres.lookups import TrigramWordSimilar
from django.db import connection, transaction
from django.db.models import BooleanField, Case, CharField, F, Func, Q, Value, When
from django.db.models.functions import Lower
from django.db.models.lookups import Contains, Exact
from django.utils.translation import gettext_lazy as _

from cases.models import Family, Member

DATE_FORMATS = ("%d-%m-%Y", "%d/%m/%Y", "%d.%m.%Y", "%Y-%m-%d")

# Why a family matched, in the order the results page shows them.
REASON_LABELS = {
    "display_name": _("naam gezin"),
    "case_number": _("dossiernummer"),
    "area": _("wijk"),
    "member_name": _("naam gezinslid"),
    "member_born": _("geboortedatum gezinslid"),
}


@dataclass
class MemberMatch:
    name: str
    date_of_birth: datetime.date | None
    reasons: list[str]


@dataclass
class SearchHit:
    family: Family
    reasons: list[str] = field(default_factory=list)
    members: list[MemberMatch] = field(default_factory=list)

    @property
    def reason_labels(self) -> list[str]:
        return [str(REASON_LABELS[r]) for r in REASON_LABELS if r in self.reasons]


def parse_date(term: str) -> datetime.date | None:
    for fmt in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(term.strip(), fmt).date()
        except ValueError:
            continue
    return None


def _postgres() -> bool:
    return connection.vendor == "postgresql"


def normalised(expression: Any) -> Any:
    """Lower case, and on PostgreSQL without accents: the indexed expression."""
    lowered = Lower(expression)
    if _postgres():
        return Func(lowered, function="fk_unaccent", output_field=CharField())
    return lowered


def _text_match(column: str, term: str, *, fuzzy: bool) -> Q:
    """`term` inside the column; on PostgreSQL also a close word (a typing error)."""
    lhs = normalised(F(column))
    rhs = normalised(Value(term, output_field=CharField()))
    condition = Q(Contains(lhs, rhs))
    if fuzzy and _postgres():
        condition |= Q(TrigramWordSimilar(lhs, rhs))
    return condition


def _flag(condition: Q) -> Case:
    return Case(When(condition, then=True), default=False, output_field=BooleanField())


def search_families(user: Any, term: str) -> tuple[list[SearchHit], bool]:
    """The families of `user`'s teams that match `term` (at most SEARCH_MAX_RESULTS, by
    name), and whether there were more. Three queries (four on PostgreSQL)."""
    term = term.strip()
    limit: int = settings.SEARCH_MAX_RESULTS
    with transaction.atomic():
        if _postgres():
            # The `%>` operator (which the GIN indexes serve) compares with this threshold;
            # set_config(..., true) keeps it to this transaction.
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT set_config('pg_trgm.word_similarity_threshold', %s, true)",
                    [str(settings.SEARCH_WORD_SIMILARITY)],
                )
        return _search(user, term, limit)


def _search(user: Any, term: str, limit: int) -> tuple[list[SearchHit], bool]:
    visible = Family.objects.visible_to(user)
    born = parse_date(term)
    member_name = _text_match("name", term, fuzzy=True)
    member_condition = member_name
    if born is not None:
        member_condition |= Q(Exact(F("date_of_birth"), Value(born)))
    members = list(
        Member.objects.filter(family__in=visible.values("pk"))
        .filter(member_condition)
        .annotate(by_name=_flag(member_name))
        .order_by("family_id", "name")
        .values("family_id", "name", "date_of_birth", "by_name")[: limit * 10]
    )
    family_fields = {
        "display_name": _text_match("display_name", term, fuzzy=True),
        "case_number": _text_match("case_number", term, fuzzy=False),
        "area": _text_match("area", term, fuzzy=True),
    }
    any_field = Q()
    for condition in family_fields.values():
        any_field |= condition
    member_families = {m["family_id"] for m in members}
    families = list(
        visible.filter(any_field | Q(pk__in=member_families))
        .select_related("coach", "team")
        .annotate(**{f"by_{name}": _flag(cond) for name, cond in family_fields.items()})
        .order_by("display_name", "pk")[: limit + 1]
    )
    more = len(families) > limit
    hits = []
    for family in families[:limit]:
        hit = SearchHit(family=family)
        hit.reasons = [name for name in family_fields if getattr(family, f"by_{name}")]
        for m in members:
            if m["family_id"] != family.pk:
                continue
            reasons = []
            if m["by_name"]:
                reasons.append("member_name")
            if born is not None and m["date_of_birth"] == born:
                reasons.append("member_born")
            hit.members.append(MemberMatch(m["name"], m["date_of_birth"], reasons))
            hit.reasons.extend(r for r in reasons if r not in hit.reasons)
        hits.append(hit)
    return hits, more
