"""The incident register moved to the oversight app (its 0001): the state only, the table
audit_incident and its rows stay."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('audit', '0006_seal_after_commit'),
        ('oversight', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name='Incident')],
        ),
    ]
