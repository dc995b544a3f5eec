from django.contrib import admin

from .models import ExportRecord


@admin.register(ExportRecord)
class ExportRecordAdmin(admin.ModelAdmin):
    """The export audit, for reading: nobody adds, edits or deletes a record through the admin."""

    list_display = ("created_at", "user", "kind", "variant", "file_format", "call", "rows")
    list_filter = ("kind", "variant", "file_format")
    search_fields = ("user__email", "reason")
    readonly_fields = [field.name for field in ExportRecord._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
