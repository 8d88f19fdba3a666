from __future__ import annotations

import datetime
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse

from strengths.charts import SERIES_PATTERNS, domain_profile_svg
from strengths.models import Moment, MomentKind
from tests.strengths.conftest import make_sheet

pytestmark = pytest.mark.django_db
SVG = "{http://www.w3.org/2000/svg}"


def three_moments(family, user):  # type: ignore[no-untyped-def]
    moments = []
    for i, kind in enumerate([MomentKind.START, MomentKind.ANALYSIS_END, MomentKind.INTERIM]):
        moment = Moment.objects.create(
            family=family, kind=kind, date=datetime.date(2026, 1 + i * 2, 1), created_by=user
        )
        make_sheet(moment, user, severity=1 + i)
        moments.append(moment)
    return moments


def test_no_scores_no_chart(family):
    assert domain_profile_svg(family) == ""


def test_svg_is_well_formed_with_one_series_per_moment(family, alice):
    moments = three_moments(family, alice)
    # A moment without scores is not a series.
    Moment.objects.create(
        family=family, kind=MomentKind.CLOSING, date=datetime.date(2026, 9, 1), created_by=alice
    )
    root = ET.fromstring(domain_profile_svg(family))
    assert root.tag == f"{SVG}svg"
    series = [g for g in root.iter(f"{SVG}g") if g.get("class") == "series"]
    assert len(series) == len(moments)
    assert [s.get("data-moment").split("-")[0] for s in series] == [
        "start",
        "analysis_end",
        "interim",
    ]
    for i, group in enumerate(series):
        bars = group.findall(f"{SVG}rect")
        assert len(bars) == 7
        assert {b.get("data-value") for b in bars} == {str(1 + i)}
    # Higher severity, taller bar: the change between moments is visible.
    heights = [float(s.find(f"{SVG}rect").get("height")) for s in series]
    assert heights == sorted(heights) and heights[0] < heights[-1]


def test_svg_is_accessible_and_csp_safe(family, alice):
    three_moments(family, alice)
    svg = domain_profile_svg(family)
    root = ET.fromstring(svg)
    assert root.get("role") == "img"
    ids = {el.get("id") for el in root.iter() if el.get("id")}
    labelled_by = root.get("aria-labelledby").split()
    assert labelled_by and set(labelled_by) <= ids
    title = root.find(f"{SVG}title")
    assert title is not None and "Gezin Jansen" in title.text
    assert "style" not in svg  # no style= attributes and no <style> blocks
    assert "<script" not in svg and " on" not in svg.replace(" one", "")
    # Series differ by pattern as well as colour.
    patterns = root.find(f"{SVG}defs").findall(f"{SVG}pattern")
    assert len(patterns) == 3
    drawn = {
        ET.tostring(p, encoding="unicode").split(">", 1)[1].replace(p.get("id"), "")
        for p in patterns
    }
    assert len(drawn) == 3
    colours = {p.find(f"{SVG}rect").get("fill") for p in patterns[:1]}
    assert colours
    assert len(SERIES_PATTERNS) == len(set(SERIES_PATTERNS))


def test_text_is_escaped(family, alice):
    family.display_name = 'Gezin <script>alert("x")</script> & Zn'
    family.save()
    three_moments(family, alice)
    svg = domain_profile_svg(family)
    ET.fromstring(svg)  # still well-formed
    assert "<script>" not in svg
    assert "&lt;script&gt;" in svg and "&amp; Zn" in svg


def test_one_perspective_only(family, alice):
    moment = Moment.objects.create(
        family=family, kind=MomentKind.START, date=datetime.date(2026, 1, 1), created_by=alice
    )
    make_sheet(moment, alice, perspective="parent", severity=4)
    make_sheet(moment, alice, perspective="joint", severity=2)
    default = ET.fromstring(domain_profile_svg(family))
    assert {r.get("data-value") for r in default.iter(f"{SVG}rect") if r.get("data-value")} == {"2"}
    parent = ET.fromstring(domain_profile_svg(family, perspective="parent"))
    assert {r.get("data-value") for r in parent.iter(f"{SVG}rect") if r.get("data-value")} == {"4"}


def test_overview_shows_chart_and_table(family, alice, alice_client, bob_client):
    three_moments(family, alice)
    url = reverse("strengths:overview", args=[family.pk])
    page = alice_client.get(url).content.decode()
    assert page.count('class="series"') == 3
    table = page[page.index('<table class="table table-sm align-middle profile-table">') :]
    table = table[: table.index("</table>")]
    assert table.count("<tr>") == 8  # header + seven domains
    assert "Hulpverleningsfactoren" in table
    assert "ernst 1" in table and "ernst 3" in table
    assert bob_client.get(url).status_code == 200
    assert "Meetmoment toevoegen" not in bob_client.get(url).content.decode()


def test_overview_access(family, alice_client, charlie_client):
    url = reverse("strengths:overview", args=[family.pk])
    assert charlie_client.get(url).status_code == 404
    assert alice_client.post(url).status_code == 405
    assert "Nog geen scores." in alice_client.get(url).content.decode()


def test_overview_per_perspective(family, alice, alice_client):
    moment = Moment.objects.create(
        family=family, kind=MomentKind.START, date=datetime.date(2026, 1, 1), created_by=alice
    )
    make_sheet(moment, alice, perspective="young_person", severity=5)
    make_sheet(moment, alice, perspective="joint", severity=2)
    url = reverse("strengths:overview", args=[family.pk])
    assert 'data-value="2"' in alice_client.get(url).content.decode()
    young = alice_client.get(url + "?perspective=young_person").content.decode()
    assert 'data-value="5"' in young and 'data-value="2"' not in young
    parent = alice_client.get(url + "?perspective=parent").content.decode()
    assert "Nog geen scores vanuit dit perspectief." in parent
    # Nonsense falls back to the default view.
    assert 'data-value="2"' in alice_client.get(url + "?perspective=x").content.decode()


def test_overview_query_count_does_not_grow_with_members(family, alice, alice_client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import MemberFactory
    from tests.strengths.test_analyses import make_analysis

    three_moments(family, alice)
    make_analysis(family.members.first(), alice)
    url = reverse("strengths:overview", args=[family.pk])
    alice_client.get(url)
    counts = []
    for _ in range(2):
        with CaptureQueriesContext(connection) as queries:
            assert alice_client.get(url).status_code == 200
        counts.append(len(queries))
        for _ in range(4):
            make_analysis(MemberFactory(family=family), alice)
    assert counts[0] == counts[1]


def test_pages_are_in_the_access_log(family, alice, alice_client, charlie_client):
    from cases.models import AccessLog

    url = reverse("strengths:overview", args=[family.pk])
    alice_client.get(url)
    charlie_client.get(url)
    entries = AccessLog.objects.filter(family_id_ref=family.pk, object="analyse")
    assert set(entries.values_list("username", "outcome")) == {
        ("alice", "allowed"),
        ("charlie", "denied"),
    }
