from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse

from network import ecomap
from network.ecomap import _overlaps, layout, network_map_svg, short_label
from network.models import Circle, Direction, NetworkMember, Quality
from tests.network.factories import NetworkMemberFactory

pytestmark = pytest.mark.django_db

SVG = "{http://www.w3.org/2000/svg}"


def parse(svg: str) -> ET.Element:
    root = ET.fromstring(svg)  # raises on malformed XML
    assert root.tag == f"{SVG}svg"
    return root


def check_safe(svg: str, root: ET.Element) -> None:
    assert root.get("role") == "img"
    assert root.find(f"{SVG}title") is not None
    # A strict CSP is coming: presentation attributes only, no style attribute or block.
    assert "style=" not in svg and "<style" not in svg and "<script" not in svg
    assert not any(k.startswith("on") for el in root.iter() for k in el.attrib)


def test_map_with_no_members(family):
    svg = network_map_svg(family)
    root = parse(svg)
    check_safe(svg, root)
    assert "Huishouden" in svg
    assert "Nog geen netwerkleden" in root.find(f"{SVG}desc").text


def test_map_with_one_member_escapes_names(family):
    NetworkMemberFactory(
        family=family,
        name='Oma <b>"Ria"</b> & co',
        relation="oma",
        quality=Quality.BROKEN,
        direction=Direction.MUTUAL,
        safety_risk=True,
    )
    svg = network_map_svg(family)
    root = parse(svg)
    check_safe(svg, root)
    assert "<b>" not in svg
    desc = root.find(f"{SVG}desc").text
    assert 'Oma <b>"Ria"</b> & co' in desc and "veiligheidsrisico" in desc
    # Broken: a dash pattern and the cross; safety risk: a red stroke and the triangle.
    assert 'stroke-dasharray="12 5 2 5"' in svg
    assert 'stroke="#b02a37"' in svg and 'fill="#b02a37"' in svg
    assert "marker-start=" in svg and "marker-end=" in svg


def test_line_style_by_quality(family):
    for quality in Quality:
        NetworkMemberFactory(family=family, quality=quality)
    svg = network_map_svg(family)
    parse(svg)
    assert re.search(r'<line [^>]*stroke-width="3"(?! stroke-dasharray)', svg)  # strong: solid
    assert 'stroke-dasharray="9 6"' in svg  # fragile: dashed
    assert 'stroke-dasharray="2 5"' in svg  # stressful: dotted
    assert 'stroke-dasharray="12 5 2 5"' in svg and "<path d=" in svg  # broken: crossed out


def test_map_with_forty_members_every_member_in_the_text_alternative(family, alice_client):
    circles = list(Circle)
    qualities = [*Quality, ""]
    for i in range(40):
        NetworkMemberFactory(
            family=family,
            name=f"Persoon {i:02d} met een lange achternaam",
            circle=circles[i % len(circles)],
            closeness=1 + i % 3,
            quality=qualities[i % len(qualities)],
            safety_risk=i % 13 == 0,
        )
    svg = network_map_svg(family)
    root = parse(svg)
    check_safe(svg, root)
    desc = root.find(f"{SVG}desc").text
    for i in range(40):
        assert f"Persoon {i:02d} met een lange achternaam" in desc
    # Short labels on the map itself.
    assert short_label("Persoon 00 met een lange achternaam") == "Persoon 00…"
    node_texts = [t.text for g in root.iter(f"{SVG}g") for t in g.iter(f"{SVG}text")]
    assert "Persoon 00…" in node_texts
    assert len(node_texts) == 80 + 4  # a number and a label per member, "!" per risk
    assert all(len(text) <= 12 for text in node_texts)
    # The table beside the map lists every member too.
    response = alice_client.get(reverse("network:overview", args=[family.pk]))
    html = response.content.decode()
    table = html[html.index("network-map-table") :]
    for member in NetworkMember.objects.all():
        assert member.name in table
    # One map; the legend's swatches are small decorative SVGs (aria-hidden).
    assert html.count("<svg") - html.count('class="legend-swatch"') == 1
    assert html.count('aria-hidden="true" focusable="false" class="legend-swatch"') > 10


@pytest.mark.parametrize(
    "spec",
    [
        [("family", 1, "Abcdefghijk…")] * 40,
        [(c, 1 + i % 3, f"Naam {i}") for i, c in enumerate(list(Circle) * 7)][:40],
        [("professionals", 3, "X" * 12)] * 25 + [("household", 1, "Y" * 12)] * 15,
    ],
    ids=["one-sector", "spread", "two-crowded"],
)
def test_forty_members_do_not_overlap(spec):
    placed, sectors = layout(spec)
    assert len(placed) == len(spec)
    boxes = [p.box() for p in placed]
    for i, a in enumerate(boxes):
        for b in boxes[:i]:
            assert not _overlaps(a, b)
    # Each member stays inside its own circle's sector.
    import math

    for (circle, _c, _l), p in zip(spec, placed, strict=True):
        start, end = sectors[circle]
        angle = math.atan2(p.y, p.x)
        while angle < start:
            angle += 2 * math.pi
        assert start <= angle <= end + 1e-9


def test_rings_by_closeness(family):
    placed, _ = layout([("family", 1, "a"), ("family", 2, "b"), ("family", 3, "c")])
    radii = [round((p.x**2 + p.y**2) ** 0.5) for p in placed]
    assert radii[0] < radii[1] < radii[2]


@pytest.mark.parametrize("count", [1, 15, 45])
def test_printed_map_sets_every_name_at_7_pt_or_more(family, count):
    circles = list(Circle)
    for i in range(count):
        NetworkMemberFactory(
            family=family,
            name=f"Persoon {i:02d} Achternaam",
            circle=circles[i % len(circles)],
            closeness=1 + i % 3,
        )
    svg = network_map_svg(family, for_print=True)
    root = parse(svg)
    check_safe(svg, root)
    width_mm = float(root.get("width").removesuffix("mm"))
    height_mm = float(root.get("height").removesuffix("mm"))
    assert width_mm <= ecomap.PRINT_MAX_W_MM + 0.1 and height_mm <= ecomap.PRINT_MAX_H_MM + 0.1
    view_w = float(root.get("viewBox").split()[2])
    mm_per_unit = width_mm / view_w
    names = [t for t in root.iter(f"{SVG}text") if t.get("class") == "member-name"]
    assert len(names) == count
    for text in names:
        printed_pt = float(text.get("font-size")) * mm_per_unit / (25.4 / 72)
        assert printed_pt >= 7.0, (text.text, printed_pt)
        assert text.text.startswith("Persoon")
        if count <= ecomap.PRINT_WHOLE_NAMES_UP_TO:
            assert "…" not in text.text  # whole names
        else:
            assert len(text.text) <= ecomap.PRINT_SHORT_LABEL_CHARS
    # The household's names and the circles' names are as large.
    for text in root.iter(f"{SVG}text"):
        if text.get("class") == "member-name" or text.text in {str(n) for n in range(99)}:
            continue
        if text.text == "!":
            continue
        assert float(text.get("font-size")) * mm_per_unit / (25.4 / 72) >= 7.0, text.text
    # The screen map is unchanged: short labels, sized in pixels.
    screen = parse(network_map_svg(family))
    assert not screen.get("width").endswith("mm")


def test_legend_explains_every_circle_line_and_sign():
    groups = dict(ecomap.legend_groups())
    assert list(groups) == ["Kringen", "Lijnen: kwaliteit van het contact", "Tekens"]
    circle_labels = [item.label for item in groups["Kringen"]]
    for _value, label in Circle.choices:
        assert label in circle_labels
    lines = groups["Lijnen: kwaliteit van het contact"]
    for quality, label in Quality.choices:
        item = next(i for i in lines if i.label.startswith(f"{label}:"))
        colour, _width, dash = ecomap.LINE_STYLE[quality]
        assert f'stroke="{colour}"' in item.swatch  # the same stroke as on the map
        if dash:
            assert f'stroke-dasharray="{dash}"' in item.swatch
    signs = " ".join(i.label for i in groups["Tekens"])
    assert "Veiligheidsrisico" in signs and "geeft steun" in signs and "krijgt steun" in signs
    for items in groups.values():
        for item in items:
            assert 'aria-hidden="true"' in item.swatch  # the label carries the meaning
