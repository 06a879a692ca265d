"""The incident register moves here from the audit app: the state only, its table
(audit_incident), rows, constraints and keys stay as they are."""

import django.db.models.deletion
import uuid
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('accounts', '0005_merge_0004_agency_table_0004_updated_at_for_sync'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ('audit', '0006_seal_after_commit'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[migrations.CreateModel(
            name='Incident',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('client_id', models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                ('reference', models.CharField(max_length=60, verbose_name='reference number')),
                ('discovered_at', models.DateTimeField(verbose_name='discovered at')),
                ('description', models.TextField(verbose_name='what happened')),
                ('data_categories', models.JSONField(default=list, verbose_name='categories of data')),
                ('subjects_count', models.PositiveIntegerField(verbose_name='approximate number of data subjects')),
                ('measures', models.TextField(blank=True, verbose_name='measures taken')),
                ('status', models.CharField(choices=[('open', 'Open'), ('contained', 'Contained'), ('closed', 'Closed')], default='open', max_length=12, verbose_name='status')),
                ('authority_notified_at', models.DateTimeField(blank=True, null=True, verbose_name='authority notified at')),
                ('subjects_notified_at', models.DateTimeField(blank=True, null=True, verbose_name='data subjects notified at')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('office', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='incidents', to='accounts.orgunit', verbose_name='office')),
                ('reported_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'incident',
                'verbose_name_plural': 'incidents',
                'db_table': 'audit_incident',
                'ordering': ['-discovered_at', '-pk'],
                'constraints': [models.UniqueConstraint(fields=('office', 'reference'), name='incident_reference_unique_per_office'), models.CheckConstraint(condition=models.Q(('status__in', ['open', 'contained', 'closed'])), name='incident_status_valid'), models.CheckConstraint(condition=models.Q(('reference', ''), _negated=True), name='incident_has_reference')],
            },
        )]),
    ]
