"""The network map (ecomap) as server-side SVG, shared by the network page and the PDF plan.

The household sits in the centre; each circle (family, friends, ...) gets a sector and each
closeness (1-3) a ring. Line style shows the quality of the relation, a red triangle a
safety risk. Members are numbered; the number and a short label are drawn, the full details
are in the text alternative (`<desc>` and the table beside the map, `map_table.html`).

Everything is built with `format_html`, so names are escaped and the result is well-formed
XML; only presentation attributes are used (no `style`), so a strict CSP can forbid inline
styles.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from cases.models import Family
from network.models import Circle, Direction, NetworkMember, Quality

HOUSEHOLD_R = 78
RING_RADII = {1: 170, 2: 290, 3: 410}  # closeness -> ring radius
RING_BAND = 120  # width of one closeness band
LABEL_CHARS = 12
SUBROW_STEP = 34  # radial distance between staggered rows inside a band
MIN_SECTOR_WEIGHT = 1.0


@dataclass(frozen=True)
class Metrics:
    """Sizes of what is drawn on the map, in SVG units.

    The page shows the map about 700 px wide; the PDF prints the same picture about
    17 cm wide, where one unit is about 0.14 mm, so print needs larger type: names at
    font-size 19 are about 7.5 pt on paper (tests/network/test_ecomap.py checks >= 7 pt).
    """

    node_r: float
    label_size: float
    char_w: float  # estimated width of one character of a label
    sector_size: float  # the circles' names around the map
    household_size: float
    sector_label_room: float  # room left and right for the circles' names
    label_chars: int = LABEL_CHARS  # longer names are cut off with "…"

    @property
    def label_h(self) -> float:
        return self.label_size * 1.2

    @property
    def household_r(self) -> float:
        # Room for "Huishouden" and up to four first names at the household's type size.
        return max(HOUSEHOLD_R, self.household_size * 4.4)

    def scaled(self, factor: float) -> Metrics:
        """The same map with all type `factor` times larger (the nodes stay)."""
        return Metrics(
            node_r=self.node_r,
            label_size=round(self.label_size * factor, 1),
            char_w=self.char_w * factor,
            sector_size=round(self.sector_size * factor, 1),
            household_size=round(self.household_size * factor, 1),
            sector_label_room=self.sector_label_room * factor,
            label_chars=self.label_chars,
        )


SCREEN = Metrics(
    node_r=13,
    label_size=11,
    char_w=6.3,
    sector_size=14,
    household_size=11,
    sector_label_room=150,
)
PRINT = Metrics(
    node_r=15,
    label_size=19,
    char_w=10.9,
    sector_size=20,
    household_size=19,
    sector_label_room=215,
    # On paper there is no hover title: whole names, as long as they reasonably fit.
    label_chars=22,
)

CIRCLE_ORDER = list(Circle)
CIRCLE_FILL = {
    Circle.HOUSEHOLD: "#fde2c8",
    Circle.FAMILY: "#d7e9f7",
    Circle.FRIENDS: "#dff0d8",
    Circle.NEIGHBOURHOOD: "#f3e1f5",
    Circle.SCHOOL_WORK_CLUB: "#fff3c4",
    Circle.PROFESSIONALS: "#e4e4e4",
}
# quality -> (stroke colour, stroke width, stroke-dasharray or "")
LINE_STYLE = {
    Quality.STRONG: ("#1f4e5f", 3, ""),
    Quality.FRAGILE: ("#1f4e5f", 2, "9 6"),
    Quality.STRESSFUL: ("#a33a00", 2, "2 5"),
    Quality.BROKEN: ("#6c757d", 1.5, "12 5 2 5"),
    "": ("#9aa5ad", 1, ""),
}
RISK_COLOUR = "#b02a37"

# The printed map (the PDF plan's landscape network page) fits this box; its names are set
# at least MIN_PRINT_PT on paper, the size tests/network/test_ecomap.py checks.
PRINT_MAX_W_MM = 190.0
PRINT_MAX_H_MM = 150.0
MIN_PRINT_PT = 7.0
PRINT_WHOLE_NAMES_UP_TO = 20
PRINT_SHORT_LABEL_CHARS = 14
MM_PER_PT = 25.4 / 72


def short_label(name: str, limit: int = LABEL_CHARS) -> str:
    name = " ".join(name.split())
    return name if len(name) <= limit else name[: limit - 1].rstrip() + "…"


@dataclass(frozen=True)
class Placed:
    x: float
    y: float
    label: str
    metrics: Metrics = SCREEN

    def box(self) -> tuple[float, float, float, float]:
        """The node with its label below it: (left, top, right, bottom)."""
        m = self.metrics
        half = max(m.node_r, len(self.label) * m.char_w / 2) + 2
        return (
            self.x - half,
            self.y - m.node_r - 2,
            self.x + half,
            self.y + m.node_r + 3 + m.label_h,
        )


def _overlaps(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _sectors(counts: dict[str, int]) -> dict[str, tuple[float, float]]:
    """Angle range per circle, clockwise from the top, sized by how many members it holds.

    An empty circle keeps a small sector so the map always shows every circle.
    """
    weights = {c: max(counts.get(c, 0), 0) + MIN_SECTOR_WEIGHT for c in CIRCLE_ORDER}
    total = sum(weights.values())
    start = -math.pi / 2
    result = {}
    for circle in CIRCLE_ORDER:
        span = 2 * math.pi * weights[circle] / total
        result[circle] = (start, start + span)
        start += span
    return result


def layout(
    members: Sequence[tuple[str, int, str]],
    metrics: Metrics = SCREEN,
) -> tuple[list[Placed], dict[str, tuple[float, float]]]:
    """Place members given as (circle, closeness, label); returns positions in input order.

    Members of one sector and ring are spread evenly over the sector; a candidate spot is
    only taken when the node and its label do not overlap anything placed before (or the
    household), trying staggered rows inside the ring's band and then further out.
    """
    counts: dict[str, int] = {}
    for circle, _closeness, _label in members:
        counts[circle] = counts.get(circle, 0) + 1
    sectors = _sectors(counts)
    hr = metrics.household_r
    household_box = (-hr, -hr, hr, hr)
    boxes: list[tuple[float, float, float, float]] = [household_box]
    placed: list[Placed | None] = [None] * len(members)

    # Within a sector every member gets an angle of its own, rings interleaved
    # (1, 2, 3, 1, 2, 3, ...), so radial lines do not run through other members' nodes.
    by_circle: dict[str, list[int]] = {}
    for index, (circle, _closeness, _label) in enumerate(members):
        by_circle.setdefault(circle, []).append(index)
    offsets = [0, -SUBROW_STEP, SUBROW_STEP, 2 * SUBROW_STEP, -2 * SUBROW_STEP]
    offsets += [SUBROW_STEP * k for k in range(3, 30)]
    for circle, indexes in by_circle.items():
        seen: dict[int, int] = {}
        ranked = []
        for index in sorted(indexes, key=lambda i: members[i][1]):
            closeness = members[index][1]
            ranked.append((seen.get(closeness, 0), closeness, index))
            seen[closeness] = seen.get(closeness, 0) + 1
        ranked.sort()
        start, end = sectors.get(circle, sectors[Circle.FAMILY])
        pad = min(0.06, (end - start) / 6)
        lo, hi = start + pad, end - pad
        n = len(ranked)
        for position, (_rank, closeness, index) in enumerate(ranked):
            target = lo + (hi - lo) * (position + 0.5) / n
            base = RING_RADII.get(closeness, RING_RADII[3])
            spot = _find_spot(target, lo, hi, base, offsets, members[index][2], boxes, metrics)
            boxes.append(spot.box())
            placed[index] = spot
    return [p for p in placed if p is not None], sectors


def _find_spot(
    target: float,
    lo: float,
    hi: float,
    base: float,
    offsets: Sequence[float],
    label: str,
    boxes: list[tuple[float, float, float, float]],
    metrics: Metrics = SCREEN,
) -> Placed:
    for offset in offsets:
        radius = base + offset
        if radius < metrics.household_r + 2 * metrics.node_r:
            continue
        # Candidate angles step about 8 px along the arc, nearest to the target first.
        step = 8 / radius
        steps = int((hi - lo) / step) + 1
        candidates = sorted((lo + i * step for i in range(steps)), key=lambda a: abs(a - target))
        for angle in candidates:
            spot = Placed(radius * math.cos(angle), radius * math.sin(angle), label, metrics)
            box = spot.box()
            if not any(_overlaps(box, other) for other in boxes):
                return spot
    # Unreachable for realistic networks; keep the member on the map all the same.
    radius = base + offsets[-1] + SUBROW_STEP
    return Placed(radius * math.cos(target), radius * math.sin(target), label, metrics)


def _household_lines(family: Family) -> list[str]:
    names = [m.name.split()[0] for m in family.members.all() if m.lives_in_household]
    if len(names) > 4:
        names = [*names[:3], _("+%(n)d anderen") % {"n": len(names) - 3}]
    return [short_label(n) for n in names]


def _fmt(value: float) -> str:
    return f"{value:.1f}"


def map_members(family: Family) -> list[NetworkMember]:
    """The family's network members in map order (the numbers on the map and in the table
    `network/map_table.html`), annotated with their last contact."""
    return list(
        NetworkMember.objects.filter(family=family)
        .select_related("chosen_by")  # a JIM's young person, in the same query
        .with_last_contact()
        .order_by("closeness", "circle", "name", "pk")
    )


def network_map_svg(
    family: Family,
    members: Sequence[NetworkMember] | None = None,
    *,
    for_print: bool = False,
) -> str:
    """The family's network map as a complete, safe `<svg>` string.

    `members` may be passed when the caller already loaded them (in the order of the
    table beside the map, whose numbers the map shows); otherwise they are loaded here.
    `for_print` draws the same picture with type large enough for paper (the PDF plan).
    """
    if members is None:
        members = map_members(family)
    m = PRINT if for_print else SCREEN
    if for_print and len(members) > PRINT_WHOLE_NAMES_UP_TO:
        # A large network: shorter names keep the map readable (the key lists them whole).
        m = replace(m, label_chars=PRINT_SHORT_LABEL_CHARS)
    spec = [(mb.circle, mb.closeness, short_label(mb.name, m.label_chars)) for mb in members]
    placed, sectors, outer, half_w, half_h = _frame(spec, m)
    mm_per_unit = 0.0
    if for_print:
        # Larger type makes a larger map, which is printed smaller: grow the type until the
        # names come out at MIN_PRINT_PT (a few rounds settle it).
        for _round in range(10):
            mm_per_unit = min(PRINT_MAX_W_MM / (2 * half_w), PRINT_MAX_H_MM / (2 * half_h))
            printed_pt = m.label_size * mm_per_unit / MM_PER_PT
            if printed_pt >= MIN_PRINT_PT:
                break
            m = m.scaled(MIN_PRINT_PT * 1.08 / printed_pt)
            placed, sectors, outer, half_w, half_h = _frame(spec, m)
        mm_per_unit = min(PRINT_MAX_W_MM / (2 * half_w), PRINT_MAX_H_MM / (2 * half_h))
    uid = f"fk-net-{family.pk}"

    parts: list[SafeString] = []
    # Rings and sector dividers.
    for radius in RING_RADII.values():
        parts.append(
            format_html(
                '<circle cx="0" cy="0" r="{}" fill="none" stroke="#ced4da" '
                'stroke-width="1" stroke-dasharray="4 4"/>',
                radius,
            )
        )
    circle_labels = dict(Circle.choices)
    for circle, (start, end) in sectors.items():
        parts.append(
            format_html(
                '<line x1="0" y1="0" x2="{}" y2="{}" stroke="#dee2e6" stroke-width="1"/>',
                _fmt(outer * math.cos(start)),
                _fmt(outer * math.sin(start)),
            )
        )
        middle = (start + end) / 2
        radius = outer + m.sector_size + 2
        anchor = "middle"
        if math.cos(middle) > 0.3:
            anchor = "start"
        elif math.cos(middle) < -0.3:
            anchor = "end"
        parts.append(
            format_html(
                '<text x="{}" y="{}" text-anchor="{}" font-size="{}" font-weight="bold" '
                'fill="#343a40">{}</text>',
                _fmt(radius * math.cos(middle)),
                _fmt(radius * math.sin(middle) + m.sector_size / 3),
                anchor,
                m.sector_size,
                circle_labels[circle],
            )
        )
    # Lines first, so nodes are drawn on top of them.
    for member, spot in zip(members, placed, strict=True):
        colour, width, dash = LINE_STYLE.get(member.quality, LINE_STYLE[""])
        start_r = m.household_r
        distance = math.hypot(spot.x, spot.y) or 1.0
        ux, uy = spot.x / distance, spot.y / distance
        x1, y1 = ux * start_r, uy * start_r
        x2, y2 = spot.x - ux * (m.node_r + 2), spot.y - uy * (m.node_r + 2)
        markers = ""
        if member.direction in (Direction.GIVES, Direction.MUTUAL):
            markers += f' marker-start="url(#{uid}-arrow-in)"'
        if member.direction in (Direction.RECEIVES, Direction.MUTUAL):
            markers += f' marker-end="url(#{uid}-arrow-out)"'
        parts.append(
            format_html(
                '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-width="{}"{}{}/>',
                _fmt(x1),
                _fmt(y1),
                _fmt(x2),
                _fmt(y2),
                colour,
                width,
                format_html(' stroke-dasharray="{}"', dash) if dash else "",
                mark_safe(markers),  # noqa: S308 - built from the integer family id only
            )
        )
        if member.quality == Quality.BROKEN:
            # Crossed out: an X across the middle of the line.
            mx, my = (x1 + x2) / 2, (y1 + y2) / 2
            parts.append(
                format_html(
                    '<path d="M{} {} L{} {} M{} {} L{} {}" stroke="{}" stroke-width="2.5"/>',
                    _fmt(mx - 7),
                    _fmt(my - 7),
                    _fmt(mx + 7),
                    _fmt(my + 7),
                    _fmt(mx - 7),
                    _fmt(my + 7),
                    _fmt(mx + 7),
                    _fmt(my - 7),
                    RISK_COLOUR if member.safety_risk else "#495057",
                )
            )
    # Household in the centre.
    parts.append(
        format_html(
            '<circle cx="0" cy="0" r="{}" fill="#fde2c8" stroke="#1f4e5f" stroke-width="2"/>',
            _fmt(m.household_r),
        )
    )
    lines = [_("Huishouden"), *_household_lines(family)]
    step = m.household_size * 1.25
    top = -((len(lines) - 1) * step) / 2 + m.household_size / 3
    for i, text in enumerate(lines):
        parts.append(
            format_html(
                '<text x="0" y="{}" text-anchor="middle" font-size="{}"{}>{}</text>',
                _fmt(top + i * step),
                m.household_size + 2 if i == 0 else m.household_size,
                mark_safe(' font-weight="bold"') if i == 0 else "",
                text,
            )
        )
    # Nodes: a numbered disc, a short label, a red triangle for a safety risk.
    for number, (member, spot) in enumerate(zip(members, placed, strict=True), start=1):
        fill = CIRCLE_FILL.get(member.circle, "#ffffff")
        stroke = RISK_COLOUR if member.safety_risk else "#1f4e5f"
        parts.append(
            format_html(
                '<g><title>{}</title><circle cx="{}" cy="{}" r="{}" fill="{}" stroke="{}" '
                'stroke-width="{}"/><text x="{}" y="{}" text-anchor="middle" font-size="{}" '
                'font-weight="bold" fill="#212529">{}</text><text x="{}" y="{}" '
                'text-anchor="middle" font-size="{}" fill="#212529"{} class="member-name">{}'
                "</text>{}</g>",
                f"{number}. {member.name} ({member.relation})",
                _fmt(spot.x),
                _fmt(spot.y),
                m.node_r,
                fill,
                stroke,
                3 if member.safety_risk else 1.5,
                _fmt(spot.x),
                _fmt(spot.y + 4),
                min(m.label_size, 15),
                number,
                _fmt(spot.x),
                _fmt(spot.y + m.node_r + m.label_h),
                m.label_size,
                # A white halo keeps a name readable over lines; WeasyPrint draws no
                # paint-order, so on paper (a white ground) the name goes without one.
                ""
                if for_print
                else mark_safe(' stroke="#ffffff" stroke-width="3" paint-order="stroke"'),
                spot.label,
                _risk_marker(spot, m) if member.safety_risk else "",
            )
        )

    desc_items = [_member_sentence(i, m) for i, m in enumerate(members, start=1)]
    desc = " ".join([_("Huishouden in het midden."), *desc_items]) if desc_items else ""
    title = _("Netwerkkaart van %(family)s") % {"family": family.display_name}
    if not members:
        desc = _("Nog geen netwerkleden vastgelegd.")
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="{} {} {} {}" width="{}" '
        'height="{}" role="img" aria-labelledby="{}-title {}-desc" class="svg-chart '
        'network-map" font-family="{}"><title id="{}-title">{}</title>'
        '<desc id="{}-desc">{}</desc><defs>{}</defs><rect x="{}" y="{}" width="{}" '
        'height="{}" fill="#ffffff"/>{}</svg>',
        _fmt(-half_w),
        _fmt(-half_h),
        _fmt(2 * half_w),
        _fmt(2 * half_h),
        # On paper in millimetres, so the printed size (and the names' size) is known.
        f"{_fmt(2 * half_w * mm_per_unit)}mm" if for_print else _fmt(2 * half_w),
        f"{_fmt(2 * half_h * mm_per_unit)}mm" if for_print else _fmt(2 * half_h),
        uid,
        uid,
        # The PDF's stylesheet declares "FK Sans" (the vendored, embedded font).
        "FK Sans, sans-serif" if for_print else "system-ui, sans-serif",
        uid,
        title,
        uid,
        desc,
        _arrow_defs(uid),
        _fmt(-half_w),
        _fmt(-half_h),
        _fmt(2 * half_w),
        _fmt(2 * half_h),
        format_html_join("", "{}", ((p,) for p in parts)),
    )


def _frame(
    spec: Sequence[tuple[str, int, str]], m: Metrics
) -> tuple[list[Placed], dict[str, tuple[float, float]], float, float, float]:
    """The layout and the map's extent: (placed, sectors, outer radius, half width, half
    height), with room for the circles' names: wide ones left and right, a line above and
    below."""
    placed, sectors = layout(spec, m)
    outer = max(
        [RING_RADII[3] + RING_BAND / 2]
        + [math.hypot(p.x, p.y) + m.node_r + m.label_h + 6 for p in placed]
    )
    half_w = outer + m.sector_size + 2 + m.sector_label_room
    half_h = outer + m.sector_size * 3
    return placed, sectors, outer, half_w, half_h


def _risk_marker(spot: Placed, m: Metrics = SCREEN) -> SafeString:
    x, y = spot.x + m.node_r - 2, spot.y - m.node_r - 4
    return format_html(
        '<path d="M{} {} L{} {} L{} {} Z" fill="{}" stroke="#ffffff" stroke-width="1"/>'
        '<text x="{}" y="{}" text-anchor="middle" font-size="10" font-weight="bold" '
        'fill="#ffffff">!</text>',
        _fmt(x),
        _fmt(y - 8),
        _fmt(x + 8),
        _fmt(y + 6),
        _fmt(x - 8),
        _fmt(y + 6),
        RISK_COLOUR,
        _fmt(x),
        _fmt(y + 4.5),
    )


def _arrow_defs(uid: str) -> SafeString:
    return format_html(
        '<marker id="{}-arrow-out" viewBox="0 0 10 10" refX="9" refY="5" '
        'markerUnits="userSpaceOnUse" markerWidth="10" markerHeight="10" orient="auto">'
        '<path d="M0 0 L10 5 L0 10 Z" fill="#1f4e5f"/></marker>'
        '<marker id="{}-arrow-in" viewBox="0 0 10 10" refX="1" refY="5" '
        'markerUnits="userSpaceOnUse" markerWidth="10" markerHeight="10" orient="auto">'
        '<path d="M10 0 L0 5 L10 10 Z" fill="#1f4e5f"/></marker>',
        uid,
        uid,
    )


def _member_sentence(number: int, member: NetworkMember) -> str:
    parts = [
        f"{number}. {member.name}",
        member.relation,
        str(member.get_circle_display()),
        _("nabijheid %(n)d") % {"n": member.closeness},
    ]
    if member.quality:
        parts.append(str(member.get_quality_display()).lower())
    if member.safety_risk:
        parts.append(_("veiligheidsrisico"))
    return ", ".join(parts) + "."


# --- The legend: what circles, lines and signs on the map mean (page and PDF) ---


@dataclass(frozen=True)
class LegendItem:
    swatch: SafeString  # a small decorative SVG (aria-hidden): the label carries the meaning
    label: str


def _swatch(body: SafeString, width: int = 40) -> SafeString:
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {} 20" width="{}" height="20" '
        'aria-hidden="true" focusable="false" class="legend-swatch">{}</svg>',
        width,
        width,
        body,
    )


def _line_swatch(quality: str) -> SafeString:
    colour, width, dash = LINE_STYLE[quality]
    body = format_html(
        '<line x1="2" y1="10" x2="38" y2="10" stroke="{}" stroke-width="{}"{}/>',
        colour,
        width,
        format_html(' stroke-dasharray="{}"', dash) if dash else "",
    )
    if quality == Quality.BROKEN:
        body = format_html(
            '{}<path d="M14 4 L26 16 M14 16 L26 4" stroke="#495057" stroke-width="2.5"/>', body
        )
    return _swatch(body)


def legend_groups() -> list[tuple[str, list[LegendItem]]]:
    """The legend in groups (circles, lines, signs), drawn from the same colours and
    strokes as the map, so the two cannot disagree (`network/map_legend.html`)."""
    circles = [
        LegendItem(
            _swatch(
                format_html(
                    '<circle cx="20" cy="10" r="8" fill="{}" stroke="#1f4e5f" stroke-width="1.5"/>',
                    CIRCLE_FILL[circle],
                )
            ),
            str(label),
        )
        for circle, label in Circle.choices
    ]
    circles.append(
        LegendItem(
            _swatch(
                mark_safe(
                    '<circle cx="20" cy="10" r="8" fill="none" stroke="#adb5bd" stroke-width="1" '
                    'stroke-dasharray="3 3"/>'
                )
            ),
            _("Ringen: nabijheid 1 (binnen) tot 3 (buiten)"),
        )
    )
    line_words = {
        Quality.STRONG: _("doorgetrokken lijn"),
        Quality.FRAGILE: _("gestreepte lijn"),
        Quality.STRESSFUL: _("gestippelde oranje lijn"),
        Quality.BROKEN: _("doorgekruiste lijn"),
    }
    lines = [
        LegendItem(_line_swatch(q), f"{label}: {line_words[q]}") for q, label in Quality.choices
    ]
    lines.append(LegendItem(_line_swatch(""), _("Kwaliteit nog niet vastgelegd")))
    arrow = "#1f4e5f"
    signs = [
        LegendItem(
            _swatch(
                format_html(
                    '<path d="M20 2 L28 16 L12 16 Z" fill="{}" stroke="#ffffff"/>'
                    '<text x="20" y="15" text-anchor="middle" font-size="9" '
                    'font-weight="bold" fill="#ffffff">!</text>',
                    RISK_COLOUR,
                )
            ),
            _("Veiligheidsrisico (rode rand en driehoek)"),
        ),
        LegendItem(
            _swatch(
                format_html(
                    '<line x1="10" y1="10" x2="38" y2="10" stroke="{}" stroke-width="2"/>'
                    '<path d="M12 4 L2 10 L12 16 Z" fill="{}"/>',
                    arrow,
                    arrow,
                )
            ),
            _("Pijl naar het huishouden: geeft steun"),
        ),
        LegendItem(
            _swatch(
                format_html(
                    '<line x1="2" y1="10" x2="30" y2="10" stroke="{}" stroke-width="2"/>'
                    '<path d="M28 4 L38 10 L28 16 Z" fill="{}"/>',
                    arrow,
                    arrow,
                )
            ),
            _("Pijl naar de persoon: krijgt steun"),
        ),
    ]
    return [
        (_("Kringen"), circles),
        (_("Lijnen: kwaliteit van het contact"), lines),
        (_("Tekens"), signs),
    ]
