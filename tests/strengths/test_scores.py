from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from cases.models import LifeDomain
from strengths.models import DomainScore, ScoreSheet
from tests.factories import FamilyFactory
from tests.strengths.conftest import make_sheet, score_data

pytestmark = pytest.mark.django_db


def url(moment, perspective="joint"):  # type: ignore[no-untyped-def]
    return reverse("strengths:scores", args=[moment.family_id, moment.pk, perspective])


def test_coach_scores_all_seven_domains_at_once(moment, alice, alice_client):
    data = score_data(
        **{
            "child-severity": "4",
            "child-strength": "3",
            "child-long_lasting": None,
            "child-problem_present": None,
            "care-share_own": "50",
            "care-share_network": "30",
            "care-share_professional": "20",
        }
    )
    response = alice_client.post(url(moment), data)
    assert response.status_code == 302
    sheet = ScoreSheet.objects.get(moment=moment, perspective="joint")
    assert sheet.updated_by == alice
    scores = {s.domain: s for s in sheet.scores.all()}
    assert set(scores) == set(LifeDomain.values)
    assert (scores["child"].severity, scores["child"].strength) == (4, 3)
    assert not scores["child"].long_lasting
    assert scores["parent"].long_lasting and scores["parent"].problem_present
    assert scores["parent"].own_words == "Over parent in eigen woorden"
    assert (scores["care"].share_own, scores["care"].share_network) == (50, 30)
    assert scores["parent"].share_own is None


def test_scoring_page_shows_dutch_anchors_and_current_values(moment, alice, alice_client):
    make_sheet(moment, alice, severity=3)
    page = alice_client.get(url(moment)).content.decode()
    for anchor in ("1 – acuut/onveilig", "3 – deels beheersbaar", "5 – goed"):
        assert anchor in page
    for anchor in ("0 – niet zichtbaar", "1 – aanwezig, niet benut", "3 – duidelijk ingezet"):
        assert anchor in page
    assert '<option value="3" selected>3 – deels beheersbaar</option>' in page
    assert page.count('class="card card-body mb-3 domain-score"') == 7


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("child-severity", "0", "Selecteer een geldige keuze"),
        ("child-severity", "6", "Selecteer een geldige keuze"),
        ("child-severity", "", "Dit veld is verplicht"),
        ("child-strength", "4", "Selecteer een geldige keuze"),
        ("child-strength", "-1", "Selecteer een geldige keuze"),
        ("child-strength", "abc", "Selecteer een geldige keuze"),
        ("child-share_own", "101", "hoogstens 100"),
    ],
)
def test_out_of_range_saves_nothing_and_says_why(moment, alice_client, field, value, message):
    response = alice_client.post(url(moment), score_data(**{field: value}))
    assert response.status_code == 200
    body = response.content.decode()
    assert message in body
    assert "Er is niets opgeslagen" in body
    # The error sits next to its own field, inside that domain's block.
    block = body[body.index('id="domain-child"') : body.index('id="domain-parent"')]
    assert message in block
    assert not ScoreSheet.objects.exists()
    assert not DomainScore.objects.exists()


def test_shares_must_sum_to_100(moment, alice_client):
    data = score_data(
        **{
            "family-share_own": "50",
            "family-share_network": "30",
            "family-share_professional": "30",
        }
    )
    response = alice_client.post(url(moment), data)
    body = response.content.decode()
    assert "tellen op tot 110%" in body
    assert not DomainScore.objects.exists()


def test_shares_all_or_none(moment, alice_client):
    response = alice_client.post(url(moment), score_data(**{"family-share_own": "100"}))
    assert "Vul de drie aandelen allemaal in" in response.content.decode()
    assert not DomainScore.objects.exists()


def test_lasting_problem_must_be_a_problem(moment, alice_client):
    response = alice_client.post(url(moment), score_data(**{"care-problem_present": None}))
    assert "vink ‘probleem aanwezig’ aan" in response.content.decode()
    assert not DomainScore.objects.exists()


def test_one_bad_domain_keeps_an_existing_sheet_unchanged(moment, alice, alice_client):
    sheet = make_sheet(moment, alice, severity=3)
    data = score_data(version=str(sheet.version), **{"care-severity": "9"})
    response = alice_client.post(url(moment), data)
    assert response.status_code == 200
    assert set(DomainScore.objects.values_list("severity", flat=True)) == {3}
    sheet.refresh_from_db()
    assert sheet.version == 1


def test_edit_updates_in_place_and_bumps_version(moment, alice, alice_client):
    sheet = make_sheet(moment, alice, severity=3)
    response = alice_client.post(url(moment), score_data(version=str(sheet.version)))
    assert response.status_code == 302
    sheet.refresh_from_db()
    assert sheet.version == 2
    assert DomainScore.objects.count() == 7
    assert set(DomainScore.objects.values_list("severity", flat=True)) == {2}


def test_concurrent_edit_is_not_overwritten(moment, alice, alice_client, psychologist_client):
    sheet = make_sheet(moment, alice, severity=3)
    opened_at = str(sheet.version)
    # The psychologist saves first, from the same starting version.
    first = psychologist_client.post(
        url(moment), score_data(version=opened_at, **{"child-severity": "5"})
    )
    assert first.status_code == 302
    second = alice_client.post(
        url(moment), score_data(version=opened_at, **{"parent-severity": "1"})
    )
    assert second.status_code == 409
    assert "Iemand anders heeft dit intussen opgeslagen" in second.content.decode()
    child = DomainScore.objects.get(domain="child")
    assert child.severity == 5
    assert DomainScore.objects.get(domain="parent").severity == 2  # not alice's 1
    # The form now carries the current version, so a deliberate resave works.
    assert 'name="version" value="2"' in second.content.decode()


def test_two_people_starting_a_new_sheet_do_not_overwrite(moment, alice, alice_client):
    make_sheet(moment, alice, severity=4)  # saved by someone while this form was open
    response = alice_client.post(url(moment), score_data(version=""))
    assert response.status_code == 409
    assert set(DomainScore.objects.values_list("severity", flat=True)) == {4}


def test_read_only_colleague_sees_but_cannot_save(moment, bob_client):
    page = bob_client.get(url(moment))
    assert page.status_code == 200
    assert "<fieldset disabled>" in page.content.decode()
    assert "Alle scores opslaan" not in page.content.decode()
    assert bob_client.post(url(moment), score_data()).status_code == 403
    assert not ScoreSheet.objects.exists()


def test_outsider_gets_404(moment, charlie_client):
    assert charlie_client.get(url(moment)).status_code == 404
    assert charlie_client.post(url(moment), score_data()).status_code == 404
    assert not ScoreSheet.objects.exists()


def test_moment_of_another_family_and_unknown_perspective_404(moment, family, alice_client):
    other = FamilyFactory(team=family.team, coach=family.coach)
    foreign = reverse("strengths:scores", args=[other.pk, moment.pk, "joint"])
    assert alice_client.get(foreign).status_code == 404
    assert alice_client.get(url(moment, "neighbour")).status_code == 404


def test_wrong_method(moment, alice_client):
    assert alice_client.put(url(moment)).status_code == 405
    assert alice_client.delete(url(moment)).status_code == 405


@pytest.mark.parametrize(
    "fields",
    [
        {"severity": 0},
        {"severity": 6},
        {"strength": 4},
        {"problem_present": False, "long_lasting": True},
        {"share_own": 50, "share_network": 40, "share_professional": 0},
        {"share_own": 100},
        {"share_own": 150, "share_network": 0, "share_professional": -50},
        {"domain": "school"},
    ],
)
def test_database_enforces_bounds(moment, alice, fields):
    sheet = ScoreSheet.objects.create(moment=moment, perspective="joint", updated_by=alice)
    values = {"domain": "child", "severity": 3, "strength": 1, **fields}
    with pytest.raises(IntegrityError), transaction.atomic():
        DomainScore.objects.create(sheet=sheet, **values)
