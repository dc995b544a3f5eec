"""Read-only admin views: procurement, proofs and acts change only through the services."""

from django.contrib import admin

from grants.admin import ReadOnlyAdmin

from .models import ContributionMatch, ContributionProof, HandoverAct, ProcurementItem


@admin.register(ProcurementItem)
class ProcurementItemAdmin(ReadOnlyAdmin):
    list_display = ("grant", "line_number", "item", "status", "approved_usd", "actual_usd", "overrun_status")
    list_filter = ("status", "overrun_status")
    search_fields = ("grant__agreement_number", "item", "supplier", "purchase_order_number")


@admin.register(ContributionProof)
class ContributionProofAdmin(ReadOnlyAdmin):
    list_display = ("grant", "description", "kind", "status", "declared_usd", "verified_usd")
    list_filter = ("status", "kind")


@admin.register(ContributionMatch)
class ContributionMatchAdmin(ReadOnlyAdmin):
    list_display = ("grant", "counted_usd", "equipment_usd", "grant_usd", "shortfall_usd")


@admin.register(HandoverAct)
class HandoverActAdmin(ReadOnlyAdmin):
    list_display = ("number", "version", "status", "issued_on", "handed_over_on")
    list_filter = ("status",)
