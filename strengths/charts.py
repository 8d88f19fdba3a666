"""Server-side SVG charts of the domain scores, shared by the family pages and the PDF plan.

The SVG uses presentation attributes only (no `style=` and no `<style>`), so it passes a
strict Content Security Policy, and every piece of text goes through `format_html`.
Series differ in colour *and* fill pattern, so they can be told apart without colour.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from cases.models import Family, LifeDomain
from strengths.models import (
    SEVERITY_CHOICES,
    SEVERITY_MAX,
    STRENGTH_CHOICES,
    Moment,
    ScoreSheet,
    preferred_sheet,
)

# Dark enough for at least 4.5:1 against white, so thin outlines stay visible too.
SERIES_COLOURS = ("#1f4e5f", "#a6480a", "#5e3c99", "#1b6e35", "#7a1f3d", "#3d3d3d")
# One pattern per series (cycled with the colours): solid, stripes, dots, cross-hatch, ...
SERIES_PATTERNS = ("solid", "diagonal", "dots", "crosshatch", "horizontal", "vertical")

WIDTH = 760
PLOT_LEFT = 48
PLOT_RIGHT = 12
PLOT_TOP = 56
PLOT_HEIGHT = 200
LABEL_SPACE = 96


@dataclass
class ProfileSeries:
    """One measurement moment as shown: the scores of its preferred perspective."""

    moment: Moment
    sheet: ScoreSheet
    severity: dict[str, int] = field(default_factory=dict)
    strength: dict[str, int] = field(default_factory=dict)

    @property
    def key(self) -> str:
        return f"{self.moment.kind}-{self.moment.date.isoformat()}-{self.moment.pk}"

    @property
    def label(self) -> str:
        return f"{self.moment.label} ({self.sheet.get_perspective_display().lower()})"


def domain_profile(family: Family, *, perspective: str | None = None) -> list[ProfileSeries]:
    """The scored moments of a family in date order, one series each. Two queries.

    Without `perspective`, each moment is shown from its preferred perspective (joint first).
    """
    sheets = ScoreSheet.objects.filter(moment__family=family).select_related("moment")
    if perspective:
        sheets = sheets.filter(perspective=perspective)
    by_moment: dict[int, list[ScoreSheet]] = {}
    for sheet in sheets.prefetch_related("scores").order_by("moment__date", "moment__pk"):
        by_moment.setdefault(sheet.moment_id, []).append(sheet)
    series = []
    for moment_sheets in by_moment.values():
        sheet = preferred_sheet(moment_sheets)
        if sheet is None:
            continue
        scores = list(sheet.scores.all())
        series.append(
            ProfileSeries(
                moment=sheet.moment,
                sheet=sheet,
                severity={s.domain: s.severity for s in scores},
                strength={s.domain: s.strength for s in scores},
            )
        )
    return series


def profile_rows(series: list[ProfileSeries]) -> list[dict[str, object]]:
    """The chart's data as table rows (its text alternative): one row per domain."""
    severity_labels = dict(SEVERITY_CHOICES)
    strength_labels = dict(STRENGTH_CHOICES)
    rows = []
    for code, label in LifeDomain.choices:
        cells = []
        for s in series:
            sev, strength = s.severity.get(code), s.strength.get(code)
            cells.append(
                {
                    "severity": sev,
                    "severity_label": severity_labels.get(sev, "") if sev else "",
                    "strength": strength,
                    "strength_label": strength_labels.get(strength, "")
                    if strength is not None
                    else "",
                }
            )
        rows.append({"code": code, "label": label, "cells": cells})
    return rows


def _pattern(pattern_id: str, kind: str, colour: str) -> SafeString:
    if kind == "solid":
        body = format_html('<rect width="8" height="8" fill="{}"/>', colour)
    else:
        paths = {
            "diagonal": "M-2 2L2 -2M0 8L8 0M6 10L10 6",
            "dots": "",
            "crosshatch": "M0 0L8 8M8 0L0 8",
            "horizontal": "M0 4H8",
            "vertical": "M4 0V8",
        }
        if kind == "dots":
            shape = format_html('<circle cx="4" cy="4" r="1.8" fill="{}"/>', colour)
        else:
            shape = format_html(
                '<path d="{}" stroke="{}" stroke-width="2" fill="none"/>', paths[kind], colour
            )
        body = format_html('<rect width="8" height="8" fill="#ffffff"/>{}', shape)
    return format_html(
        '<pattern id="{}" patternUnits="userSpaceOnUse" width="8" height="8">{}</pattern>',
        pattern_id,
        body,
    )


def _join(parts: list[SafeString]) -> SafeString:
    # Every part was built by format_html, so joining keeps it safe.
    return mark_safe("".join(parts))  # noqa: S308


def domain_profile_svg(family: Family, *, perspective: str | None = None) -> str:
    """The domain profile per measurement moment as a complete, safe `<svg>` string ("" if none).

    Grouped bars: per life domain one bar per moment, height = severity (1 acuut … 5 goed).
    """
    series = domain_profile(family, perspective=perspective)
    if not series:
        return ""
    domains = LifeDomain.choices
    height = PLOT_TOP + PLOT_HEIGHT + LABEL_SPACE
    plot_width = WIDTH - PLOT_LEFT - PLOT_RIGHT
    group_width = plot_width / len(domains)
    bar_width = min(22.0, (group_width - 12) / len(series))
    base_y = PLOT_TOP + PLOT_HEIGHT
    unit = PLOT_HEIGHT / SEVERITY_MAX
    uid = f"fk-profile-{family.pk}"

    defs = []
    for i in range(len(series)):
        colour = SERIES_COLOURS[i % len(SERIES_COLOURS)]
        pattern = SERIES_PATTERNS[i % len(SERIES_PATTERNS)]
        defs.append(_pattern(f"{uid}-p{i}", pattern, colour))

    grid = []
    for value in range(SEVERITY_MAX + 1):
        y = base_y - value * unit
        grid.append(
            format_html(
                '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-width="1"/>'
                '<text x="{}" y="{}" text-anchor="end" font-size="12" fill="#212529">{}</text>',
                PLOT_LEFT,
                f"{y:.1f}",
                WIDTH - PLOT_RIGHT,
                f"{y:.1f}",
                "#212529" if value == 0 else "#c8cdd2",
                PLOT_LEFT - 6,
                f"{y + 4:.1f}",
                value if value else "",
            )
        )
    axis_title = format_html(
        '<text x="12" y="{}" font-size="12" fill="#212529" transform="rotate(-90 12 {})" '
        'text-anchor="middle">{}</text>',
        f"{PLOT_TOP + PLOT_HEIGHT / 2:.1f}",
        f"{PLOT_TOP + PLOT_HEIGHT / 2:.1f}",
        _("Ernst: 1 acuut … 5 goed"),
    )

    labels = []
    for d, (_code, label) in enumerate(domains):
        x = PLOT_LEFT + group_width * (d + 0.5)
        y = base_y + 16
        labels.append(
            format_html(
                '<text x="{}" y="{}" font-size="12" fill="#212529" text-anchor="end" '
                'transform="rotate(-35 {} {})">{}</text>',
                f"{x:.1f}",
                y,
                f"{x:.1f}",
                y,
                label,
            )
        )

    groups = []
    for i, s in enumerate(series):
        colour = SERIES_COLOURS[i % len(SERIES_COLOURS)]
        bars = []
        for d, (code, label) in enumerate(domains):
            value = s.severity.get(code)
            if value is None:
                continue
            offset = (group_width - bar_width * len(series)) / 2
            x = PLOT_LEFT + group_width * d + offset + bar_width * i
            bars.append(
                format_html(
                    '<rect x="{}" y="{}" width="{}" height="{}" fill="url(#{})" stroke="{}" '
                    'stroke-width="1.5" data-domain="{}" data-value="{}"><title>{}</title></rect>',
                    f"{x:.1f}",
                    f"{base_y - value * unit:.1f}",
                    f"{bar_width - 2:.1f}",
                    f"{value * unit:.1f}",
                    f"{uid}-p{i}",
                    colour,
                    code,
                    value,
                    f"{s.label}, {label}: {value}",
                )
            )
        groups.append(
            format_html(
                '<g class="series" data-moment="{}" data-label="{}">{}</g>',
                s.key,
                s.label,
                _join(bars),
            )
        )

    legend = []
    # Labels are long ("Tussenevaluatie 5 september 2026 (gezamenlijk)"): two per row at most.
    columns = min(2, len(series))
    for i, s in enumerate(series):
        colour = SERIES_COLOURS[i % len(SERIES_COLOURS)]
        x = PLOT_LEFT + (i % columns) * (plot_width / columns)
        y = 10 + (i // columns) * 18
        legend.append(
            format_html(
                '<rect x="{}" y="{}" width="14" height="14" fill="url(#{})" stroke="{}" '
                'stroke-width="1.5"/><text x="{}" y="{}" font-size="12" fill="#212529">{}</text>',
                f"{x:.1f}",
                y,
                f"{uid}-p{i}",
                colour,
                f"{x + 20:.1f}",
                y + 11,
                s.label,
            )
        )
    legend_height = 10 + ((len(series) + columns - 1) // columns) * 18
    shift = max(0, legend_height + 16 - PLOT_TOP)

    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="svg-chart" role="img" '
        'aria-labelledby="{uid}-title {uid}-desc" viewBox="0 0 {w} {h}" width="{w}" '
        'height="{h}" font-family="system-ui, -apple-system, Roboto, sans-serif">'
        '<title id="{uid}-title">{title}</title><desc id="{uid}-desc">{desc}'
        '</desc><defs>{defs}</defs><g class="legend">{legend}</g>'
        '<g transform="translate(0 {shift})"><g class="grid">{grid}</g>{axis}'
        '<g class="domains">{labels}</g>{groups}</g></svg>',
        uid=uid,
        w=WIDTH,
        h=height + shift,
        title=_("Domeinprofiel van %(family)s per meetmoment") % {"family": family.display_name},
        desc=_(
            "Staafdiagram: per levensgebied de ernst (1 acuut tot 5 goed) op elk "
            "meetmoment. De tabel bij de grafiek geeft dezelfde cijfers."
        ),
        defs=_join(defs),
        legend=_join(legend),
        shift=shift,
        grid=_join(grid),
        axis=axis_title,
        labels=_join(labels),
        groups=_join(groups),
    )
