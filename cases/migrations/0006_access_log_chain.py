import django.utils.timezone
from django.db import migrations, models

from cases import log_chain

# NEN 7513: the access log becomes tamper-evident (a hash chain, cases/log_chain.py) and
# cannot be emptied with TRUNCATE, not even by the tables' owner.

# The row trigger of 0003, now comparing the whole row but user_id (to_jsonb), so the one
# UPDATE let through (on_delete=SET_NULL when a user is deleted) cannot touch the hashes, nor
# any column added later.
APPEND_ONLY_SQL = """
CREATE OR REPLACE FUNCTION cases_accesslog_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND NEW.user_id IS NULL
       AND (to_jsonb(NEW) - 'user_id') = (to_jsonb(OLD) - 'user_id') THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION USING MESSAGE = 'cases_accesslog is append-only: ' || TG_OP || ' refused';
END;
$$ LANGUAGE plpgsql;
"""

# 0003's function, for going back.
APPEND_ONLY_0003_SQL = """
CREATE OR REPLACE FUNCTION cases_accesslog_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND NEW.user_id IS NULL
       AND ROW(NEW.id, NEW.at, NEW.username, NEW.role, NEW.family_id_ref, NEW.action,
               NEW.object, NEW.outcome, NEW.path)
           IS NOT DISTINCT FROM
           ROW(OLD.id, OLD.at, OLD.username, OLD.role, OLD.family_id_ref, OLD.action,
               OLD.object, OLD.outcome, OLD.path) THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION USING MESSAGE = 'cases_accesslog is append-only: ' || TG_OP || ' refused';
END;
$$ LANGUAGE plpgsql;
"""

# TRUNCATE fires no row trigger, so 0003 did not stop it. A statement trigger refuses it on
# both tables; checkpoints also refuse UPDATE and DELETE.
GUARD_SQL = """
CREATE OR REPLACE FUNCTION cases_append_only_refuse() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION USING MESSAGE = TG_TABLE_NAME || ' is append-only: ' || TG_OP || ' refused';
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS cases_accesslog_no_truncate ON cases_accesslog;
CREATE TRIGGER cases_accesslog_no_truncate
    BEFORE TRUNCATE ON cases_accesslog
    FOR EACH STATEMENT EXECUTE FUNCTION cases_append_only_refuse();
DROP TRIGGER IF EXISTS cases_accesslogcheckpoint_append_only ON cases_accesslogcheckpoint;
CREATE TRIGGER cases_accesslogcheckpoint_append_only
    BEFORE UPDATE OR DELETE ON cases_accesslogcheckpoint
    FOR EACH ROW EXECUTE FUNCTION cases_append_only_refuse();
DROP TRIGGER IF EXISTS cases_accesslogcheckpoint_no_truncate ON cases_accesslogcheckpoint;
CREATE TRIGGER cases_accesslogcheckpoint_no_truncate
    BEFORE TRUNCATE ON cases_accesslogcheckpoint
    FOR EACH STATEMENT EXECUTE FUNCTION cases_append_only_refuse();
"""

DROP_GUARD_SQL = """
DROP TRIGGER IF EXISTS cases_accesslogcheckpoint_no_truncate ON cases_accesslogcheckpoint;
DROP TRIGGER IF EXISTS cases_accesslogcheckpoint_append_only ON cases_accesslogcheckpoint;
DROP TRIGGER IF EXISTS cases_accesslog_no_truncate ON cases_accesslog;
DROP FUNCTION IF EXISTS cases_append_only_refuse();
"""

BATCH = 2000


def chain_existing_rows(apps, schema_editor):
    """Chain the rows written before this migration, in id order.

    The chain reaches back to the first row, but for these rows it only proves that they
    were not changed after this migration ran. Runs as the tables' owner, which alone may
    switch the append-only trigger off for these UPDATEs; the ALTER TABLE also locks out
    every writer until the migration commits.
    """
    AccessLog = apps.get_model("cases", "AccessLog")
    alias = schema_editor.connection.alias
    postgresql = schema_editor.connection.vendor == "postgresql"
    if postgresql:
        schema_editor.execute(
            "ALTER TABLE cases_accesslog DISABLE TRIGGER cases_accesslog_append_only"
        )
    key = log_chain.chain_key()
    prev_hash = log_chain.GENESIS_HASH
    last_id = 0
    while True:
        rows = list(
            AccessLog.objects.using(alias).filter(pk__gt=last_id).order_by("pk")[:BATCH]
        )
        if not rows:
            break
        for row in rows:
            values = {name: getattr(row, name) for name in log_chain.HASHED_FIELDS}
            row.prev_hash = prev_hash
            row.row_hash = log_chain.row_hash(prev_hash=prev_hash, values=values, key=key)
            prev_hash = row.row_hash
        AccessLog.objects.using(alias).bulk_update(rows, ["prev_hash", "row_hash"])
        last_id = rows[-1].pk
    if postgresql:
        schema_editor.execute(
            "ALTER TABLE cases_accesslog ENABLE TRIGGER cases_accesslog_append_only"
        )


def add_guards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(APPEND_ONLY_SQL)
        schema_editor.execute(GUARD_SQL)


def drop_guards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_GUARD_SQL)
        schema_editor.execute(APPEND_ONLY_0003_SQL)


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0005_revision_names'),
    ]

    operations = [
        migrations.AddField(
            model_name='accesslog',
            name='prev_hash',
            field=models.CharField(default='', editable=False, max_length=64, verbose_name='vorige hash'),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name='accesslog',
            name='row_hash',
            field=models.CharField(default='', editable=False, max_length=64, verbose_name='hash'),
            preserve_default=False,
        ),
        migrations.RunPython(chain_existing_rows, migrations.RunPython.noop),
        migrations.CreateModel(
            name='AccessLogCheckpoint',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('verified_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='gecontroleerd op')),
                ('last_id', models.BigIntegerField(verbose_name='laatste regel (id)')),
                ('last_hash', models.CharField(max_length=64, verbose_name='hash van de laatste regel')),
                ('mac', models.CharField(editable=False, max_length=64)),
            ],
            options={
                'verbose_name': 'controlepunt toegangslog',
                'verbose_name_plural': 'controlepunten toegangslog',
                'ordering': ['-pk'],
            },
        ),
        migrations.RunPython(add_guards, drop_guards),
    ]
