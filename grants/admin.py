"""Read-only admin views: grants, decisions and letters change only through their services."""

from django.contrib import admin

from .models import Decision, Grant, Letter, LetterBatch


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Grant)
class GrantAdmin(ReadOnlyAdmin):
    list_display = ("agreement_number", "application", "grant_usd", "approved_by", "approved_at")
    list_filter = ("call",)
    search_fields = ("agreement_number", "application__reference")


@admin.register(Decision)
class DecisionAdmin(ReadOnlyAdmin):
    list_display = ("application", "outcome", "reason", "decided_by", "decided_at")
    list_filter = ("outcome",)


@admin.register(Letter)
class LetterAdmin(ReadOnlyAdmin):
    list_display = ("application", "kind", "version", "status", "issued_on", "emailed_at")
    list_filter = ("kind", "status")
    exclude = ("verification_code",)


@admin.register(LetterBatch)
class LetterBatchAdmin(ReadOnlyAdmin):
    list_display = ("call", "kind", "requested_by", "created_at", "resumed_at")
