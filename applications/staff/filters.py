import django_filters
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from applications.enums import ApplicationStatus, Region, Sector
from applications.models import PRIORITY_INDEX, Application, PriorityGroup
from common.crypto import blind_indexes
from common.search import contains_any


class ScreeningFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Name, reference or email"), method="search")
    status = django_filters.ChoiceFilter(label=_("Status"), empty_label=_("All"), choices=ApplicationStatus.choices)
    region = django_filters.ChoiceFilter(label=_("Oblast"), empty_label=_("All"), choices=Region.choices)
    sector = django_filters.ChoiceFilter(label=_("Sector"), empty_label=_("All"), choices=Sector.choices)
    priority_group = django_filters.ModelChoiceFilter(
        label=_("Priority group"),
        empty_label=_("All"),
        method="in_priority_group",
        queryset=PriorityGroup.objects.all(),
    )
    ordering = django_filters.OrderingFilter(
        label=_("Sort by"),
        fields=(
            ("submitted_at", "submitted_at"),
            ("reference", "reference"),
            ("last_name", "last_name"),
            ("region", "region"),
        ),
        # Every label given, the descending ones too: django-filter would build those once, at import,
        # in the default language, so /en/ showed half of them in Ukrainian.
        field_labels={
            "submitted_at": _("Submitted, oldest first"),
            "-submitted_at": _("Submitted, newest first"),
            "reference": _("Reference, A to Z"),
            "-reference": _("Reference, Z to A"),
            "last_name": _("Last name, A to Z"),
            "-last_name": _("Last name, Z to A"),
            "region": _("Oblast, A to Z"),
            "-region": _("Oblast, Z to A"),
        },
        empty_label=_("Submitted, oldest first"),
    )

    class Meta:
        model = Application
        fields = ["q", "status", "region", "sector", "priority_group"]

    def __init__(self, *args, groups: list[PriorityGroup] | None = None, **kwargs):
        """`groups`, every priority group when the caller has read them: the form's choices are then built
        from them, without a query of their own."""
        super().__init__(*args, **kwargs)
        if groups is not None:
            field = self.form.fields["priority_group"]
            field.widget.choices = [("", field.empty_label), *((group.pk, str(group)) for group in groups)]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        emails = get_user_model().objects.filter(contains_any(queryset, ["email"], value)).values("pk")
        return queryset.filter(
            contains_any(queryset, ["reference", "first_name", "last_name"], value) | Q(applicant_id__in=emails)
        )

    def in_priority_group(self, queryset, name, group):
        """Through the keyed blind index: the declared groups themselves are stored only encrypted."""
        if group is None:
            return queryset
        return queryset.filter(priority_index__token__in=blind_indexes(PRIORITY_INDEX, group.code))

    @property
    def qs(self):
        queryset = super().qs
        ordering = self.form.cleaned_data.get("ordering") if self.is_bound and self.form.is_valid() else None
        # The pk breaks ties in the same direction, so that pages are stable and one index serves the order.
        order = ordering[0] if ordering else "submitted_at"
        queryset = queryset.order_by(order, "-pk" if order.startswith("-") else "pk")
        return queryset.distinct() if self.data.get("priority_group") else queryset
