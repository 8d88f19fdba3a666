"""Demo data for case reviews and questionnaires, and what the psychologist sees in it."""

from __future__ import annotations

import datetime
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from cases.models import FamilyStatus
from phases.models import Reminder, ReminderKind
from phases.reminders import reminders_run
from reports.models import CaseReview, ExitQuestionnaire, SdmResponse

pytestmark = pytest.mark.django_db


def _client(username: str) -> Client:
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return client


def test_demo_has_reviews_questionnaires_and_a_useful_caseload():
    call_command("seed_demo", verbosity=0)
    today = timezone.localdate()
    active_reviews = CaseReview.objects.filter(family__status=FamilyStatus.ACTIVE)
    assert active_reviews.count() >= 10
    assert active_reviews.filter(next_review_on__lte=today).exists()  # some are due
    assert active_reviews.filter(next_review_on__gt=today).exists()
    assert all(r.participants.exists() for r in CaseReview.objects.all())
    assert SdmResponse.objects.values("family").distinct().count() >= 5
    assert SdmResponse.objects.filter(moment="after_analysis").exists()
    assert ExitQuestionnaire.objects.exists()
    for sdm in SdmResponse.objects.all():
        assert 0 <= sdm.score <= 100
        assert sdm.member.family_id == sdm.family_id
    reminders_run(today=today, send_email=False)
    assert Reminder.objects.filter(kind=ReminderKind.CASE_REVIEW_DUE).exists()

    response = _client("psycholoog-zuidoost").get("/caseload/")
    assert response.status_code == 200
    rows = list(response.context["page"].object_list)
    assert rows and rows[0].needs_attention
    assert any(r.open_reminders for r in rows)
    coord = _client("coordinator-zuidoost")
    assert coord.get("/reports/team/").status_code == 200
    assert coord.get("/reports/team/csv/").status_code == 200


def test_bulk_seed_adds_light_rows():
    call_command("seed_demo", verbosity=0)
    before = (CaseReview.objects.count(), SdmResponse.objects.count())
    call_command("seed_demo", families=30, verbosity=0)
    assert CaseReview.objects.count() > before[0]
    assert SdmResponse.objects.count() > before[1]


TEMPLATES = sorted((Path(settings.BASE_DIR) / "templates" / "reports").glob("*.html"))


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: p.name)
def test_templates_fit_a_strict_csp(path):
    text = path.read_text()
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text), "inline script"
    assert not re.search(r"\son[a-z]+\s*=", text), "inline event handler"
    assert "style=" not in text


def test_family_page_panel(alice_client, alice, family):
    from reports.models import CaseReview

    body = alice_client.get(f"/families/{family.pk}/").content.decode()
    assert "Casusbespreking en vragenlijsten" in body and "nog geen" in body
    CaseReview.objects.create(
        family=family,
        date=timezone.localdate(),
        next_review_on=timezone.localdate() + datetime.timedelta(days=3),
        created_by=alice,
    )
    body = alice_client.get(f"/families/{family.pk}/").content.decode()
    assert "gepland" in body
    assert f'href="/families/{family.pk}/reports/"' in body  # the family tab


def test_pages_are_valid_html():
    """The caseload, coach load, team report (and print page), the family page's tab and
    the forms, rendered on the demo data, pass the Nu HTML checker (skipped without it)."""
    from tests.quality import assert_valid_html

    call_command("seed_demo", verbosity=0)
    from cases.models import Family

    family = Family.objects.filter(
        team__name="Amsterdam Zuidoost", status=FamilyStatus.ACTIVE, sdm_responses__isnull=False
    ).first()
    psy = _client("psycholoog-zuidoost")
    coord = _client("coordinator-zuidoost")
    pages = {
        "caseload": psy.get("/caseload/").content.decode(),
        "caseload sorted": psy.get("/caseload/?sort=-trend&flag=attention").content.decode(),
        "coach load": psy.get("/caseload/coaches/").content.decode(),
        "team report": coord.get("/reports/team/").content.decode(),
        "team report print": coord.get("/reports/team/print/").content.decode(),
        "family reports": psy.get(f"/families/{family.pk}/reports/").content.decode(),
        "review form": psy.get(f"/families/{family.pk}/reports/reviews/new/").content.decode(),
        "sdm form": psy.get(f"/families/{family.pk}/reports/sdm/new/").content.decode(),
        "exit form": psy.get(f"/families/{family.pk}/reports/exit/new/").content.decode(),
        "sdm errors": psy.post(f"/families/{family.pk}/reports/sdm/new/", {}).content.decode(),
    }
    assert_valid_html(pages)
