"""The portal's narrow door over every URL of the project (the permission matrix's walk):
a family member's portal account gets 404 on every staff page, and another family's
portal sees nothing of this family."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from cases.models import AccessLog, AccessOutcome, PortalAccount
from cases.plan import services as plan_services
from cases.portal import services
from tests.cases.plan_factories import PlanFactory
from tests.cases.test_permission_matrix import MARKER, _kwargs, all_routes
from tests.factories import FamilyFactory, MemberFactory

pytestmark = pytest.mark.django_db

# What a portal account may open outside the portal: the log-in steps (and healthz).
OPEN_TO_PORTAL = {"login", "otp_verify", "healthz"}


def _portal_client(member, by) -> tuple[Client, PortalAccount]:  # type: ignore[no-untyped-def]
    token = services.portal_invitation_create(member=member, by=by)
    account, _device, _codes = services.portal_account_create(
        invitation=services.invitation_for_token(token),
        password="een-lang-wachtwoord-42",
        totp=None,
    )
    client = Client(raise_request_exception=False)
    client.force_login(account.user)
    return client, account


def test_a_portal_user_gets_404_on_every_staff_url(family, alice):  # type: ignore[no-untyped-def]
    family.display_name = MARKER
    family.save(update_fields=["display_name"])
    plan = PlanFactory(family=family, created_by=alice)
    plan_services.plan_review_request(plan=plan, by=alice)
    plan_services.plan_share(plan=plan, by=alice)
    client, account = _portal_client(family.members.get(has_parental_authority=True), alice)
    failures: list[str] = []
    routes = [(r, _kwargs(r, family)) for r in all_routes()]
    staff_routes = [
        (r, kw)
        for r, kw in routes
        if kw is not None and not r.name.startswith("portal:") and r.name not in OPEN_TO_PORTAL
    ]
    assert len(staff_routes) >= 50
    for route, kwargs in staff_routes:
        url = reverse(route.name, kwargs=kwargs)
        for method in ("get", "post"):
            last = AccessLog.objects.order_by("-pk").values_list("pk", flat=True).first()
            response = getattr(client, method)(url)
            status = response.status_code
            if route.name == "cases:caseload" and status == 302:
                # The staff landing page sends the family to its own home.
                if response["Location"] != reverse("portal:home"):
                    failures.append(f"{method.upper()} {url} -> {response['Location']}")
                continue
            if status != 404:
                failures.append(f"{method.upper()} {url} -> {status}")
                continue
            rows = list(AccessLog.objects.filter(pk__gt=last or 0))
            outcomes = {row.outcome for row in rows}
            if AccessOutcome.ALLOWED in outcomes:
                failures.append(f"{method.upper()} {url} logged allowed")
    assert not failures, "\n".join(failures)


def test_another_familys_portal_sees_nothing_of_this_family(family, alice, team):  # type: ignore[no-untyped-def]
    family.display_name = MARKER
    family.save(update_fields=["display_name"])
    plan = PlanFactory(family=family, created_by=alice, central_question="VRAAG-VAN-GEZIN-A")
    plan_services.plan_review_request(plan=plan, by=alice)
    plan_services.plan_share(plan=plan, by=alice)
    other = FamilyFactory(team=team, coach=alice)
    parent = MemberFactory(family=other, has_parental_authority=True, name="Ouder B")
    client, _account = _portal_client(parent, alice)
    for name in ("portal:home", "portal:access_overview"):
        page = client.get(reverse(name)).content.decode()
        assert MARKER not in page
        assert "VRAAG-VAN-GEZIN-A" not in page
    # This family's plan is not theirs to agree to.
    assert client.post(reverse("portal:plan_agree", args=[plan.pk])).status_code == 404
    plan.refresh_from_db()
    assert plan.agreed_on is None
