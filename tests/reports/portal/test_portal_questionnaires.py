"""The family fills in its own questionnaires in the portal: when one waits, the forms,
where the answers land (the staff models, so the team report and the dataset count them),
and the narrow door (another family, staff)."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.models import FamilyStatus
from phases.models import PhaseKind
from reports import services as report_services
from reports.models import ExitQuestionnaire, FilledVia, QuestionnaireMoment, SdmResponse
from reports.portal import services
from reports.teamreport import team_report
from tests.cases.portal.helpers import parent_of, portal_account, portal_client
from tests.factories import FamilyFactory, MemberFactory
from tests.reports.portal.helpers import episode, exit_post, sdm_post

pytestmark = pytest.mark.django_db

SDM_URL = "portal:questionnaire_sdm"
EXIT_URL = "portal:questionnaire_exit"


def _years_ago(years: int) -> datetime.date:
    today = timezone.localdate()
    return today.replace(year=today.year - years) - datetime.timedelta(days=1)


# --- When a questionnaire waits ---


@pytest.mark.parametrize(
    ("kind", "moment"),
    [
        (PhaseKind.START, QuestionnaireMoment.START),
        (PhaseKind.ANALYSIS, QuestionnaireMoment.START),
        (PhaseKind.EXECUTION, QuestionnaireMoment.AFTER_ANALYSIS),
        (PhaseKind.CLOSING, QuestionnaireMoment.CLOSING),
    ],
)
def test_the_sdm_waits_at_the_moment_of_the_phase(family, kind, moment):  # type: ignore[no-untyped-def]
    episode(family, kind)
    found = services.questionnaires_for(family, parent_of(family))
    assert found.sdm_moment == moment
    assert found.exit_waits is (kind == PhaseKind.CLOSING)


def test_nothing_waits_before_the_trajectory_starts(family):  # type: ignore[no-untyped-def]
    found = services.questionnaires_for(family, parent_of(family))
    assert not found.waiting
    # An ended phase with none open (between steps) is no moment either.
    episode(family, PhaseKind.START, ended=True)
    assert not services.questionnaires_for(family, parent_of(family)).waiting


def test_in_aftercare_the_closing_sdm_and_the_exit_wait(family):  # type: ignore[no-untyped-def]
    family.status = FamilyStatus.AFTERCARE
    family.save(update_fields=["status"])
    found = services.questionnaires_for(family, parent_of(family))
    assert found.sdm_moment == QuestionnaireMoment.CLOSING
    assert found.exit_waits


def test_an_answer_by_staff_at_the_moment_counts_too(family, alice):  # type: ignore[no-untyped-def]
    episode(family, PhaseKind.EXECUTION)
    parent = parent_of(family)
    report_services.sdm_record(
        family=family,
        member=parent,
        moment=QuestionnaireMoment.START,
        date=timezone.localdate(),
        items=[3] * 9,
        by=alice,
    )
    # Start was filled; "na de analyse" still waits.
    assert services.questionnaires_for(family, parent).sdm_moment == "after_analysis"
    report_services.sdm_record(
        family=family,
        member=parent,
        moment=QuestionnaireMoment.AFTER_ANALYSIS,
        date=timezone.localdate(),
        items=[3] * 9,
        by=alice,
    )
    assert not services.questionnaires_for(family, parent).waiting


@pytest.mark.parametrize(
    ("years", "gezag", "waits"),
    [
        (15, False, True),
        (12, False, True),
        (11, False, False),
        (40, False, True),
        (None, False, False),  # no birth date, no gezag
        (None, True, True),
    ],
)
def test_who_may_fill(family, years, gezag, waits):  # type: ignore[no-untyped-def]
    episode(family, PhaseKind.START)
    member = MemberFactory(
        family=family,
        date_of_birth=_years_ago(years) if years is not None else None,
        has_parental_authority=gezag,
    )
    assert services.questionnaires_for(family, member).waiting is waits


# --- The pages ---


def test_the_home_card_and_the_form_land_where_staff_ones_do(  # type: ignore[no-untyped-def]
    family, alice, parent_client, parent_account
):
    episode(family, PhaseKind.EXECUTION)
    home = parent_client.get(reverse("portal:home")).content.decode()
    assert "Vragenlijst voor u" in home
    assert reverse(SDM_URL) in home
    page = parent_client.get(reverse(SDM_URL)).content.decode()
    assert page.count('type="radio"') == 9 * 6
    assert page.count("<legend") >= 9
    response = parent_client.post(reverse(SDM_URL), sdm_post(4))
    assert response.status_code == 302
    saved = SdmResponse.objects.get(family=family)
    assert saved.member == parent_account.member
    assert saved.via == FilledVia.PORTAL
    assert saved.recorded_by == parent_account.user
    assert saved.moment == QuestionnaireMoment.AFTER_ANALYSIS
    assert saved.coach == alice
    assert saved.items == [4] * 9
    # The team report counts it as it counts the staff's.
    report = team_report(family.team, year=timezone.localdate().year)
    assert sum(n for _q, n, _avg in report.sdm_per_quarter) == 1
    # Filled: only the date, never the score; the card is gone and the form answers 404.
    listing = parent_client.get(reverse("portal:questionnaires")).content.decode()
    assert "ingevuld op" in listing
    assert str(saved.score).replace(".", ",") not in listing
    assert str(saved.score) not in listing
    assert "Vragenlijst voor u" not in parent_client.get(reverse("portal:home")).content.decode()
    assert parent_client.get(reverse(SDM_URL)).status_code == 404
    assert parent_client.post(reverse(SDM_URL), sdm_post(4)).status_code == 404
    assert SdmResponse.objects.count() == 1


@pytest.mark.parametrize("missing", ["item_1", "item_9"])
def test_sdm_with_an_item_missing_or_out_of_range_saves_nothing(family, parent_client, missing):  # type: ignore[no-untyped-def]
    episode(family, PhaseKind.START)
    data = sdm_post(3)
    del data[missing]
    page = parent_client.post(reverse(SDM_URL), data).content.decode()
    assert "U heeft nog niet alle vragen beantwoord." in page
    assert "Dit veld is verplicht." in page
    bad = sdm_post(3) | {missing: "6"}
    page = parent_client.post(reverse(SDM_URL), bad).content.decode()
    assert "U heeft nog niet alle vragen beantwoord." in page
    assert not SdmResponse.objects.exists()


def test_the_exit_questionnaire_in_aftercare(family, parent_client, parent_account):  # type: ignore[no-untyped-def]
    family.status = FamilyStatus.AFTERCARE
    family.save(update_fields=["status"])
    page = parent_client.post(reverse(EXIT_URL), exit_post(5) | {"result": ""}).content.decode()
    assert "U heeft nog niet alle vragen beantwoord." in page
    long_text = "Goed geholpen. " * 300  # more than 4000 characters
    page = parent_client.post(reverse(EXIT_URL), exit_post(5, long_text)).content.decode()
    assert "4000" in page
    assert long_text.strip() in page  # nothing typed is lost
    assert not ExitQuestionnaire.objects.exists()
    response = parent_client.post(reverse(EXIT_URL), exit_post(5, "Fijne coach"))
    assert response.status_code == 302
    saved = ExitQuestionnaire.objects.get()
    assert (saved.member, saved.via, saved.result, saved.comments) == (
        parent_account.member,
        FilledVia.PORTAL,
        5,
        "Fijne coach",
    )
    report = team_report(family.team, year=timezone.localdate().year)
    assert sum(row[1] for row in report.exit_per_quarter) == 1
    assert parent_client.get(reverse(EXIT_URL)).status_code == 404


def test_nothing_waiting_answers_404(family, parent_client):  # type: ignore[no-untyped-def]
    assert parent_client.get(reverse(SDM_URL)).status_code == 404
    assert parent_client.get(reverse(EXIT_URL)).status_code == 404
    page = parent_client.get(reverse("portal:questionnaires")).content.decode()
    assert "Er staat nu geen vragenlijst voor u klaar." in page


def test_another_familys_answers_stay_apart(family, team, alice, parent_client):  # type: ignore[no-untyped-def]
    episode(family, PhaseKind.START)
    other = FamilyFactory(team=team, coach=alice)
    episode(other, PhaseKind.START)
    other_parent = MemberFactory(family=other, has_parental_authority=True)
    other_client = portal_client(portal_account(other_parent, alice))
    assert other_client.post(reverse(SDM_URL), sdm_post(1)).status_code == 302
    # The parent of the first family still has its own questionnaire waiting and sees no
    # trace of the other family's answer.
    listing = parent_client.get(reverse("portal:questionnaires")).content.decode()
    assert "ingevuld op" not in listing
    assert SdmResponse.objects.get().family == other


@pytest.mark.parametrize("name", ["portal:questionnaires", SDM_URL, EXIT_URL])
def test_staff_get_404(alice_client, family, name):  # type: ignore[no-untyped-def]
    family.status = FamilyStatus.AFTERCARE
    family.save(update_fields=["status"])
    assert alice_client.get(reverse(name)).status_code == 404
    if name != "portal:questionnaires":  # the list is GET only, like the portal's home
        assert alice_client.post(reverse(name), sdm_post() | exit_post()).status_code == 404
    assert not SdmResponse.objects.exists()
    assert not ExitQuestionnaire.objects.exists()


def test_every_page_is_in_the_access_log_with_ids(family, parent_client, parent_account):  # type: ignore[no-untyped-def]
    from cases.models import AccessLog

    episode(family, PhaseKind.START)
    parent_client.get(reverse(SDM_URL))
    row = AccessLog.objects.order_by("-pk").first()
    assert row.family_id_ref == family.pk
    assert f"namens gezinslid {parent_account.member_id}" in row.object
    assert parent_account.member.name not in row.object


def test_a_second_answer_at_the_same_moment_is_refused(family, parent_account):  # type: ignore[no-untyped-def]
    episode(family, PhaseKind.START)
    member, user = parent_account.member, parent_account.user
    services.portal_sdm_record(member=member, user=user, items=[2] * 9)
    with pytest.raises(services.NotWaiting):
        services.portal_sdm_record(member=member, user=user, items=[2] * 9)
    assert SdmResponse.objects.count() == 1


def test_the_coach_sees_that_the_family_filled_it_in_itself(family, alice_client, parent_account):  # type: ignore[no-untyped-def]
    episode(family, PhaseKind.START)
    page = alice_client.get(reverse("reports:family_reports", args=[family.pk])).content.decode()
    assert "zelf, in het portaal" not in page
    services.portal_sdm_record(
        member=parent_account.member, user=parent_account.user, items=[5] * 9
    )
    page = alice_client.get(reverse("reports:family_reports", args=[family.pk])).content.decode()
    assert "zelf, in het portaal" in page
    assert "100,0" in page or "100.0" in page  # staff do see the score


def test_the_pages_pass_the_html_checker(family, parent_client):  # type: ignore[no-untyped-def]
    from tests.quality import assert_valid_html

    family.status = FamilyStatus.AFTERCARE
    family.save(update_fields=["status"])
    pages = {
        "home": parent_client.get(reverse("portal:home")).content.decode(),
        "list": parent_client.get(reverse("portal:questionnaires")).content.decode(),
        "sdm": parent_client.get(reverse(SDM_URL)).content.decode(),
        "sdm-errors": parent_client.post(reverse(SDM_URL), {}).content.decode(),
        "exit": parent_client.get(reverse(EXIT_URL)).content.decode(),
        "exit-errors": parent_client.post(reverse(EXIT_URL), {}).content.decode(),
    }
    assert "Vragenlijst voor u" in pages["home"]
    # Sent with nothing chosen: the sentence, and nothing saved.
    assert "U heeft nog niet alle vragen beantwoord." in pages["sdm-errors"]
    assert "U heeft nog niet alle vragen beantwoord." in pages["exit-errors"]
    assert not SdmResponse.objects.exists()
    assert not ExitQuestionnaire.objects.exists()
    assert_valid_html(pages)
