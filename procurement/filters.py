import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .enums import ItemStatus, OverrunStatus
from .models import ProcurementItem


class ItemFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Agreement, name, item, supplier or order"), method="search")
    status = django_filters.ChoiceFilter(label=_("Status"), choices=ItemStatus.choices)
    overrun_status = django_filters.ChoiceFilter(label=_("Cost"), choices=OverrunStatus.choices)

    class Meta:
        model = ProcurementItem
        fields = ["q", "status", "overrun_status"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(grant__agreement_number__icontains=value)
            | Q(grant__application__reference__icontains=value)
            | Q(grant__application__last_name__icontains=value)
            | Q(grant__application__first_name__icontains=value)
            | Q(item__icontains=value)
            | Q(supplier__icontains=value)
            | Q(purchase_order_number__icontains=value)
        )
