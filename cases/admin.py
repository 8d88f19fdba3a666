"""The Django admin holds configuration only: teams, users and memberships, preferences.

Family records are not registered here on purpose. The admin has its own pages outside
`cases.permissions.access_family`, so a read there leaves no NEN 7513 access-log row, a
delete there skips the destruction procedure (cases.records.services.family_destroy) and its
register, and the admin's change history (LogEntry) would keep the family's names after
destruction. Families are read, changed and destroyed in the application only.

Which models are family records is decided by introspection (`is_family_record`), so a model
added later with a foreign key towards Family is one too; tests/cases/test_admin.py fails when
such a model is registered in the admin.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import Any

from django.contrib import admin
from django.contrib.admin.utils import NestedObjects
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group
from django.db import models, router
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from cases.models import (
    AccessLog,
    DestructionRecord,
    Family,
    Membership,
    Team,
    UserPreference,
)

User = get_user_model()


@cache
def is_family_record(model: type[models.Model]) -> bool:
    """True when `model` is Family or reaches Family through its own relations.

    Only forward relations count (foreign keys and one-to-one fields): a Team is referenced
    by families but holds nothing of them; a Reminder points at a family and so is part of
    its file. A many-to-many field does not make its own model a record: its rows (the
    automatic or explicit through table, a model of its own) are, so a team's working
    element or a coach's supervision session stays configuration while the ticks on a
    contact and the families discussed belong to those files.
    """
    seen: set[type[models.Model]] = set()
    todo: list[type[models.Model]] = [model]
    while todo:
        current = todo.pop()
        if current is Family:
            return True
        if current in seen:
            continue
        seen.add(current)
        for field in current._meta.get_fields():
            if (
                field.is_relation
                and field.concrete
                and not field.many_to_many
                and field.related_model is not None
            ):
                todo.append(field.related_model)
    return False


# Shown instead of the admin's usual list of related objects, which would print the
# families' and members' names on the confirmation page (a read without a log row).
DELETE_REFUSED = _(
    "Dit kan niet worden verwijderd: het komt voor in gezinsdossiers. Een gezinsdossier "
    "wordt alleen vernietigd via de vernietigingsprocedure in de applicatie. Zet een "
    "gebruiker op inactief in plaats van hem te verwijderen."
)


def touches_family_records(objs: Sequence[models.Model] | models.QuerySet[Any]) -> bool:
    """Would deleting `objs` delete, empty a field of, or be blocked by a family record?

    Emptying counts as well (on_delete=SET_NULL on e.g. Family.coach or FamilyPlan.reviewed_by):
    it rewrites a family's file, which only the application's services may do.
    """
    objs = list(objs)
    if not objs:
        return False
    collector = NestedObjects(using=router.db_for_write(type(objs[0])), origin=objs)
    collector.collect(objs)
    if any(is_family_record(type(obj)) for obj in collector.protected):
        return True
    if any(is_family_record(model) and instances for model, instances in collector.data.items()):
        return True
    for (field, _value), querysets in collector.field_updates.items():
        if is_family_record(field.model) and any(_non_empty(rows) for rows in querysets):
            return True
    return False


def _non_empty(rows: Any) -> bool:
    # SET_NULL schedules lazy querysets that may match nothing (Collector lazy_sub_objs);
    # other updates come as lists of instances.
    return rows.exists() if isinstance(rows, models.QuerySet) else bool(list(rows))


class ConfigurationAdmin(admin.ModelAdmin):
    """Base for every admin of this project: a delete never reaches a family record."""

    def get_deleted_objects(  # type: ignore[no-untyped-def]
        self, objs, request: HttpRequest
    ):
        # Both the delete page and the "delete selected" action ask this first, and neither
        # deletes while `protected` is non-empty (django.contrib.admin options and actions).
        if touches_family_records(objs):
            return [], {}, set(), [DELETE_REFUSED]
        return super().get_deleted_objects(objs, request)


class SuperuserReadOnlyAdmin(admin.ModelAdmin):
    """Visible to superusers only, and only to look at: no add, change or delete."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0


# The stock user admin, with the delete guard and the user's team memberships on its page.
admin.site.unregister(User)

# A second factor changes only through the logged reset on "Teamleden en inloggen" (which a
# superuser reaches for every user): django-otp's device admin would add or remove one
# without an access-log row, and shows the device's secret.
admin.site.unregister(TOTPDevice)


@admin.register(User)
class ProjectUserAdmin(ConfigurationAdmin, UserAdmin):
    inlines = [MembershipInline]


admin.site.unregister(Group)


@admin.register(Group)
class ProjectGroupAdmin(ConfigurationAdmin, GroupAdmin):
    pass


@admin.register(Team)
class TeamAdmin(ConfigurationAdmin):
    list_display = ["name", "inclusion_threshold"]


@admin.register(Membership)
class MembershipAdmin(ConfigurationAdmin):
    list_display = ["user", "team", "role"]
    list_filter = ["team", "role"]


@admin.register(UserPreference)
class UserPreferenceAdmin(ConfigurationAdmin):
    list_display = ["user", "language"]


@admin.register(AccessLog)
class AccessLogAdmin(SuperuserReadOnlyAdmin):
    """Read-only and superusers only: the access log is append-only (cases.models.AccessLog)."""

    list_display = ["at", "username", "role", "family_id_ref", "action", "object", "outcome"]
    list_filter = ["action", "outcome"]


@admin.register(DestructionRecord)
class DestructionRecordAdmin(SuperuserReadOnlyAdmin):
    """Read-only: entries are made by cases.records.services.family_destroy only.

    The register holds no personal data (the case number only as a keyed hash).
    """

    list_display = ["case_ref", "team", "case_year", "reason", "carried_out_by", "carried_out_at"]
