from django.contrib import admin

from .models import ExchangeRate


@admin.register(ExchangeRate)
class ExchangeRateAdmin(admin.ModelAdmin):
    list_display = ["date", "currency", "uah_per_unit", "source", "updated_by", "updated_at"]
    list_filter = ["currency", "source"]
    date_hierarchy = "date"
    readonly_fields = ["created_by", "created_at", "updated_by", "updated_at"]
