"""Families already in aftercare get their check-ins as records, planned from their closing
(settings.PHASES["AFTERCARE_CHECKIN_MONTHS"]), as a family going into aftercare now does:
the reminder job reads the records only."""

import calendar

from django.conf import settings
from django.db import migrations


def _add_months(day, months):  # type: ignore[no-untyped-def]
    # As phases.reminders.add_months (a migration keeps its own copy).
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


def plan_checkins(apps, schema_editor):  # type: ignore[no-untyped-def]
    Family = apps.get_model("cases", "Family")
    Transition = apps.get_model("phases", "Transition")
    AftercareCheckin = apps.get_model("phases", "AftercareCheckin")
    months = settings.PHASES["AFTERCARE_CHECKIN_MONTHS"]
    rows = []
    families = Family.objects.filter(status="aftercare").exclude(
        pk__in=AftercareCheckin.objects.values("family_id")
    )
    for family_id in families.values_list("pk", flat=True).iterator():
        closed_on = (
            Transition.objects.filter(family_id=family_id, to_step="closed", status="applied")
            .order_by("-effective_on")
            .values_list("effective_on", flat=True)
            .first()
        )
        if closed_on is not None:
            rows += [
                AftercareCheckin(family_id=family_id, planned_on=_add_months(closed_on, m))
                for m in months
            ]
    AftercareCheckin.objects.bulk_create(rows, batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [
        ("phases", "0005_phase_extensions_closing_outcome_aftercare_checkins"),
    ]

    operations = [migrations.RunPython(plan_checkins, migrations.RunPython.noop)]
