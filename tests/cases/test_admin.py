"""The Django admin holds configuration only (cases/admin.py).

Family records stay out of it: the admin's pages bypass the access gate and its log, its
delete bypasses the destruction procedure, and its change history keeps object names.
"""

from __future__ import annotations

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Permission
from django.db import models
from django.urls import NoReverseMatch, reverse

from cases.admin import is_family_record
from cases.models import AccessLog, Family, Team
from phases.models import PhaseDefinition, Reminder
from tests.factories import FamilyFactory, TeamFactory, UserFactory


def _reaches_family(model: type[models.Model], seen: frozenset[type[models.Model]]) -> bool:
    # Written out here rather than imported, so the test does not trust the code it checks.
    if model is Family:
        return True
    if model in seen:
        return False
    # A many-to-many field's rows are their own (through) model; the field does not count.
    return any(
        _reaches_family(field.related_model, seen | {model})
        for field in model._meta.get_fields()
        if field.is_relation
        and field.concrete
        and not field.many_to_many
        and field.related_model is not None
    )


def _all_models() -> list[type[models.Model]]:
    # include_auto_created: the rows of a many-to-many table such as Family.involved.
    return list(apps.get_models(include_auto_created=True))


def test_no_model_in_the_admin_has_a_path_to_family():
    registered = [model for model in admin.site._registry if _reaches_family(model, frozenset())]
    assert registered == [], f"family records in the admin: {registered}"


def test_the_introspection_knows_the_family_records():
    records = {m._meta.label for m in _all_models() if _reaches_family(m, frozenset())}
    # A few from every app, so a broken walk that finds nothing cannot pass the test above.
    assert {
        "cases.Family",
        "cases.Member",
        "cases.Contact",
        "cases.PlanGoal",
        "cases.StoredFile",
        "cases.Family_involved",
        "phases.Reminder",
        # A Krachtgezin is the team's pool; its matching with a family is the record.
        "network.KrachtgezinMatch",
        "network.RespiteStay",
        "strengths.DomainScore",
        "reports.PlanPdf",
        # The ticks on a contact and the families a supervision session discussed.
        "cases.WorkingElement_contacts",
        "reports.SupervisionDiscussion",
        "cases.Contact_members_present",
    } <= records
    assert not records & {
        "cases.Team",
        "cases.Membership",
        "auth.User",
        "cases.AccessLog",
        # A team's list of working elements and a coach's supervision session.
        "cases.WorkingElement",
        "reports.SupervisionSession",
    }
    for model in _all_models():
        assert is_family_record(model) == _reaches_family(model, frozenset()), model


@pytest.mark.parametrize("name", ["family", "member", "contact", "consent", "clientstatement"])
def test_family_pages_are_not_in_the_admin(admin_client, family, name):
    with pytest.raises(NoReverseMatch):
        reverse(f"admin:cases_{name}_changelist")
    assert admin_client.get(f"/admin/cases/{name}/").status_code == 404
    assert admin_client.get(f"/admin/cases/{name}/{family.pk}/change/").status_code == 404


def test_admin_index_renders_for_a_superuser_without_family_data(admin_client, family):
    response = admin_client.get(reverse("admin:index"))
    assert response.status_code == 200
    content = response.content.decode()
    assert reverse("admin:cases_team_changelist") in content
    assert reverse("admin:cases_accesslog_changelist") in content
    assert reverse("admin:phases_phasedefinition_changelist") in content
    assert family.display_name not in content


def _staff_with_every_permission():  # type: ignore[no-untyped-def]
    user = UserFactory(username="beheer-staf", is_staff=True)
    user.user_permissions.set(Permission.objects.all())
    return user


def test_access_log_admin_is_for_superusers_only(client, alice_client, family):
    alice_client.get(reverse("cases:family_detail", args=[family.pk]))
    entry = AccessLog.objects.filter(family_id_ref=family.pk).get()
    client.force_login(_staff_with_every_permission())
    changelist = reverse("admin:cases_accesslog_changelist")
    assert client.get(changelist).status_code == 403
    assert client.get(reverse("admin:cases_accesslog_change", args=[entry.pk])).status_code == 403
    assert changelist not in client.get(reverse("admin:index")).content.decode()
    # The staff user still manages configuration.
    assert client.get(reverse("admin:cases_team_changelist")).status_code == 200


def test_access_log_admin_is_read_only_for_a_superuser(admin_client, alice_client, family):
    alice_client.get(reverse("cases:family_detail", args=[family.pk]))
    entry = AccessLog.objects.filter(family_id_ref=family.pk).get()
    assert admin_client.get(reverse("admin:cases_accesslog_changelist")).status_code == 200
    view = admin_client.get(reverse("admin:cases_accesslog_change", args=[entry.pk]))
    assert view.status_code == 200
    assert b'name="_save"' not in view.content
    assert admin_client.get(reverse("admin:cases_accesslog_add")).status_code == 403
    before = AccessLog.objects.count()
    response = admin_client.post(
        reverse("admin:cases_accesslog_changelist"),
        {"action": "delete_selected", "_selected_action": [entry.pk], "post": "yes"},
    )
    assert response.status_code in (200, 302)
    assert AccessLog.objects.count() == before


def test_deleting_the_coach_in_the_admin_keeps_user_and_family(admin_client, alice, family):
    url = reverse("admin:auth_user_delete", args=[alice.pk])
    page = admin_client.get(url)
    assert page.status_code == 200
    content = page.content.decode()
    assert "vernietigingsprocedure" in content
    # The confirmation page lists no family records (that would be a read without a log row).
    assert family.display_name not in content
    assert "Naomi Jansen" not in content
    admin_client.post(url, {"post": "yes"})
    family.refresh_from_db()
    assert family.coach == alice
    assert Family.objects.filter(pk=family.pk).exists()


def test_the_delete_action_refuses_users_in_a_family_file(admin_client, alice, family):
    colleague = UserFactory(username="collega")
    family.involved.add(colleague)
    selected = [alice.pk, colleague.pk]
    response = admin_client.post(
        reverse("admin:auth_user_changelist"),
        {"action": "delete_selected", "_selected_action": selected, "post": "yes"},
    )
    assert response.status_code == 200
    assert family.display_name not in response.content.decode()
    assert set(family.involved.all()) == {colleague}
    assert alice.__class__.objects.filter(pk__in=selected).count() == 2


def test_a_user_with_only_a_reminder_is_not_deleted(admin_client, family):
    # Reminder.recipient cascades: the delete would remove rows of the family's file.
    recipient = UserFactory(username="ontvanger")
    Reminder.objects.create(
        recipient=recipient,
        family=family,
        kind="phase_overdue",
        subject="family:1",
        due_on="2026-01-05",
    )
    admin_client.post(reverse("admin:auth_user_delete", args=[recipient.pk]), {"post": "yes"})
    assert Reminder.objects.filter(recipient=recipient, family=family).exists()


def test_a_user_outside_every_family_file_can_still_be_deleted(admin_client):
    leaver = UserFactory(username="vertrokken")
    response = admin_client.post(
        reverse("admin:auth_user_delete", args=[leaver.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    assert not leaver.__class__.objects.filter(pk=leaver.pk).exists()


def test_deleting_a_team_with_families_is_refused_without_naming_them(admin_client, family):
    url = reverse("admin:cases_team_delete", args=[family.team_id])
    page = admin_client.get(url)
    assert page.status_code == 200
    assert family.display_name not in page.content.decode()
    admin_client.post(url, {"post": "yes"})
    assert Team.objects.filter(pk=family.team_id).exists()
    assert Family.objects.filter(pk=family.pk).exists()


def test_an_empty_team_can_be_deleted_with_its_phase_definitions(admin_client):
    empty = TeamFactory(name="Opgeheven")
    PhaseDefinition.objects.filter(team=empty).delete()
    response = admin_client.post(
        reverse("admin:cases_team_delete", args=[empty.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    assert not Team.objects.filter(pk=empty.pk).exists()


def test_admin_change_history_names_no_family_record(admin_client, alice, family):
    admin_client.post(
        reverse("admin:cases_team_add"), {"name": "Utrecht", "inclusion_threshold": 6}
    )
    leaver = UserFactory(username="weg")
    admin_client.post(reverse("admin:auth_user_delete", args=[leaver.pk]), {"post": "yes"})
    admin_client.post(reverse("admin:auth_user_delete", args=[alice.pk]), {"post": "yes"})
    entries = list(LogEntry.objects.all())
    assert {entry.object_repr for entry in entries} == {"Utrecht", "weg"}
    for entry in entries:
        assert not is_family_record(entry.content_type.model_class())
    assert FamilyFactory._meta.model.objects.filter(pk=family.pk).exists()


def test_two_factor_devices_change_only_through_the_logged_reset():
    # The stock device admin would add or remove a second factor without an access-log row.
    from django.contrib import admin
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from cases.models import RecoveryCodeDevice

    assert not admin.site.is_registered(TOTPDevice)
    assert not admin.site.is_registered(RecoveryCodeDevice)
