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
from dataclasses import dataclass

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from cases.models import Family
from network.models import Circle, Direction, NetworkMember, Quality

HOUSEHOLD_R = 78
RING_RADII = {1: 170, 2: 290, 3: 410}  # closeness -> ring radius
RING_BAND = 120  # width of one closeness band
NODE_R = 13
LABEL_CHARS = 12
CHAR_W = 6.3  # estimated width of a character at font-size 11
LABEL_H = 13
SUBROW_STEP = 34  # radial distance between staggered rows inside a band
MIN_SECTOR_WEIGHT = 1.0

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


def short_label(name: str) -> str:
    name = " ".join(name.split())
    return name if len(name) <= LABEL_CHARS else name[: LABEL_CHARS - 1].rstrip() + "…"


@dataclass(frozen=True)
class Placed:
    x: float
    y: float
    label: str

    def box(self) -> tuple[float, float, float, float]:
        """The node with its label below it: (left, top, right, bottom)."""
        half = max(NODE_R, len(self.label) * CHAR_W / 2) + 2
        return (self.x - half, self.y - NODE_R - 2, self.x + half, self.y + NODE_R + 3 + LABEL_H)


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
    household_box = (-HOUSEHOLD_R, -HOUSEHOLD_R, HOUSEHOLD_R, HOUSEHOLD_R)
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
            spot = _find_spot(target, lo, hi, base, offsets, members[index][2], boxes)
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
) -> Placed:
    for offset in offsets:
        radius = base + offset
        if radius < HOUSEHOLD_R + 2 * NODE_R:
            continue
        # Candidate angles step about 8 px along the arc, nearest to the target first.
        step = 8 / radius
        steps = int((hi - lo) / step) + 1
        candidates = sorted((lo + i * step for i in range(steps)), key=lambda a: abs(a - target))
        for angle in candidates:
            spot = Placed(radius * math.cos(angle), radius * math.sin(angle), label)
            box = spot.box()
            if not any(_overlaps(box, other) for other in boxes):
                return spot
    # Unreachable for realistic networks; keep the member on the map all the same.
    radius = base + offsets[-1] + SUBROW_STEP
    return Placed(radius * math.cos(target), radius * math.sin(target), label)


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
        .with_last_contact()
        .order_by("closeness", "circle", "name", "pk")
    )


def network_map_svg(family: Family, members: Sequence[NetworkMember] | None = None) -> str:
    """The family's network map as a complete, safe `<svg>` string.

    `members` may be passed when the caller already loaded them (in the order of the
    table beside the map, whose numbers the map shows); otherwise they are loaded here.
    """
    if members is None:
        members = map_members(family)
    spec = [(m.circle, m.closeness, short_label(m.name)) for m in members]
    placed, sectors = layout(spec)
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
    outer = max(
        [RING_RADII[3] + RING_BAND / 2]
        + [math.hypot(p.x, p.y) + NODE_R + LABEL_H + 6 for p in placed]
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
        radius = outer + 16
        anchor = "middle"
        if math.cos(middle) > 0.3:
            anchor = "start"
        elif math.cos(middle) < -0.3:
            anchor = "end"
        parts.append(
            format_html(
                '<text x="{}" y="{}" text-anchor="{}" font-size="14" font-weight="bold" '
                'fill="#343a40">{}</text>',
                _fmt(radius * math.cos(middle)),
                _fmt(radius * math.sin(middle) + 5),
                anchor,
                circle_labels[circle],
            )
        )
    # Lines first, so nodes are drawn on top of them.
    for member, spot in zip(members, placed, strict=True):
        colour, width, dash = LINE_STYLE.get(member.quality, LINE_STYLE[""])
        start_r = HOUSEHOLD_R
        distance = math.hypot(spot.x, spot.y) or 1.0
        ux, uy = spot.x / distance, spot.y / distance
        x1, y1 = ux * start_r, uy * start_r
        x2, y2 = spot.x - ux * (NODE_R + 2), spot.y - uy * (NODE_R + 2)
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
            HOUSEHOLD_R,
        )
    )
    lines = [_("Huishouden"), *_household_lines(family)]
    top = -((len(lines) - 1) * 14) / 2 + 4
    for i, text in enumerate(lines):
        parts.append(
            format_html(
                '<text x="0" y="{}" text-anchor="middle" font-size="{}"{}>{}</text>',
                _fmt(top + i * 14),
                13 if i == 0 else 11,
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
                'stroke-width="{}"/><text x="{}" y="{}" text-anchor="middle" font-size="11" '
                'font-weight="bold" fill="#212529">{}</text><text x="{}" y="{}" '
                'text-anchor="middle" font-size="11" fill="#212529" stroke="#ffffff" '
                'stroke-width="3" paint-order="stroke">{}</text>{}</g>',
                f"{number}. {member.name} ({member.relation})",
                _fmt(spot.x),
                _fmt(spot.y),
                NODE_R,
                fill,
                stroke,
                3 if member.safety_risk else 1.5,
                _fmt(spot.x),
                _fmt(spot.y + 4),
                number,
                _fmt(spot.x),
                _fmt(spot.y + NODE_R + LABEL_H),
                spot.label,
                _risk_marker(spot) if member.safety_risk else "",
            )
        )

    # Room for the sector labels: wide ones left and right, one line above and below.
    half_w, half_h = outer + 16 + 150, outer + 40
    desc_items = [_member_sentence(i, m) for i, m in enumerate(members, start=1)]
    desc = " ".join([_("Huishouden in het midden."), *desc_items]) if desc_items else ""
    title = _("Netwerkkaart van %(family)s") % {"family": family.display_name}
    if not members:
        desc = _("Nog geen netwerkleden vastgelegd.")
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="{} {} {} {}" width="{}" '
        'height="{}" role="img" aria-labelledby="{}-title {}-desc" class="svg-chart '
        'network-map" font-family="system-ui, sans-serif"><title id="{}-title">{}</title>'
        '<desc id="{}-desc">{}</desc><defs>{}</defs><rect x="{}" y="{}" width="{}" '
        'height="{}" fill="#ffffff"/>{}</svg>',
        _fmt(-half_w),
        _fmt(-half_h),
        _fmt(2 * half_w),
        _fmt(2 * half_h),
        _fmt(2 * half_w),
        _fmt(2 * half_h),
        uid,
        uid,
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


def _risk_marker(spot: Placed) -> SafeString:
    x, y = spot.x + NODE_R - 2, spot.y - NODE_R - 4
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
