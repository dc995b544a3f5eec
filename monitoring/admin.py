"""Read-only admin views: monitoring changes only through the services."""

from django.contrib import admin

from grants.admin import ReadOnlyAdmin

from .models import FieldVisit, MonitoringReport, RetentionCase, VerificationSample


@admin.register(MonitoringReport)
class MonitoringReportAdmin(ReadOnlyAdmin):
    list_display = ("grant", "months_after", "due_on", "status")
    list_filter = ("status",)


@admin.register(VerificationSample)
class VerificationSampleAdmin(ReadOnlyAdmin):
    list_display = ("call", "drawn_at", "confidence", "margin", "population_size", "sample_size", "seed")


@admin.register(FieldVisit)
class FieldVisitAdmin(ReadOnlyAdmin):
    list_display = ("grant", "visited_on", "equipment_present", "equipment_in_use", "discrepancy")
    list_filter = ("discrepancy",)


@admin.register(RetentionCase)
class RetentionCaseAdmin(ReadOnlyAdmin):
    list_display = ("grant", "status", "source", "opened_at", "decided_by")
    list_filter = ("status", "source")
