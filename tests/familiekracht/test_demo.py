"""The demo data against the rules: invariants, not counts.

Every page of every demo family renders for its coach; the reminder job is idempotent on
it; each family's phases follow each other without gaps or overlaps; every demo row passes
its model's own validation (full_clean), base and load-test families alike.
"""

from __future__ import annotations

import itertools

import pytest
from django.apps import apps
from django.core.management import call_command
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from cases.models import Family, FamilyStatus, Membership, PlanStatus, Role
from familiekracht.demo.portal import DEMO_PORTAL_USERS
from familiekracht.demo.users import DEMO_PREFIX, DEMO_USERS
from phases.models import PhaseEpisode, Reminder
from phases.reminders import reminders_run

pytestmark = pytest.mark.django_db

DEMO_APPS = ("cases", "phases", "network", "strengths", "reports")
# Log and register rows are written by the application itself, not by the demo.
NOT_DEMO_ROWS = {"AccessLog", "AccessLogCheck", "DestructionRecord", "Reminder"}
# Family pages that add to the family's plan draft (none before the plan is started).
# Family pages for the team's coordinator only; the coach is refused (403).
OTHER_ROLES = {
    "cases:access_log",
    "cases:access_log_export",
    "cases:family_destroy",
    "cases:family_handover",
    "cases:records_export_json",
    "cases:records_export_pdf",
    "cases:records_export_zip",
}
NEEDS_A_PLAN = {
    "cases:plan_edit",
    "cases:plan_agreement",
    "cases:goal_create",
    "cases:action_create",
    "reports:plan_pdf_share",
}


# Family pages for the team's psychologist only (sending a draft plan back): the coach is
# refused; they render for the psychologist where there is a draft.
PSYCHOLOGIST_ONLY = {"cases:plan_return"}


def _family_routes() -> list[str]:
    """Names of every URL whose only argument is the family id (GET pages of a family)."""
    found: list[str] = []

    def walk(patterns, namespace: str) -> None:  # type: ignore[no-untyped-def]
        for p in patterns:
            if isinstance(p, URLResolver):
                ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
                walk(p.url_patterns, ns)
            elif (
                isinstance(p, URLPattern)
                and p.name
                and set(p.pattern.regex.groupindex) == {"family_id"}
            ):
                found.append(f"{namespace}{p.name}")

    walk(get_resolver().url_patterns, "")
    return sorted(set(found))


def test_family_routes_are_found():
    routes = _family_routes()
    assert "cases:family_detail" in routes and "network:overview" in routes


def test_every_page_of_every_demo_family_renders_for_its_coach(client):
    call_command("seed_demo", verbosity=0)
    routes = _family_routes()
    families = Family.objects.filter(case_number__startswith=DEMO_PREFIX).select_related("coach")
    assert families.exists()
    refused = []
    for family in families:
        client.force_login(family.coach)
        has_plan = family.plans.exists()
        for name in routes:
            url = reverse(name, kwargs={"family_id": family.pk})
            status = client.get(url).status_code
            if name in PSYCHOLOGIST_ONLY:
                if status not in (403, 404):
                    refused.append((name, family.case_number, status))
            elif name in NEEDS_A_PLAN and not has_plan:
                # Without a plan there is no draft to add to: not found, or back to the plan.
                if status not in (302, 404):
                    refused.append((name, family.case_number, status))
            # 405: a POST-only action; 403: a page for another role (coordinator).
            elif status not in (200, 403, 405) or (status == 403 and name not in OTHER_ROLES):
                refused.append((name, family.case_number, status))
    assert refused == []
    # The pages the coach may not open render for the team's coordinator.
    for family in families:
        client.force_login(Membership.objects.get(team=family.team_id, role=Role.COORDINATOR).user)
        for name in OTHER_ROLES:
            url = reverse(name, kwargs={"family_id": family.pk})
            assert client.get(url).status_code == 200, (name, family.case_number)
    for family in families.filter(plans__status=PlanStatus.DRAFT):
        client.force_login(
            Membership.objects.filter(team=family.team_id, role=Role.PSYCHOLOGIST).first().user
        )
        for name in PSYCHOLOGIST_ONLY:
            url = reverse(name, kwargs={"family_id": family.pk})
            assert client.get(url).status_code == 200, (name, family.case_number)
    # The empty state is shown too: some active families have no plan yet.
    assert families.filter(status=FamilyStatus.ACTIVE, plans__isnull=True).exists()


def test_reminders_are_idempotent_and_phases_have_no_gaps():
    call_command("seed_demo", verbosity=0)
    call_command("seed_demo", "--families", "20", verbosity=0)
    reminders_run(send_email=False)
    first = set(
        Reminder.objects.values_list("recipient_id", "family_id", "kind", "subject", "due_on")
    )
    assert first
    reminders_run(send_email=False)
    second = set(
        Reminder.objects.values_list("recipient_id", "family_id", "kind", "subject", "due_on")
    )
    assert second == first

    for family in Family.objects.filter(case_number__startswith=DEMO_PREFIX):
        episodes = list(PhaseEpisode.objects.filter(family=family).order_by("started_on", "pk"))
        if family.status == FamilyStatus.REFERRED:
            if family.trajectories.filter(number__gt=1).exists():
                # Referred again after closing (a reopened file): the earlier trajectory's
                # phases, all ended, and none of the new one yet.
                assert episodes and all(e.ended_on for e in episodes), family
            else:
                assert episodes == [], family
            continue
        assert episodes, family
        for before, after in itertools.pairwise(episodes):
            assert before.ended_on == after.started_on, family  # no gap, no overlap
        assert all(e.ended_on is not None for e in episodes[:-1]), family
        last_open = episodes[-1].ended_on is None
        assert last_open == (family.status == FamilyStatus.ACTIVE), family
        assert family.referral_date <= episodes[0].started_on, family

    # The partners' demo (familiekracht/demo/partners.py): both teams' partners, one archived
    # each; a referral in every status; an answer past its date, reminded; families
    # without any referral; a regisseur of each kind.
    from cases.models import Partner, Referral, ReferralStatus, Team
    from phases.models import ReminderKind

    for team in Team.objects.all():
        assert Partner.objects.filter(team=team).active().count() >= 3, team
        assert Partner.objects.filter(team=team, archived_at__isnull=False).exists(), team
    demo = Referral.objects.filter(family__case_number__startswith=DEMO_PREFIX)
    assert set(demo.values_list("status", flat=True)) == set(ReferralStatus.values)
    assert demo.answer_overdue().exists()
    assert Reminder.objects.filter(kind=ReminderKind.REFERRAL_ANSWER_DUE).exists()
    assert (
        Family.objects.filter(case_number__startswith=DEMO_PREFIX, status=FamilyStatus.ACTIVE)
        .exclude(referrals__isnull=False)
        .exists()
    )
    demo_families = Family.objects.filter(case_number__startswith=DEMO_PREFIX)
    assert demo_families.filter(regisseur_contact__isnull=False).exists()
    assert demo_families.filter(regisseur_user__isnull=False).exists()


def test_demo_rows_pass_their_models_validation():
    call_command("seed_demo", verbosity=0)
    call_command("seed_demo", "--families", "10", verbosity=0)
    failures = []
    for label in DEMO_APPS:
        for model in apps.get_app_config(label).get_models():
            if model.__name__ in NOT_DEMO_ROWS:
                continue
            # A nullable field left empty is valid data (its form allows it); full_clean
            # would call it blank only because the model does not say blank=True.
            nullable = [f.name for f in model._meta.concrete_fields if f.null]
            for obj in model._default_manager.all():
                empty = [name for name in nullable if getattr(obj, name) is None]
                try:
                    obj.full_clean(exclude=empty)
                except Exception as error:  # noqa: BLE001 - collect every failure
                    failures.append(f"{model.__name__} {obj.pk}: {error}")
    assert failures == []


def test_demo_users_have_both_teams_and_every_role():
    teams = {row[3] for row in DEMO_USERS}
    roles = {row[4] for row in DEMO_USERS}
    assert teams == {"Amsterdam Zuidoost", "Den Haag"}
    assert {"coach", "psychologist", "coordinator"} <= set(roles)


def test_the_two_factor_exemption_names_exactly_the_demo_users(settings):
    # The exemption is a setting (no app imports the demo); it must name the demo users only.
    # The staff demo users, then the family portal's (familiekracht/demo/portal.py).
    portal_users = [row[0] for row in DEMO_PORTAL_USERS]
    assert [row[0] for row in DEMO_USERS] + portal_users == settings.DEMO_USERNAMES


def test_the_demo_family_portal_accounts_log_in_and_agree():
    from django.test import Client

    from cases.models import PortalAccount
    from familiekracht.demo.users import DEMO_PASSWORD

    call_command("seed_demo", verbosity=0)
    parent = PortalAccount.objects.get(user__username="ouder-zuidoost")
    young = PortalAccount.objects.get(user__username="jongere-zuidoost")
    assert parent.family_id == young.family_id
    assert parent.family.team.name == "Amsterdam Zuidoost"
    assert parent.member.has_parental_authority
    assert young.member.age == 15
    for account in (parent, young):
        client = Client()
        response = client.post(
            reverse("login"),
            {"username": account.user.username, "password": DEMO_PASSWORD},
            follow=True,
        )
        assert response.redirect_chain[-1][0] == reverse("portal:home")
        page = response.content.decode()
        assert "Ik ga akkoord met dit plan" in page
        assert ("Vragenlijst voor u" in page) is (account == parent)
        assert client.get(reverse("portal:access_overview")).status_code == 200
        assert client.get(reverse("portal:questionnaires")).status_code == 200
    # A questionnaire waits for the parent; the young person filled one in the portal.
    from reports.models import FilledVia, SdmResponse
    from reports.portal.services import questionnaires_for

    assert questionnaires_for(parent.family, parent.member).waiting
    filled = SdmResponse.objects.get(member=young.member, via=FilledVia.PORTAL)
    assert filled.recorded_by == young.user
    assert not questionnaires_for(young.family, young.member).sdm_moment
    # Every state of an account on the coaches' portal pages: an open link, an ended account.
    assert PortalAccount.objects.filter(ended_at__isnull=False).exists()


def test_the_demo_family_portal_shows_what_the_coach_shares():
    from django.test import Client

    from cases.models import PortalAccount, PortalMessage

    call_command("seed_demo", verbosity=0)
    parent = PortalAccount.objects.get(user__username="ouder-zuidoost")
    family = parent.family
    shared = family.documents.filter(shared_at__isnull=False)
    assert shared.count() == 1
    assert family.documents.filter(shared_at__isnull=True).exists()
    thread = PortalMessage.objects.filter(family=family)
    assert thread.filter(member__isnull=False).exists()
    assert thread.unread_by_family().count() == 1
    client = Client()
    client.force_login(parent.user)
    home = client.get(reverse("portal:home")).content.decode()
    assert "U heeft 1 nieuw bericht van uw coach." in home
    assert "Ons netwerk: wie helpt mee" in home
    documents = client.get(reverse("portal:documents")).content.decode()
    assert shared.get().versions.order_by("-number").first().file_name in documents
    assert client.get(reverse("portal:messages")).status_code == 200


def test_the_demo_family_has_written_in_its_portal():
    """ouder-zuidoost's family: a reaction to a goal, a portal statement and an open copy
    request; another family has a provided and a refused one (each state on the pages)."""
    from cases.models import (
        ClientStatement,
        CopyRequest,
        CopyRequestStatus,
        GoalReaction,
        PortalAccount,
    )

    call_command("seed_demo", verbosity=0)
    parent = PortalAccount.objects.get(user__username="ouder-zuidoost")
    assert GoalReaction.objects.filter(member=parent.member).exists()
    assert ClientStatement.objects.filter(member=parent.member, recorded_by=parent.user).exists()
    mine = CopyRequest.objects.filter(family=parent.family)
    assert list(mine.values_list("status", flat=True)) == [CopyRequestStatus.REQUESTED]
    others = CopyRequest.objects.exclude(family=parent.family)
    assert set(others.values_list("status", flat=True)) == {
        CopyRequestStatus.PROVIDED,
        CopyRequestStatus.REFUSED,
    }
