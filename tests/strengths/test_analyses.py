from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from strengths.models import MemberAnalysis
from tests.factories import FamilyFactory, MemberFactory

pytestmark = pytest.mark.django_db


def analysis_data(member=None, **overrides):  # type: ignore[no-untyped-def]
    data = {
        "date": "2026-01-15",
        "filled_in_by": "samen met moeder",
        "strengths": "Kan goed tekenen",
        "wishes": "Een hond",
        "worries": "Dat mama verdrietig is",
    }
    if member is not None:
        data["member"] = member.pk
    data.update(overrides)
    return data


def create_url(family):  # type: ignore[no-untyped-def]
    return reverse("strengths:analysis_create", args=[family.pk])


def make_analysis(member, user, **fields):  # type: ignore[no-untyped-def]
    values = {
        "date": datetime.date(2026, 1, 5),
        "filled_in_by": "zelf",
        "strengths": "Sterk",
        **fields,
    }
    return MemberAnalysis.objects.create(
        family=member.family, member=member, recorded_by=user, **values
    )


def test_coach_records_an_analysis_for_a_sibling(family, alice, alice_client):
    child = family.members.get(name="Noah Jansen")
    page = alice_client.get(create_url(family) + f"?member={child.pk}")
    assert f'<option value="{child.pk}" selected>' in page.content.decode()
    response = alice_client.post(create_url(family), analysis_data(child))
    assert response.status_code == 302
    analysis = MemberAnalysis.objects.get()
    assert (analysis.member, analysis.family, analysis.recorded_by) == (child, family, alice)
    assert analysis.filled_in_by == "samen met moeder"
    overview = alice_client.get(reverse("strengths:overview", args=[family.pk])).content.decode()
    assert "Kan goed tekenen" in overview
    assert "samen met moeder" in overview


def test_member_of_another_family_is_refused(family, alice_client):
    stranger = MemberFactory(family=FamilyFactory(team=family.team))
    response = alice_client.post(create_url(family), analysis_data(stranger))
    assert response.status_code == 200
    assert "Selecteer een geldige keuze" in response.content.decode()
    assert not MemberAnalysis.objects.exists()


def test_one_analysis_per_member(family, alice, alice_client):
    mother = family.members.get(name="Naomi Jansen")
    make_analysis(mother, alice)
    response = alice_client.post(create_url(family), analysis_data(mother))
    assert "Naomi Jansen heeft al een krachtenanalyse" in response.content.decode()
    assert MemberAnalysis.objects.count() == 1


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("strengths", "", "Dit veld is verplicht"),
        ("filled_in_by", "", "Dit veld is verplicht"),
        ("date", "gisteren", "Voer een geldige datum in"),
        ("date", "2999-01-01", "toekomst"),
    ],
)
def test_bad_input_saves_nothing(family, alice_client, field, value, message):
    child = family.members.get(name="Noah Jansen")
    response = alice_client.post(create_url(family), analysis_data(child, **{field: value}))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not MemberAnalysis.objects.exists()


def test_family_page_lists_members_without_analysis(family, alice, alice_client):
    mother = family.members.get(name="Naomi Jansen")
    make_analysis(mother, alice)
    page = alice_client.get(reverse("cases:family_detail", args=[family.pk])).content.decode()
    start = page.index('id="strengths-heading"')
    panel = page[start : page.index("</section>", start)]
    assert "Nog geen krachtenanalyse voor 1 gezinslid" in panel
    assert "Noah Jansen" in panel
    assert "Naomi Jansen" not in panel


def test_family_page_when_everyone_has_one(family, alice, alice_client):
    for member in family.members.all():
        make_analysis(member, alice)
    page = alice_client.get(reverse("cases:family_detail", args=[family.pk])).content.decode()
    assert "Alle gezinsleden hebben een krachtenanalyse." in page
    assert "Nog geen krachtenanalyse voor" not in page


def test_edit_and_conflict(family, alice, alice_client, psychologist, psychologist_client):
    analysis = make_analysis(family.members.get(name="Noah Jansen"), alice)
    edit = reverse("strengths:analysis_edit", args=[family.pk, analysis.pk])
    assert alice_client.get(edit).status_code == 200
    response = psychologist_client.post(
        edit, analysis_data(strengths="Doorzetter", version=analysis.version)
    )
    assert response.status_code == 302
    analysis.refresh_from_db()
    assert (analysis.strengths, analysis.version, analysis.recorded_by) == (
        "Doorzetter",
        2,
        psychologist,
    )
    stale = alice_client.post(edit, analysis_data(strengths="Oud", version=1))
    assert stale.status_code == 409
    analysis.refresh_from_db()
    assert analysis.strengths == "Doorzetter"


def test_edit_of_another_familys_analysis_is_404(family, alice, alice_client):
    other = FamilyFactory(team=family.team, coach=alice)
    analysis = make_analysis(MemberFactory(family=other), alice)
    edit = reverse("strengths:analysis_edit", args=[family.pk, analysis.pk])
    assert alice_client.get(edit).status_code == 404


def test_access(family, alice, bob_client, charlie_client, alice_client):
    child = family.members.get(name="Noah Jansen")
    analysis = make_analysis(family.members.get(name="Naomi Jansen"), alice)
    edit = reverse("strengths:analysis_edit", args=[family.pk, analysis.pk])
    for url in (create_url(family), edit):
        assert bob_client.get(url).status_code == 403
        assert bob_client.post(url, analysis_data(child, version=1)).status_code == 403
        assert charlie_client.get(url).status_code == 404
        assert charlie_client.post(url, analysis_data(child, version=1)).status_code == 404
        assert alice_client.delete(url).status_code == 405
    assert MemberAnalysis.objects.count() == 1
    analysis.refresh_from_db()
    assert analysis.version == 1


def test_today_is_the_default_date(family, alice_client):
    page = alice_client.get(create_url(family)).content.decode()
    assert timezone.localdate().isoformat() in page
