"""Every existing team starts with the default working elements (new teams get them from
cases.elements.services.team_created)."""

from django.conf import settings
from django.db import migrations


def create_defaults(apps, schema_editor):
    Team = apps.get_model("cases", "Team")
    WorkingElement = apps.get_model("cases", "WorkingElement")
    for team in Team.objects.all():
        if WorkingElement.objects.filter(team=team).exists():
            continue
        WorkingElement.objects.bulk_create(
            WorkingElement(team=team, label=label, order=(n + 1) * 10)
            for n, label in enumerate(settings.WORKING_ELEMENT_DEFAULTS)
        )


class Migration(migrations.Migration):
    dependencies = [("cases", "0022_working_elements")]

    operations = [migrations.RunPython(create_defaults, migrations.RunPython.noop)]
