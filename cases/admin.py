from __future__ import annotations

from django.contrib import admin

from cases.models import (
    AccessLog,
    ClientStatement,
    Consent,
    Contact,
    DestructionRecord,
    Family,
    Member,
    Membership,
    Team,
)


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "inclusion_threshold"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "team", "role"]
    list_filter = ["team", "role"]


class MemberInline(admin.TabularInline):
    model = Member
    extra = 0


@admin.register(Family)
class FamilyAdmin(admin.ModelAdmin):
    list_display = ["case_number", "display_name", "team", "status", "coach"]
    list_filter = ["team", "status"]
    search_fields = ["case_number", "display_name"]
    inlines = [MemberInline]


@admin.register(Contact)
class ContactAdmin(admin.ModelAdmin):
    list_display = ["family", "date", "kind", "minutes", "author"]
    list_filter = ["kind"]


@admin.register(AccessLog)
class AccessLogAdmin(admin.ModelAdmin):
    """Read-only: the access log is append-only."""

    list_display = ["at", "username", "role", "family_id_ref", "action", "object", "outcome"]
    list_filter = ["action", "outcome"]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(ClientStatement)
class ClientStatementAdmin(admin.ModelAdmin):
    list_display = ["family", "statement_date", "given_by", "recorded_by"]


@admin.register(Consent)
class ConsentAdmin(admin.ModelAdmin):
    list_display = ["family", "organisation", "valid_from", "valid_until"]


@admin.register(DestructionRecord)
class DestructionRecordAdmin(admin.ModelAdmin):
    """Read-only: entries are made by cases.records_services.family_destroy only."""

    list_display = ["case_ref", "team", "case_year", "reason", "carried_out_by", "carried_out_at"]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
