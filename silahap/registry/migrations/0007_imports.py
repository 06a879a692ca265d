# Filled in by the work on import jobs for persons and lodging reports.
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("registry", "0006_duplicates")]

    operations = []
