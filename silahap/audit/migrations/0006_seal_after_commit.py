"""Events are sealed into the hash chain after commit instead of under one lock at insert.

Every event written so far was chained at insert, with its place in the chain as its sequence:
it keeps its hash and gets that place as its position. From here on the sequence is only the
number an event gets at insert (PostgreSQL: `audit_event_sequence`, started after the numbers in
use), and the append-only trigger lets exactly one UPDATE through: the seal, which fills
position, previous_hash and hash of an unsealed event and changes nothing else.
"""

import silahap.audit.models
from django.conf import settings
from django.db import migrations, models

SEALABLE_TRIGGER = """
CREATE OR REPLACE FUNCTION audit_refuse_change() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' AND current_setting('silahap.audit_prune', true) = 'on' THEN
        RETURN OLD;
    END IF;
    IF TG_OP = 'UPDATE' AND OLD.position IS NULL AND NEW.position IS NOT NULL
        AND (to_jsonb(NEW) - 'position' - 'previous_hash' - 'hash')
            = (to_jsonb(OLD) - 'position' - 'previous_hash' - 'hash') THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'audit events are append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""

PRUNE_ONLY_TRIGGER = """
CREATE OR REPLACE FUNCTION audit_refuse_change() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' AND current_setting('silahap.audit_prune', true) = 'on' THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'audit events are append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""


def seal_existing(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor == "postgresql":
        schema_editor.execute(SEALABLE_TRIGGER, params=None)
        schema_editor.execute(
            "CREATE SEQUENCE IF NOT EXISTS audit_event_sequence "
            "OWNED BY audit_auditevent.sequence",
            params=None,
        )
        schema_editor.execute(
            "SELECT setval('audit_event_sequence', COALESCE(MAX(sequence), 0) + 1, false) "
            "FROM audit_auditevent",
            params=None,
        )
    # Until now an event's sequence was its place in the chain.
    schema_editor.execute(
        "UPDATE audit_auditevent SET position = sequence WHERE position IS NULL", params=None
    )


def unseal_existing(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PRUNE_ONLY_TRIGGER, params=None)
        schema_editor.execute("DROP SEQUENCE IF EXISTS audit_event_sequence", params=None)


class Migration(migrations.Migration):

    dependencies = [
        ('audit', '0005_prune_through_checkpoint'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RenameField(
            model_name='auditchainhead',
            old_name='sequence',
            new_name='position',
        ),
        migrations.AddField(
            model_name='auditevent',
            name='position',
            field=models.PositiveBigIntegerField(blank=True, null=True, unique=True),
        ),
        migrations.AlterField(
            model_name='auditevent',
            name='hash',
            field=models.CharField(blank=True, max_length=64, null=True, unique=True),
        ),
        migrations.AlterField(
            model_name='auditevent',
            name='previous_hash',
            field=models.CharField(blank=True, max_length=64, null=True),
        ),
        migrations.AlterField(
            model_name='auditevent',
            name='sequence',
            field=silahap.audit.models.InsertNumberField(unique=True),
        ),
        migrations.RunPython(seal_existing, unseal_existing),
        migrations.AddIndex(
            model_name='auditevent',
            index=models.Index(condition=models.Q(('position__isnull', True)), fields=['sequence'], name='audit_unsealed'),
        ),
        migrations.AddConstraint(
            model_name='auditevent',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('hash__isnull', True), ('position__isnull', True), ('previous_hash__isnull', True)), models.Q(('hash__isnull', False), ('position__gte', 1), ('previous_hash__isnull', False)), _connector='OR'), name='audit_sealed_whole'),
        ),
    ]
