"""Every form page the journeys do not reach, once, on the demo data, as the user who fills it
in: axe-core, Tab to every control, and the Nu HTML checker."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from cases.models import Appointment, Document, Family, PlanGoal
from familiekracht.demo.users import DEMO_PASSWORD
from network.models import KrachtgezinMatch, NetworkMeeting, NetworkMember
from strengths.models import MemberAnalysis, Moment, TimelineEvent
from tests.journeys.helpers import PageChecks, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _first(queryset, **lookups):  # type: ignore[no-untyped-def]
    found = queryset.filter(**lookups).order_by("pk").first()
    assert found is not None, f"the demo data has no {queryset.model.__name__} for {lookups}"
    return found


def _coach_pages() -> dict[str, str]:
    families = Family.objects.filter(coach__username="coach-zuidoost")
    family = _first(families.filter(network_meetings__isnull=False).distinct())
    f = family.pk
    member = _first(family.members.all())
    contact = _first(family.contacts.all(), author__username="coach-zuidoost")
    meeting = _first(NetworkMeeting.objects.all(), family__in=families)
    network_member = _first(NetworkMember.objects.all(), family=meeting.family)
    match = _first(KrachtgezinMatch.objects.open(), family__in=families)
    krachtgezin = match.krachtgezin
    moment = _first(Moment.objects.all(), family__in=families)
    analysis = _first(MemberAnalysis.objects.all(), family__in=families)
    event = _first(TimelineEvent.objects.all(), family__in=families)
    goal = _first(PlanGoal.objects.all(), plan__family__in=families, plan__status="draft")
    m, k = meeting.family_id, match.family_id
    appointment = _first(Appointment.objects.all(), family__in=families, status="planned")
    document = _first(Document.objects.all(), family__in=families)
    a, d = appointment.family_id, document.family_id
    return {
        "family edit": reverse("cases:family_edit", args=[f]),
        "member new": reverse("cases:member_create", args=[f]),
        "member edit": reverse("cases:member_edit", args=[f, member.pk]),
        "contact edit": reverse("cases:contact_edit", args=[contact.family_id, contact.pk]),
        "records": reverse("cases:records", args=[f]),
        "statement new": reverse("cases:statement_create", args=[f]),
        "consent new": reverse("cases:consent_create", args=[f]),
        "share check": reverse("cases:share_check", args=[f]),
        "network member edit": reverse("network:member_edit", args=[m, network_member.pk]),
        "meeting new": reverse("network:meeting_create", args=[m]),
        "meeting": reverse("network:meeting_detail", args=[m, meeting.pk]),
        "meeting edit": reverse("network:meeting_edit", args=[m, meeting.pk]),
        "meeting evaluate": reverse("network:meeting_evaluate", args=[m, meeting.pk]),
        "krachtgezin new": reverse("network:krachtgezin_create", args=[k]),
        "krachtgezin": reverse("network:krachtgezin_detail", args=[k, krachtgezin.pk]),
        "krachtgezin edit": reverse("network:krachtgezin_edit", args=[k, krachtgezin.pk]),
        "krachtgezin matching": reverse("network:krachtgezin_match_edit", args=[k, krachtgezin.pk]),
        "krachtgezin end": reverse("network:krachtgezin_match_end", args=[k, krachtgezin.pk]),
        "respite stay new": reverse("network:stay_create", args=[k, krachtgezin.pk]),
        "krachtgezinnen": reverse("network:krachtgezin_list"),
        "strengths": reverse("strengths:overview", args=[moment.family_id]),
        "moment new": reverse("strengths:moment_create", args=[moment.family_id]),
        "scores": reverse("strengths:scores", args=[moment.family_id, moment.pk, "joint"]),
        "analysis new": reverse("strengths:analysis_create", args=[analysis.family_id]),
        "analysis edit": reverse("strengths:analysis_edit", args=[analysis.family_id, analysis.pk]),
        "timeline": reverse("strengths:timeline", args=[event.family_id]),
        "event new": reverse("strengths:event_create", args=[event.family_id]),
        "event edit": reverse("strengths:event_edit", args=[event.family_id, event.pk]),
        "goal delete": reverse("cases:goal_delete", args=[goal.plan.family_id, goal.pk]),
        "reminders": reverse("phases:reminder_list"),
        "agenda": reverse("cases:agenda"),
        "family agenda": reverse("cases:family_agenda", args=[a]),
        "appointment new": reverse("cases:appointment_create", args=[a]),
        "appointment edit": reverse("cases:appointment_edit", args=[a, appointment.pk]),
        "appointment cancel": reverse("cases:appointment_cancel", args=[a, appointment.pk]),
        "tasks": reverse("cases:task_list"),
        "task new": reverse("cases:task_create", args=[a]),
        "documents": reverse("cases:document_list", args=[d]),
        "document new": reverse("cases:document_upload", args=[d]),
        "document replace": reverse("cases:document_replace", args=[d, document.pk]),
        "document remove": reverse("cases:document_remove", args=[d, document.pk]),
        "notifications": reverse("cases:notification_list"),
        "contact comment new": reverse(
            "cases:contact_comment", args=[contact.family_id, contact.pk]
        ),
        "goal comment new": reverse("cases:goal_comment", args=[goal.plan.family_id, goal.pk]),
        "plan comment new": reverse("cases:plan_comment", args=[goal.plan.family_id, goal.plan_id]),
        "my supervision": reverse("reports:supervision_mine"),
        "search": reverse("cases:search"),
        "password": reverse("password_change"),
        "two-factor": reverse("otp_setup"),
    }


def _coordinator_pages() -> dict[str, str]:
    family = _first(Family.objects.all(), coach__username="coach-zuidoost")
    return {
        "access log": reverse("cases:access_log", args=[family.pk]),
        "handover": reverse("cases:family_handover", args=[family.pk]),
        "team handover": f"{reverse('cases:team_handover')}?team={family.team_id}"
        f"&coach={family.coach_id}",
        "replacements": reverse("cases:replacements"),
        "family destroy": reverse("cases:family_destroy", args=[family.pk]),
        "family new": reverse("cases:family_create"),
        "phase definitions": reverse("phases:definitions"),
        "two-factor reset": reverse(
            "cases:account_two_factor_reset",
            args=[get_user_model().objects.get(username="coach-zuidoost").pk],
        ),
        "destruction list": reverse("cases:destruction_list"),
        "destruction register": reverse("cases:destruction_register"),
        "team agenda": reverse("cases:agenda") + f"?team={family.team_id}",
        "supervision": reverse("reports:supervision_list"),
        "supervision new": reverse("reports:supervision_create"),
    }


def _visit(page, checks: PageChecks, pages: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    """Each page once; a form for something new also once sent empty, to show its errors."""
    for name, url in pages.items():
        response = page.goto(url)
        assert response is not None and response.status == 200, f"{name}: {url}"
        assert page.url.endswith(url), f"{name}: {url} led to {page.url}"
        checks.check(name)
        if name.endswith(" new") or name == "password":
            with page.expect_navigation():
                page.locator("main form[method=post] button[type=submit]").first.click()
            assert page.locator(".invalid-feedback, .alert-danger").count() > 0, name
            checks.check(f"{name} sent empty")


def test_every_other_form_page(browser_page):
    call_command("seed_demo")
    page = browser_page
    checks = PageChecks(page)
    login(page, checks, "coach-zuidoost", DEMO_PASSWORD)
    _visit(page, checks, _coach_pages())
    page.context.clear_cookies()
    login(page, checks, "coordinator-zuidoost", DEMO_PASSWORD)
    _visit(page, checks, _coordinator_pages())
    checks.assert_clean()
