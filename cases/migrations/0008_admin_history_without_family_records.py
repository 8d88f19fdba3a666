"""The admin's change history of family records goes: those rows keep names of families and
members, and the admin holds configuration only from now on (cases.admin)."""

from django.db import migrations

FAMILY_APPS = ("cases", "phases", "network", "strengths", "reports")


def _is_family_record(model, family) -> bool:
    seen, todo = set(), [model]
    while todo:
        current = todo.pop()
        if current is family:
            return True
        if current in seen:
            continue
        seen.add(current)
        for field in current._meta.get_fields():
            if field.is_relation and field.concrete and field.related_model is not None:
                todo.append(field.related_model)
    return False


def forwards(apps, schema_editor):
    LogEntry = apps.get_model("admin", "LogEntry")
    ContentType = apps.get_model("contenttypes", "ContentType")
    family = apps.get_model("cases", "Family")
    for label in FAMILY_APPS:
        for model in apps.get_app_config(label).get_models():
            if not _is_family_record(model, family):
                continue
            content_type = ContentType.objects.filter(
                app_label=label, model=model._meta.model_name
            ).first()
            if content_type is not None:
                LogEntry.objects.filter(content_type=content_type).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0007_merge_security"),
        ("admin", "0003_logentry_add_action_flag_choices"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("phases", "0002_reminder_case_review_due"),
        ("network", "0004_agreement_goal"),
        ("strengths", "0001_scores_analyses_timeline"),
        ("reports", "0005_questionnaire_member_cascade"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
