from django.db import migrations, models


class Migration(migrations.Migration):
    """The domain trend in the family figures. The rows there are keep `trend_kept` off, so
    the caseload computes their trend live until the next write of the family or the nightly
    job (`manage.py refresh_family_figures` does it at once) writes it."""

    dependencies = [
        ("reports", "0015_family_figures_extra_hours"),
    ]

    operations = [
        migrations.AddField(
            model_name="familyfigures",
            name="trend",
            field=models.FloatField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="familyfigures",
            name="trend_kept",
            field=models.BooleanField(default=False),
        ),
    ]
