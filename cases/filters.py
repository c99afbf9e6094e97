import django_filters
from django.utils.translation import gettext_lazy as _

from practices.filters import published_sources
from practices.models import Practice, Theme
from transfo.listing import SearchSortFilterSet

from .models import CaseStudy, Territory


def territory_values(field):
    def choices():
        values = (
            Territory.objects.exclude(**{field: ""})
            .order_by(field)
            .values_list(field, flat=True)
            .distinct()
        )
        return [(value, value) for value in values]

    return choices


class CaseStudyFilterSet(SearchSortFilterSet):
    type = django_filters.ChoiceFilter(
        label=_("Type de cas"), choices=CaseStudy.Kind.choices, method="filter_kind"
    )
    type_territoire = django_filters.ChoiceFilter(
        label=_("Type de territoire"), choices=Territory.Kind.choices, method="filter_territory_kind"
    )
    region = django_filters.ChoiceFilter(
        label=_("Région"), choices=territory_values("region"), method="filter_region"
    )
    departement = django_filters.ChoiceFilter(
        label=_("Département"), choices=territory_values("departement"), method="filter_departement"
    )
    theme = django_filters.ModelChoiceFilter(
        label=_("Thème"), queryset=Theme.objects.all(), to_field_name="slug", method="filter_theme"
    )
    pratique = django_filters.ModelChoiceFilter(
        label=_("Pratique"),
        queryset=Practice.objects.published(),
        to_field_name="slug",
        method="filter_practice",
    )
    source = django_filters.ModelChoiceFilter(
        label=_("Source"), queryset=published_sources, to_field_name="slug"
    )
    annee = django_filters.NumberFilter(
        label=_("Année"), method="filter_year", min_value=1900, max_value=2100
    )
    tri = django_filters.ChoiceFilter(
        label=_("Trier par"),
        method="sort_results",
        empty_label=_("Pertinence"),
        choices=[
            ("titre", _("Titre")),
            ("periode", _("Période (la plus récente d'abord)")),
            ("recent", _("Les plus récemment modifiés")),
        ],
    )

    facets = {
        "type": "kind",
        "type_territoire": "territory__kind",
        "region": "territory__region",
        "departement": "territory__departement",
        "theme": "themes__slug",
        "pratique": "practices__slug",
        "source": "source__slug",
    }
    extra_orderings = {"periode": ("-year_start", "title")}

    class Meta:
        model = CaseStudy
        fields = []

    def filter_kind(self, queryset, name, value):
        return queryset.of_kind(value)

    def filter_territory_kind(self, queryset, name, value):
        return queryset.in_territory_kind(value)

    def filter_region(self, queryset, name, value):
        return queryset.in_region(value)

    def filter_departement(self, queryset, name, value):
        return queryset.in_departement(value)

    def filter_theme(self, queryset, name, value):
        return queryset.with_theme(value)

    def filter_practice(self, queryset, name, value):
        return queryset.for_practice(value)

    def filter_year(self, queryset, name, value):
        return queryset.active_in(int(value))
