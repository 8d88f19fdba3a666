"""The family file is composed from the lists in settings, not from names inside `cases`.

FAMILY_SECTIONS gives the tabs, the overview's panels and the apps' navigation entries;
FAMILY_PLAN_SLOTS what other apps show on the plan page; CONTACT_FORM_EXTENSIONS the fields
other apps add to the contact form.
"""

from __future__ import annotations

import datetime
import re

import pytest
from django.conf import settings as django_settings
from django.urls import reverse
from django.utils import timezone

from cases import services
from cases.forms import ContactForm
from cases.models import Contact, ContactKind
from cases.sections import Section, family_sections
from network.models import NetworkMember
from tests.cases.plan_factories import PlanFactory

pytestmark = pytest.mark.django_db

WITHOUT_REPORTS = [p for p in django_settings.FAMILY_SECTIONS if not p.startswith("reports.")]


def _extra_panel(request, access) -> str:  # type: ignore[no-untyped-def]
    return f"<p>Extra onderdeel van {access.family.pk}</p>"


extra = Section(key="extra", label="Extra", url_name="cases:records", panel=_extra_panel)


def _tab_hrefs(page: str) -> list[str]:
    tabs = page.split('<ul class="nav nav-tabs', 1)[1].split("</ul>", 1)[0]
    return re.findall(r'href="([^"]+)"', tabs)


def test_tabs_follow_family_sections_in_order(alice_client, family):
    page = alice_client.get(reverse("cases:family_detail", args=[family.pk])).content.decode()
    assert _tab_hrefs(page) == [
        reverse("cases:family_detail", args=[family.pk]),
        reverse("cases:plan_detail", args=[family.pk]),
        reverse("phases:family_phases", args=[family.pk]),
        reverse("strengths:overview", args=[family.pk]),
        reverse("strengths:timeline", args=[family.pk]),
        reverse("network:overview", args=[family.pk]),
        reverse("cases:family_partners", args=[family.pk]),
        reverse("cases:family_agenda", args=[family.pk]),
        reverse("reports:family_reports", args=[family.pk]),
        reverse("cases:document_list", args=[family.pk]),
        reverse("cases:portal_messages", args=[family.pk]),
        reverse("cases:records", args=[family.pk]),
    ]
    assert [s.key for s in family_sections()][:3] == ["overview", "plan", "phases"]


def test_a_reader_has_no_tab_for_a_part_only_writers_open(alice_client, bob_client, family):
    url = reverse("cases:family_detail", args=[family.pk])
    messages_tab = reverse("cases:portal_messages", args=[family.pk])
    assert messages_tab in _tab_hrefs(alice_client.get(url).content.decode())
    reader_tabs = _tab_hrefs(bob_client.get(url).content.decode())
    assert messages_tab not in reader_tabs
    assert reverse("cases:records", args=[family.pk]) in reader_tabs
    assert bob_client.get(messages_tab).status_code == 403


def test_a_section_left_out_has_no_tab_panel_or_navigation(coordinator_client, family, settings):
    url = reverse("cases:family_detail", args=[family.pk])
    reports_tab = reverse("reports:family_reports", args=[family.pk])
    before = coordinator_client.get(url).content.decode()
    assert reports_tab in before
    assert reverse("reports:caseload") in before  # reports' entry in the main navigation

    settings.FAMILY_SECTIONS = WITHOUT_REPORTS
    after = coordinator_client.get(url).content.decode()
    assert reports_tab not in _tab_hrefs(after)
    assert reverse("reports:caseload") not in after
    # Every family page has the same tabs: the plan page too.
    plan_page = coordinator_client.get(reverse("cases:plan_detail", args=[family.pk]))
    assert reports_tab not in plan_page.content.decode()


def test_a_section_added_in_settings_shows_its_tab_and_panel(alice_client, family, settings):
    settings.FAMILY_SECTIONS = [*settings.FAMILY_SECTIONS, "tests.cases.test_sections.extra"]
    page = alice_client.get(reverse("cases:family_detail", args=[family.pk])).content.decode()
    assert f"<p>Extra onderdeel van {family.pk}</p>" in page
    assert _tab_hrefs(page)[-1] == reverse("cases:records", args=[family.pk])
    assert ">Extra</a>" in page


def test_the_plan_pages_pdf_part_comes_from_a_plan_slot(alice_client, alice, family, settings):
    PlanFactory(family=family, created_by=alice)
    url = reverse("cases:plan_detail", args=[family.pk])
    assert (
        reverse("reports:plan_pdf_request", args=[family.pk])
        in alice_client.get(url).content.decode()
    )

    settings.FAMILY_PLAN_SLOTS = []
    page = alice_client.get(url).content.decode()
    assert reverse("reports:plan_pdf_request", args=[family.pk]) not in page
    assert "Gezinsplan als PDF" not in page


def test_network_adds_its_field_to_the_contact_form(family):
    assert "network_members_present" in ContactForm(family=family).fields


def test_without_the_extension_the_contact_form_has_no_network_field(
    alice_client, family, settings
):
    settings.CONTACT_FORM_EXTENSIONS = []
    assert "network_members_present" not in ContactForm(family=family).fields
    response = alice_client.post(
        reverse("cases:contact_create", args=[family.pk]),
        {"date": timezone.localdate().isoformat(), "minutes": 60, "kind": ContactKind.PHONE},
    )
    assert response.status_code == 302
    contact = Contact.objects.get()
    assert "network_members_present" not in services._contact_snapshot(contact)


def test_the_contact_service_saves_the_extensions_values(family, alice):
    oma = NetworkMember.objects.create(family=family, name="Oma Ria")
    contact = services.contact_create(
        family=family,
        author=alice,
        date=timezone.localdate() - datetime.timedelta(days=1),
        minutes=30,
        kind=ContactKind.PHONE,
        network_members_present=[oma],
    )
    assert list(contact.network_members_present.all()) == [oma]


def test_the_contact_service_refuses_a_field_no_extension_owns(family, alice, settings):
    settings.CONTACT_FORM_EXTENSIONS = []
    with pytest.raises(TypeError, match="network_members_present"):
        services.contact_create(
            family=family,
            author=alice,
            date=timezone.localdate(),
            minutes=30,
            kind=ContactKind.PHONE,
            network_members_present=[],
        )
    assert not Contact.objects.exists()
