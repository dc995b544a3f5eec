from django.contrib import admin

from .models import (
    AccessLogEntry,
    Application,
    ApplicationStatusChange,
    Call,
    Consent,
    ConsentNotice,
    EquipmentItem,
    Message,
    PriorityGroup,
    Programme,
)


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ("name_uk", "name_en", "donor")


@admin.register(PriorityGroup)
class PriorityGroupAdmin(admin.ModelAdmin):
    list_display = ("code", "name_uk", "name_en", "sensitive", "position")


@admin.register(Call)
class CallAdmin(admin.ModelAdmin):
    list_display = ("title_uk", "cycle_year", "track", "cap", "budget_envelope", "opens_at", "closes_at")
    list_filter = ("track", "cycle_year")
    filter_horizontal = ("priority_groups",)


@admin.register(ConsentNotice)
class ConsentNoticeAdmin(admin.ModelAdmin):
    list_display = ("purpose", "version", "required", "published_at")


class EquipmentInline(admin.TabularInline):
    model = EquipmentItem
    extra = 0


class StatusChangeInline(admin.TabularInline):
    model = ApplicationStatusChange
    extra = 0
    can_delete = False
    readonly_fields = ("from_status", "to_status", "actor", "note", "created_at", "notified_at")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    list_display = (
        "reference",
        "last_name",
        "first_name",
        "call",
        "status",
        "region",
        "sector",
        "submitted_at",
    )
    list_filter = ("status", "call", "region", "sector")
    search_fields = ("reference", "last_name", "first_name", "applicant__email")
    readonly_fields = ("status", "reference", "submitted_at")
    inlines = [EquipmentInline, StatusChangeInline]


@admin.register(Consent)
class ConsentAdmin(admin.ModelAdmin):
    list_display = ("user", "notice", "given_at", "withdrawn_at")
    readonly_fields = ("user", "application", "notice", "language", "given_at")


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    list_display = ("application", "sender", "created_at", "read_at")


@admin.register(AccessLogEntry)
class AccessLogEntryAdmin(admin.ModelAdmin):
    """Read-only: the access log is append-only (a PostgreSQL trigger refuses UPDATE and DELETE too)."""

    list_display = ("at", "user", "action", "reference", "detail", "reason")
    list_filter = ("action",)
    search_fields = ("reference",)
    readonly_fields = ("at", "user", "action", "application", "reference", "detail", "reason")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
