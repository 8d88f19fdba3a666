from django.db import migrations


def link(apps, schema_editor):
    from cases.records.partner_links import link_free_text_to_partners

    link_free_text_to_partners(
        partner_model=apps.get_model("cases", "Partner"),
        consent_model=apps.get_model("cases", "Consent"),
        measure_model=apps.get_model("cases", "LegalMeasure"),
    )


class Migration(migrations.Migration):
    dependencies = [("cases", "0022_consent_and_measure_partner")]

    operations = [migrations.RunPython(link, migrations.RunPython.noop)]
