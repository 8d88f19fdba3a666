"""What the family and its partners read in the plan PDF: the cover page, the network map
with names and a legend, the optional strengths analysis and timeline, goals with their
actions."""

from __future__ import annotations

import datetime
import io
import re

import pypdf
import pytest
from django.core.files.storage import default_storage
from django.urls import reverse

from cases.models import ActionSource
from network.models import Circle, Quality
from phases.models import PhaseEpisode, PhaseKind
from reports import pdf
from reports.models import PlanPdf
from strengths.models import MemberAnalysis, TimelineEvent
from tests.cases.plan_factories import ActionFactory
from tests.network.factories import NetworkMemberFactory

pytestmark = pytest.mark.django_db


def pages_text(data: bytes) -> list[str]:
    reader = pypdf.PdfReader(io.BytesIO(data))
    return [" ".join(page.extract_text().split()) for page in reader.pages]


@pytest.fixture
def network(family):  # type: ignore[no-untyped-def]
    NetworkMemberFactory(
        family=family, name="Oma Ria", relation="oma", circle=Circle.FAMILY, closeness=1
    )
    NetworkMemberFactory(
        family=family,
        name="Buurvrouw Els",
        relation="buurvrouw",
        quality=Quality.FRAGILE,
    )
    NetworkMemberFactory(
        family=family,
        name="Regisseur Sam",
        relation="regisseur buurtteam",
        circle=Circle.PROFESSIONALS,
        closeness=3,
    )


@pytest.fixture
def analysis_and_timeline(family, alice):  # type: ignore[no-untyped-def]
    MemberAnalysis.objects.create(
        family=family,
        member=family.members.get(name="Noah Jansen"),
        recorded_by=alice,
        date=datetime.date(2026, 1, 5),
        filled_in_by="zelf",
        strengths="KRACHT-NOAH voetbal",
        wishes="WENS-NOAH",
    )
    TimelineEvent.objects.create(
        family=family,
        created_by=alice,
        precision="month",
        year=2019,
        month=3,
        kind="move",
        description="VERHUIZING-NAAR-ZUIDOOST",
    )


def test_cover_page_has_family_question_coach_regisseur_phase_and_status(plan, network, alice):
    plan.central_question = "Hoe blijven de kinderen veilig thuis?"
    plan.save(update_fields=["central_question"])
    PhaseEpisode.objects.create(
        family=plan.family,
        kind=PhaseKind.ANALYSIS,
        started_on=datetime.date(2026, 10, 18),
        planned_end=datetime.date(2026, 11, 30),
        weeks_min=4,
        weeks_max=6,
        hours_min=5,
        hours_max=7,
    )
    first = pages_text(pdf.render_plan_pdf(plan))[0]
    assert "Gezin Jansen" in first
    assert "Hoe blijven de kinderen veilig thuis?" in first
    assert alice.get_full_name() in first
    assert "Regisseur Sam (regisseur buurtteam)" in first
    assert "Analysefase, sinds 18 oktober 2026" in first
    assert "Concept: nog niet vastgesteld" in first
    assert "Nog niet beoordeeld" in first and "Nog geen akkoord" in first


def test_network_map_names_every_person_with_a_legend(plan, network):
    texts = pages_text(pdf.render_plan_pdf(plan))
    network_pages = [t for t in texts if "Het netwerk" in t]
    assert network_pages, "no network page"
    page = network_pages[0]
    # The names are drawn on the map itself (and listed in the numbered key).
    for name in ("Oma Ria", "Buurvrouw Els", "Regisseur Sam"):
        assert name in page
    for legend in ("Kringen", "Sterk: doorgetrokken lijn", "Kwetsbaar: gestreepte lijn"):
        assert legend in page
    assert "Veiligheidsrisico" in page
    html = pdf.plan_html(plan)
    # One SVG source: the page's map, drawn for print.
    assert 'class="svg-chart network-map"' in html
    assert "Netwerkkaart van Gezin Jansen" in html


def test_strengths_and_timeline_only_when_ticked(plan, analysis_and_timeline):
    plain = " ".join(pages_text(pdf.render_plan_pdf(plan)))
    assert "KRACHT-NOAH" not in plain and "VERHUIZING-NAAR-ZUIDOOST" not in plain
    assert "Krachtenanalyse" not in plain and "Tijdlijn" not in plain

    only_strengths = pdf.PlanPdfOptions(strengths=True)
    text = " ".join(pages_text(pdf.render_plan_pdf(plan, options=only_strengths)))
    assert "KRACHT-NOAH voetbal" in text and "WENS-NOAH" in text
    assert "Noah Jansen" in text
    assert "VERHUIZING-NAAR-ZUIDOOST" not in text

    both = pdf.PlanPdfOptions(strengths=True, timeline=True)
    text = " ".join(pages_text(pdf.render_plan_pdf(plan, options=both)))
    assert "KRACHT-NOAH" in text
    assert "maart 2019" in text and "VERHUIZING-NAAR-ZUIDOOST" in text


def test_empty_optional_parts_say_so(plan):
    both = pdf.PlanPdfOptions(strengths=True, timeline=True)
    html = pdf.plan_html(plan, both)
    assert "Nog geen krachtenanalyse vastgelegd." in html
    assert "Nog geen gebeurtenissen op de tijdlijn." in html


def test_each_goal_keeps_its_actions_together_network_first(plan):
    goal = plan.goals.get(text="Ik wil weer goed slapen")
    ActionFactory(plan=plan, goal=goal, source=ActionSource.PROFESSIONAL, what="SLAAP-PRO")
    ActionFactory(plan=plan, goal=goal, source=ActionSource.NETWORK, what="SLAAP-NETWERK")
    html = pdf.plan_html(plan)
    blocks = re.findall(r'<div class="goal">(.*?)</div>', html, flags=re.S)
    sleep = next(b for b in blocks if "Ik wil weer goed slapen" in b)
    assert "SLAAP-NETWERK" in sleep and "SLAAP-PRO" in sleep
    assert sleep.index("SLAAP-NETWERK") < sleep.index("SLAAP-PRO")
    assert "PROHULP" not in sleep  # an action of no goal is listed apart
    loose = next(b for b in blocks if "niet bij een doel" in b)
    assert loose.index("NETWERKHULP") < loose.index("PROHULP")
    # A goal block does not break across pages (the stylesheet says so).
    css = (pdf.StaticOnlyFetcher().resolve(pdf.STATIC_PREFIX + "css/pdf.css")).read_text()
    assert re.search(r"\.goal \{[^}]*break-inside: avoid", css)


def test_request_form_stores_what_goes_in(
    family, plan, alice_client, django_capture_on_commit_callbacks, analysis_and_timeline
):
    url = reverse("reports:plan_pdf_request", args=[family.pk])
    with django_capture_on_commit_callbacks(execute=True):
        alice_client.post(url, {"plan": plan.pk, "include_strengths": "on"})
    export = PlanPdf.objects.get()
    assert export.include_strengths and not export.include_timeline
    assert export.parts == ["krachtenanalyse"]
    with default_storage.open(export.file_path, "rb") as handle:
        text = " ".join(pages_text(handle.read()))
    assert "KRACHT-NOAH" in text and "VERHUIZING-NAAR-ZUIDOOST" not in text
    page = alice_client.get(reverse("cases:plan_detail", args=[family.pk])).content.decode()
    assert 'name="include_strengths"' in page and 'name="include_timeline"' in page
    assert "met krachtenanalyse" in page
