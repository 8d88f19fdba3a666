
from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0006_case_number_unique_ci'),
        ('cases', '0006_stored_file'),
        ('cases', '0006_two_factor_enrolment'),
        ('cases', '0006_access_log_chain'),
    ]

    operations = [
    ]
