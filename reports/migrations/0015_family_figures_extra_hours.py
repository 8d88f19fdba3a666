from decimal import Decimal

from django.db import migrations, models


def fill(apps, schema_editor):
    """The open phase's relapse hours for the rows there are (the write paths and the
    nightly job keep them from now on)."""
    FamilyFigures = apps.get_model("reports", "FamilyFigures")
    ExtraHours = apps.get_model("phases", "ExtraHours")
    totals: dict[int, Decimal] = {}
    for family_id, hours in ExtraHours.objects.filter(
        episode__ended_on__isnull=True
    ).values_list("episode__family_id", "hours"):
        totals[family_id] = totals.get(family_id, Decimal(0)) + hours
    for family_id, total in totals.items():
        FamilyFigures.objects.filter(family_id=family_id).update(extra_hours=total)


class Migration(migrations.Migration):
    dependencies = [
        ("phases", "0009_reminder_kinds_legal_measures_referrals"),
        ("reports", "0014_team_report_snapshot"),
    ]

    operations = [
        migrations.AddField(
            model_name="familyfigures",
            name="extra_hours",
            field=models.DecimalField(decimal_places=1, default=0, max_digits=7),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
